using System.Management.Automation;
using OpenChami.Core;

namespace OpenChami.PowerShell.Completers;

/// <summary>Completes cloud-init group names from the current database.</summary>
public sealed class CloudInitGroupCompleter : ChamiCompleterBase
{
    protected override IEnumerable<CompletionResult> Complete(ChamiServices services, string prefix) =>
        NamesStartingWith(services.CloudInit.GetGroups(), g => g.Name, g => g.Description, prefix);
}
