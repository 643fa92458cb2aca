using System.Management.Automation;
using OpenChami.Core.Errors;
using OpenChami.Core.Inventory;
using OpenChami.PowerShell.Completers;
using OpenChami.PowerShell.Infrastructure;
using CoreGroup = OpenChami.Core.Model.Group;

namespace OpenChami.PowerShell.Commands.Group;

/// <summary>Lists SMD groups by label (wildcards allowed) and/or tag.</summary>
[Cmdlet(VerbsCommon.Get, "ChamiGroup")]
[OutputType(typeof(CoreGroup))]
public sealed class GetChamiGroupCommand : ChamiCmdletBase
{
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Label")]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(GroupCompleter))]
    public string[]? Name { get; set; }

    /// <summary>Only groups carrying any of these tags.</summary>
    [Parameter]
    public string[]? Tag { get; set; }

    protected override void ProcessRecord()
    {
        var query = new GroupQuery();
        query.Tags.AddRange(Tag ?? []);
        IReadOnlyList<CoreGroup> groups = [];
        if (!TryItem(() => groups = Services.Groups.Query(query))) return;
        var names = Name ?? [];
        foreach (var group in groups.Where(g => names.Length == 0 || names.Any(n => Wildcard.IsMatch(g.Label, n.Trim()))))
        {
            WriteObject(group);
        }
        WriteNotFoundForExactNames(names, n => groups.Any(g => Wildcard.IsMatch(g.Label, n.Trim())),
            n => ChamiException.NotFound("GroupNotFound", $"No such group: {n}", n));
    }
}
