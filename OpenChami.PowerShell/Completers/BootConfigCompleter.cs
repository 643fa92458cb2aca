using System.Management.Automation;
using OpenChami.Core;

namespace OpenChami.PowerShell.Completers;

/// <summary>Completes boot configuration names from the current database.</summary>
public sealed class BootConfigCompleter : ChamiCompleterBase
{
    protected override IEnumerable<CompletionResult> Complete(ChamiServices services, string prefix) =>
        NamesStartingWith(services.BootConfigurations.Documents(), c => c.Name, c => $"{c.Name} ({c.Uid}): {c.Kernel}", prefix);
}
