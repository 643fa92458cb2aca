using System.Management.Automation;
using OpenChami.PowerShell.Completers;
using OpenChami.PowerShell.Infrastructure;
using CoreNode = OpenChami.Core.Model.Node;

namespace OpenChami.PowerShell.Commands.Node;

/// <summary>Removes nodes together with their NICs and group memberships.</summary>
[Cmdlet(VerbsCommon.Remove, "ChamiNode", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(CoreNode))]
public sealed class RemoveChamiNodeCommand : RemoveCmdletBase
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("ID")]
    [ArgumentCompleter(typeof(XnameCompleter))]
    public string Xname { get; set; } = string.Empty;

    protected override void ProcessRecord() =>
        RemoveItem(Xname, "Remove node, its NICs and group memberships", () =>
        {
            // A node that isn't there is an error under -WhatIf too, as in the real run.
            var node = Services.Nodes.Get(Core.Xnames.Xname.Parse(Xname, Core.Xnames.HmsType.Node));
            var nics = node.MacAddress.Count == 0 ? "no NIC" : string.Join(", ", node.MacAddress);
            return $"{node.Xname} (NID {node.Nid}, {nics})";
        }, () => Services.Nodes.Remove(Xname));
}
