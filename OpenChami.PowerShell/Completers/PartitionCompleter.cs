using System.Management.Automation;
using OpenChami.Core;

namespace OpenChami.PowerShell.Completers;

/// <summary>Completes partition names (p1, p1.2) from the current database.</summary>
public sealed class PartitionCompleter : ChamiCompleterBase
{
    protected override IEnumerable<CompletionResult> Complete(ChamiServices services, string prefix) =>
        NamesStartingWith(services.Partitions.Query(), p => p.Name, p => p.Description, prefix);
}
