using System.Management.Automation;
using OpenChami.Core.Model;
using OpenChami.PowerShell.Completers;
using OpenChami.PowerShell.Infrastructure;
using CoreComponent = OpenChami.Core.Model.Component;

namespace OpenChami.PowerShell.Commands.Component;

/// <summary>Creates a component of any HMS type; its Type is derived from the xname.</summary>
[Cmdlet(VerbsCommon.New, "ChamiComponent", SupportsShouldProcess = true)]
[OutputType(typeof(CoreComponent))]
public sealed class NewChamiComponentCommand : ChamiCmdletBase
{
    // Pipeline-bound values are strings parsed in ProcessRecord: see PipelineValues.
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("ID")]
    [ArgumentCompleter(typeof(XnameCompleter))]
    public string Xname { get; set; } = string.Empty;

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(EnumCompleter<HmsState>))]
    public string? State { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(EnumCompleter<HmsFlag>))]
    public string? Flag { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(EnumCompleter<BooleanValue>))]
    public string? Enabled { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? Role { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? SubRole { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? Nid { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(EnumCompleter<HmsArch>))]
    public string? Arch { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(EnumCompleter<HmsClass>))]
    public string? Class { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(EnumCompleter<HmsNetType>))]
    public string? NetType { get; set; }

    protected override void ProcessRecord()
    {
        TryItem(() =>
        {
            var component = new CoreComponent
            {
                ID = Xname,
                State = PipelineValues.Enum<HmsState>(State, "state"),
                Flag = PipelineValues.Enum<HmsFlag>(Flag, "flag"),
                Enabled = PipelineValues.Boolean(Enabled, "Enabled"),
                Role = string.IsNullOrWhiteSpace(Role) ? null : Role,
                SubRole = string.IsNullOrWhiteSpace(SubRole) ? null : SubRole,
                NID = PipelineValues.Nid(Nid),
                Arch = PipelineValues.Enum<HmsArch>(Arch, "arch"),
                Class = PipelineValues.Enum<HmsClass>(Class, "class"),
                NetType = PipelineValues.Enum<HmsNetType>(NetType, "net type"),
            };
            if (ShouldProcess(Xname, "Create component")) WriteObject(Services.Components.Create(component));
        }, Xname);
    }
}
