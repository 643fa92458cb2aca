using System.Management.Automation;
using OpenChami.Core.Errors;
using OpenChami.Core.Inventory;
using OpenChami.PowerShell.Completers;
using OpenChami.PowerShell.Infrastructure;
using CorePartition = OpenChami.Core.Model.Partition;

namespace OpenChami.PowerShell.Commands.Partition;

/// <summary>Lists SMD partitions by name (wildcards allowed) and/or tag.</summary>
[Cmdlet(VerbsCommon.Get, "ChamiPartition")]
[OutputType(typeof(CorePartition))]
public sealed class GetChamiPartitionCommand : ChamiCmdletBase
{
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(PartitionCompleter))]
    public string[]? Name { get; set; }

    [Parameter]
    public string[]? Tag { get; set; }

    protected override void ProcessRecord()
    {
        IReadOnlyList<CorePartition> partitions = [];
        if (!TryItem(() => partitions = Services.Partitions.Query(tags: Tag))) return;
        var names = Name ?? [];
        bool Matches(CorePartition p, string n) => Wildcard.HasWildcard(n) ? Wildcard.IsMatch(p.Name, n.Trim()) : p.Name == Core.Xnames.Xname.Normalize(n);
        foreach (var partition in partitions.Where(p => names.Length == 0 || names.Any(n => Matches(p, n))))
        {
            WriteObject(partition);
        }
        WriteNotFoundForExactNames(names, n => partitions.Any(p => Matches(p, n)),
            n => ChamiException.NotFound("PartitionNotFound", $"No such partition: {n}", n));
    }
}
