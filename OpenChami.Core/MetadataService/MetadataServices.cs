using OpenChami.Core.CloudInit;
using OpenChami.Core.Resources;
using OpenChami.Core.Storage;

namespace OpenChami.Core.MetadataService;

/// <summary>
/// metadata-service (spec/metadata-service.md): its resource kinds over the cloud-init model, its profiles and peers,
/// and the node documents. One clock (<paramref name="time"/>) decides profile expiry and resource times.
/// </summary>
public sealed class MetadataServices(IChamiStore store, CloudInitService cloudInit, TimeProvider time)
{
    public TimeProvider Time => time;

    public ClusterDefaultsResourceService ClusterDefaults { get; } = new(store, cloudInit, time);

    public GroupResourceService Groups { get; } = new(store, cloudInit, time);

    public InstanceInfoResourceService InstanceInfos { get; } = new(store, cloudInit, time);

    public ProfileService Profiles { get; } = new(store, time);

    public WireGuardPeerService WireGuardPeers { get; } = new(store, time);

    public MetadataServiceRenderer Documents { get; } = new(store, cloudInit, time);
}
