using System.Management.Automation;
using OpenChami.Core.Model;
using OpenChami.PowerShell.Completers;
using OpenChami.PowerShell.Infrastructure;
using CoreComponent = OpenChami.Core.Model.Component;

namespace OpenChami.PowerShell.Commands.Component;

/// <summary>Creates a component of any HMS type; its Type is derived from the xname.</summary>
[Cmdlet(VerbsCommon.New, "ChamiComponent", SupportsShouldProcess = true)]
[OutputType(typeof(CoreComponent))]
public sealed class NewChamiComponentCommand : ChamiCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("ID")]
    [ArgumentCompleter(typeof(XnameCompleter))]
    public string Xname { get; set; } = string.Empty;

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public HmsState? State { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public HmsFlag? Flag { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public bool? Enabled { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? Role { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? SubRole { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public long? Nid { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public HmsArch? Arch { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public HmsClass? Class { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public HmsNetType? NetType { get; set; }

    protected override void ProcessRecord()
    {
        if (!ShouldProcess(Xname, "Create component")) return;
        TryItem(() => WriteObject(Services.Components.Create(new CoreComponent
        {
            ID = Xname,
            State = State,
            Flag = Flag,
            Enabled = Enabled,
            Role = Role,
            SubRole = SubRole,
            NID = Nid,
            Arch = Arch,
            Class = Class,
            NetType = NetType,
        })), Xname);
    }
}
