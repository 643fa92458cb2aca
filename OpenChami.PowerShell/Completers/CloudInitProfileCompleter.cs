using System.Management.Automation;
using OpenChami.Core;

namespace OpenChami.PowerShell.Completers;

/// <summary>Completes cloud-init (metadata-service) profile names from the current database.</summary>
public sealed class CloudInitProfileCompleter : ChamiCompleterBase
{
    protected override IEnumerable<CompletionResult> Complete(ChamiServices services, string prefix) =>
        NamesStartingWith(services.Metadata.Profiles.GetProfiles(), p => p.Name, p => $"{p.Name} (group {p.Group}{(p.Active ? string.Empty : ", expired")})", prefix);
}
