using System.Management.Automation;
using OpenChami.Core.MetadataService;
using OpenChami.PowerShell.Completers;
using OpenChami.PowerShell.Infrastructure;

namespace OpenChami.PowerShell.Commands.CloudInit;

/// <summary>
/// Creates a WireGuard peer or changes the given parts of an existing one (parameters you omit keep their stored
/// value). The same record as metadata-service <c>/wireguardpeers</c>, which <c>ochami metadata peer</c> reads.
/// </summary>
[Cmdlet(VerbsCommon.Set, "ChamiWireGuardPeer", SupportsShouldProcess = true)]
[OutputType(typeof(WireGuardPeerInfo))]
public sealed class SetChamiWireGuardPeerCommand : ChamiCmdletBase
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(WireGuardPeerCompleter))]
    public string Name { get; set; } = string.Empty;

    /// <summary>The peer's public key: 32 bytes in base64, as <c>wg pubkey</c> prints it (required for a new peer).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? PublicKey { get; set; }

    /// <summary>Where the peer is reached, <c>host:port</c>; empty removes it.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [AllowEmptyString]
    public string? Endpoint { get; set; }

    /// <summary>Addresses routed to the peer, in CIDR notation (<c>10.87.0.1/32</c>). Replaces the stored list.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [AllowEmptyCollection]
    public string[]? AllowedIPs { get; set; }

    /// <summary>The component the peer belongs to; empty removes it.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [AllowEmptyString]
    [Alias("ID")]
    [ArgumentCompleter(typeof(XnameCompleter))]
    public string? Xname { get; set; }

    /// <summary>Keepalive interval in seconds (0 turns it off).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateRange(0, 65535)]
    public int? PersistentKeepalive { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        var bound = MyInvocation.BoundParameters;
        if (!ShouldProcess(Name, "Set WireGuard peer")) return;
        TryItem(() =>
        {
            var peer = Services.Metadata.WireGuardPeers.SetPeer(Name, spec =>
            {
                if (bound.ContainsKey(nameof(PublicKey))) spec.PublicKey = PublicKey;
                if (bound.ContainsKey(nameof(Endpoint))) spec.Endpoint = string.IsNullOrWhiteSpace(Endpoint) ? null : Endpoint.Trim();
                if (bound.ContainsKey(nameof(AllowedIPs))) spec.AllowedIps = AllowedIPs is null or { Length: 0 } ? null : [.. AllowedIPs.Select(a => a.Trim())];
                if (bound.ContainsKey(nameof(Xname))) spec.Xname = string.IsNullOrWhiteSpace(Xname) ? null : Xname;
                if (bound.ContainsKey(nameof(PersistentKeepalive))) spec.PersistentKeepalive = PersistentKeepalive;
            }, out _);
            if (PassThru) WriteObject(peer);
        }, Name);
    }
}
