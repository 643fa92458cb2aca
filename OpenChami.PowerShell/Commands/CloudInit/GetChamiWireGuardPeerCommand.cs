using System.Management.Automation;
using OpenChami.Core.MetadataService;
using OpenChami.PowerShell.Completers;
using OpenChami.PowerShell.Infrastructure;

namespace OpenChami.PowerShell.Commands.CloudInit;

/// <summary>Gets the WireGuard peers metadata-service keeps (<c>/metadata-service/wireguardpeers</c>).</summary>
[Cmdlet(VerbsCommon.Get, "ChamiWireGuardPeer")]
[OutputType(typeof(WireGuardPeerInfo))]
public sealed class GetChamiWireGuardPeerCommand : ChamiCmdletBase
{
    /// <summary>Peer names; wildcards allowed. All peers when omitted.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(WireGuardPeerCompleter))]
    public string[]? Name { get; set; }

    /// <summary>Only the peers of these components; wildcards allowed.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [Alias("ID")]
    [ArgumentCompleter(typeof(XnameCompleter))]
    public string[]? Xname { get; set; }

    protected override void ProcessRecord()
    {
        var xnames = Xname is null or { Length: 0 } ? null : Xname.Select(x => new WildcardPattern(x.Trim(), WildcardOptions.IgnoreCase)).ToList();
        bool OfXname(WireGuardPeerInfo p) => xnames is null || (p.Xname is { } x && xnames.Any(w => w.IsMatch(x)));
        if (Name is null or { Length: 0 })
        {
            foreach (var peer in Services.Metadata.WireGuardPeers.GetPeers().Where(OfXname)) WriteObject(peer);
            return;
        }
        foreach (var name in Name)
        {
            if (WildcardPattern.ContainsWildcardCharacters(name))
            {
                var pattern = new WildcardPattern(name, WildcardOptions.IgnoreCase);
                foreach (var peer in Services.Metadata.WireGuardPeers.GetPeers().Where(p => pattern.IsMatch(p.Name) && OfXname(p))) WriteObject(peer);
                continue;
            }
            TryItem(() =>
            {
                var peer = Services.Metadata.WireGuardPeers.GetPeer(name);
                if (OfXname(peer)) WriteObject(peer);
            }, name);
        }
    }
}
