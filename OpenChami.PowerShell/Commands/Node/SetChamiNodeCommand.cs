using System.Management.Automation;
using OpenChami.Core.Inventory;
using OpenChami.Core.Model;
using OpenChami.PowerShell.Completers;
using OpenChami.PowerShell.Infrastructure;
using CoreNode = OpenChami.Core.Model.Node;

namespace OpenChami.PowerShell.Commands.Node;

/// <summary>Changes a node's NID, role, state, architecture or enabled flag.</summary>
[Cmdlet(VerbsCommon.Set, "ChamiNode", SupportsShouldProcess = true)]
[OutputType(typeof(CoreNode))]
public sealed class SetChamiNodeCommand : ChamiCmdletBase
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("ID")]
    [ArgumentCompleter(typeof(XnameCompleter))]
    public string Xname { get; set; } = string.Empty;

    [Parameter]
    public long? Nid { get; set; }

    [Parameter]
    public string? Role { get; set; }

    [Parameter]
    public string? SubRole { get; set; }

    [Parameter]
    public HmsArch? Arch { get; set; }

    [Parameter]
    public HmsState? State { get; set; }

    [Parameter]
    public HmsFlag? Flag { get; set; }

    [Parameter]
    public bool? Enabled { get; set; }

    /// <summary>Allow state changes SMD's state machine refuses.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        var patch = new ComponentPatch
        {
            NID = Nid, Role = Role, SubRole = SubRole, Arch = Arch, State = State, Flag = Flag, Enabled = Enabled, Force = Force,
        };
        TryItem(() =>
        {
            // Validate against the stored node first, so -WhatIf reports what the real run would refuse.
            var id = Core.Xnames.Xname.Parse(Xname, Core.Xnames.HmsType.Node);
            ComponentService.Preview(Services.Nodes.Get(id).Component, patch);
            if (!ShouldProcess(Xname, "Set node")) return;
            var node = Services.Nodes.Update(Xname, patch);
            if (PassThru) WriteObject(node);
        }, Xname);
    }
}
