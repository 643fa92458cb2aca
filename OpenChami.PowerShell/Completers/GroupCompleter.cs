using System.Management.Automation;
using OpenChami.Core;

namespace OpenChami.PowerShell.Completers;

/// <summary>Completes group labels from the current database.</summary>
public sealed class GroupCompleter : ChamiCompleterBase
{
    protected override IEnumerable<CompletionResult> Complete(ChamiServices services, string prefix) =>
        NamesStartingWith(services.Groups.All(), g => g.Label, g => g.Description, prefix);
}
