using System.Management.Automation;
using OpenChami.Core;

namespace OpenChami.PowerShell.Completers;

/// <summary>Completes metadata-service WireGuard peer names from the current database.</summary>
public sealed class WireGuardPeerCompleter : ChamiCompleterBase
{
    protected override IEnumerable<CompletionResult> Complete(ChamiServices services, string prefix) =>
        NamesStartingWith(services.Metadata.WireGuardPeers.GetPeers(), p => p.Name, p => $"{p.Name} ({p.Xname ?? p.Endpoint ?? p.PublicKey})", prefix);
}
