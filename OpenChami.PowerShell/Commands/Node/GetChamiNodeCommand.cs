using System.Management.Automation;
using OpenChami.Core.Errors;
using OpenChami.Core.Inventory;
using OpenChami.Core.Model;
using OpenChami.PowerShell.Completers;
using OpenChami.PowerShell.Infrastructure;
using CoreNode = OpenChami.Core.Model.Node;

namespace OpenChami.PowerShell.Commands.Node;

/// <summary>Lists nodes with their NICs, groups and BMC. Filters are AND-ed; values of one filter are OR-ed.</summary>
[Cmdlet(VerbsCommon.Get, "ChamiNode")]
[OutputType(typeof(CoreNode))]
public sealed class GetChamiNodeCommand : ChamiCmdletBase
{
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("ID")]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(XnameCompleter))]
    public string[]? Xname { get; set; }

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
        WriteNotFoundForExactNames(Xname, x => nodes.Any(n => n.Xname == Wildcard.XnamePattern(x)),
            x => ChamiException.NotFound("NodeNotFound", $"Node '{x}' was not found", x));
    }
}
