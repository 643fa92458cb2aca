using System.Management.Automation;
using OpenChami.Core.Inventory;
using OpenChami.PowerShell.Infrastructure;
using CoreComponent = OpenChami.Core.Model.Component;
using CoreNode = OpenChami.Core.Model.Node;

namespace OpenChami.PowerShell.Commands.Node;

/// <summary>Changes a node's NID, role, state, architecture or enabled flag.</summary>
[Cmdlet(VerbsCommon.Set, "ChamiNode", SupportsShouldProcess = true)]
[OutputType(typeof(CoreNode))]
public sealed class SetChamiNodeCommand : SetComponentCmdletBase
{
    protected override string Action => "Set node";

    protected override CoreComponent Stored() => Services.Nodes.Get(Core.Xnames.Xname.Parse(Xname, Core.Xnames.HmsType.Node)).Component;

    protected override object Update(ComponentPatch patch) => Services.Nodes.Update(Xname, patch);
}
