using System.Management.Automation;
using OpenChami.Core.Inventory;
using OpenChami.Core.Model;
using OpenChami.PowerShell.Completers;
using OpenChami.PowerShell.Infrastructure;
using CoreNode = OpenChami.Core.Model.Node;

namespace OpenChami.PowerShell.Commands.Node;

/// <summary>Lists nodes with their NICs, groups and BMC. Filters are AND-ed; values of one filter are OR-ed.</summary>
[Cmdlet(VerbsCommon.Get, "ChamiNode")]
[OutputType(typeof(CoreNode))]
public sealed class GetChamiNodeCommand : XnameFilterCmdletBase
{
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public long[]? Nid { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("MAC")]
    public string[]? MacAddress { get; set; }

    [Parameter]
    public string[]? Role { get; set; }

    [Parameter]
    public HmsState[]? State { get; set; }

    [Parameter]
    [ArgumentCompleter(typeof(GroupCompleter))]
    public string[]? Group { get; set; }

    protected override void ProcessRecord()
    {
        var query = new NodeQuery();
        query.Xname.AddRange(Xname ?? []);
        query.Nid.AddRange(Nid ?? []);
        query.MacAddress.AddRange(MacAddress ?? []);
        query.Role.AddRange(Role ?? []);
        query.State.AddRange(State ?? []);
        query.Group.AddRange(Group ?? []);
        IReadOnlyList<CoreNode> nodes = [];
        if (!TryItem(() => nodes = Services.Nodes.Query(query))) return;
        foreach (var node in nodes) WriteObject(node);
        WriteXnamesNotFound(nodes.Select(n => n.Xname), "Node");
    }
}
