using OpenChami.Core.Errors;
using OpenChami.Core.Resources;
using OpenChami.Core.Storage;

namespace OpenChami.Core.MetadataService;

/// <summary>
/// metadata-service's WireGuard peers (spec/metadata-service.md §4.5) by name, for the cmdlets; <see cref="Resources"/>
/// is the same store as <c>/metadata-service/wireguardpeers</c> sees it.
/// </summary>
public sealed class WireGuardPeerService(IChamiStore store, TimeProvider time)
{
    public StoredResourceService<WireGuardPeerSpec> Resources { get; } = new(store, MetadataKinds.WireGuardPeer, time);

    public IReadOnlyList<WireGuardPeerInfo> GetPeers() => Resources.List().Select(Info).ToList();

    public WireGuardPeerInfo GetPeer(string name) => Resources.FindByName(name) is { } peer ? Info(peer) : throw PeerNotFound(name);

    /// <summary>
    /// Read-modify-write of one peer by name: <paramref name="change"/> edits a copy of the stored spec (a new one when
    /// missing), which is then validated and written as a PUT or POST of /wireguardpeers would be.
    /// </summary>
    public WireGuardPeerInfo SetPeer(string name, Action<WireGuardPeerSpec> change, out bool created)
    {
        var label = name.Trim();
        if (label.Length == 0 || label.Any(char.IsControl)) throw ChamiException.Invalid("InvalidPeerName", $"'{name}' is not a valid peer name", name);
        var (peer, isNew) = store.Write(_ =>
        {
            if (Resources.FindByName(label) is { } existing)
            {
                change(existing.Spec);
                return (Resources.Replace(existing.Metadata.Uid, new ResourceMetadata(), existing.Spec), false);
            }
            var fresh = new WireGuardPeerSpec();
            change(fresh);
            return (Resources.Create(new ResourceMetadata { Name = label }, fresh), true);
        });
        created = isNew;
        return Info(peer);
    }

    public WireGuardPeerInfo RemovePeer(string name) => store.Write(_ =>
    {
        var peer = Resources.FindByName(name) ?? throw PeerNotFound(name);
        Resources.Delete(peer.Metadata.Uid);
        return Info(peer);
    });

    private static ChamiException PeerNotFound(string name) => ChamiException.NotFound("WireGuardPeerNotFound", $"WireGuard peer {name} not found", name);

    private static WireGuardPeerInfo Info(Resource<WireGuardPeerSpec> peer) => new()
    {
        Name = peer.Metadata.Name, Uid = peer.Metadata.Uid, PublicKey = peer.Spec.PublicKey ?? string.Empty, Endpoint = peer.Spec.Endpoint,
        AllowedIPs = peer.Spec.AllowedIps?.ToArray() ?? [], Xname = peer.Spec.Xname, PersistentKeepalive = peer.Spec.PersistentKeepalive,
        Created = peer.Metadata.CreatedAt.UtcDateTime, Updated = peer.Metadata.UpdatedAt.UtcDateTime,
    };
}

/// <summary>A WireGuard peer as Get/Set-ChamiWireGuardPeer show it. The public key is public by design; no private key is ever stored.</summary>
public sealed class WireGuardPeerInfo
{
    public required string Name { get; init; }

    public required string Uid { get; init; }

    public required string PublicKey { get; init; }

    public string? Endpoint { get; init; }

    public string[] AllowedIPs { get; init; } = [];

    /// <summary>The node (or other component) the peer belongs to, when it is one.</summary>
    public string? Xname { get; init; }

    public int? PersistentKeepalive { get; init; }

    public DateTime Created { get; init; }

    public DateTime Updated { get; init; }

    public override string ToString() => Name;
}
