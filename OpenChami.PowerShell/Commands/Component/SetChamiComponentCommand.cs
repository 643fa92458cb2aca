using System.Management.Automation;
using OpenChami.Core.Inventory;
using OpenChami.Core.Model;
using OpenChami.PowerShell.Completers;
using OpenChami.PowerShell.Infrastructure;
using CoreComponent = OpenChami.Core.Model.Component;

namespace OpenChami.PowerShell.Commands.Component;

/// <summary>Changes fields of existing components; fields not given are left as they are.</summary>
[Cmdlet(VerbsCommon.Set, "ChamiComponent", SupportsShouldProcess = true)]
[OutputType(typeof(CoreComponent))]
public sealed class SetChamiComponentCommand : ChamiCmdletBase
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("ID")]
    [ArgumentCompleter(typeof(XnameCompleter))]
    public string Xname { get; set; } = string.Empty;

    [Parameter]
    public HmsState? State { get; set; }

    [Parameter]
    public HmsFlag? Flag { get; set; }

    [Parameter]
    public bool? Enabled { get; set; }

    [Parameter]
    public string? SoftwareStatus { get; set; }

    [Parameter]
    public string? Role { get; set; }

    [Parameter]
    public string? SubRole { get; set; }

    [Parameter]
    public long? Nid { get; set; }

    [Parameter]
    public HmsArch? Arch { get; set; }

    [Parameter]
    public HmsClass? Class { get; set; }

    [Parameter]
    public HmsNetType? NetType { get; set; }

    /// <summary>Allow state changes SMD's state machine refuses (e.g. to Unknown or Empty).</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Write the changed component.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        var patch = new ComponentPatch
        {
            State = State, Flag = Flag, Enabled = Enabled, SoftwareStatus = SoftwareStatus, Role = Role, SubRole = SubRole,
            NID = Nid, Arch = Arch, Class = Class, NetType = NetType, Force = Force,
        };
        TryItem(() =>
        {
            // Validate against the stored component first, so -WhatIf reports what the real run would refuse.
            ComponentService.Preview(Services.Components.Get(Core.Xnames.Xname.Parse(Xname)), patch);
            if (!ShouldProcess(Xname, "Set component")) return;
            var updated = Services.Components.Update(Xname, patch);
            if (PassThru) WriteObject(updated);
        }, Xname);
    }
}
