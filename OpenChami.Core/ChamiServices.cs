using OpenChami.Core.Audit;
using OpenChami.Core.Boot;
using OpenChami.Core.Inventory;
using OpenChami.Core.Security;
using OpenChami.Core.Storage;

namespace OpenChami.Core;

/// <summary>
/// The services over one store. Cmdlets and HTTP handlers both take theirs from here, so a change
/// made one way is what the other sees next. Services are stateless apart from the store: no caches.
/// </summary>
public sealed class ChamiServices(IChamiStore store)
{
    public IChamiStore Store { get; } = store;

    public ComponentService Components { get; } = new(store);

    public NodeService Nodes { get; } = new(store);

    public EthernetInterfaceService EthernetInterfaces { get; } = new(store);

    public GroupService Groups { get; } = new(store);

    public AuditService Audit { get; } = new(store);

    public TokenService Tokens { get; } = new(store);

    public CertificateAuthority CertificateAuthority { get; } = new(store);

    public SecretProtector Secrets { get; } = new(store);

    /// <summary>BMC secrets, kept apart from every readable record.</summary>
    public Discovery.ICredentialStore Credentials { get; } = new Discovery.StoreCredentialStore(store);

    public RedfishEndpointService RedfishEndpoints => redfishEndpoints ??= new(Store, Credentials);

    public InventoryImportService Inventory => inventory ??= new(Store, RedfishEndpoints);

    private RedfishEndpointService? redfishEndpoints;
    private InventoryImportService? inventory;

    /// <summary>Redfish power control and PCS transitions, over the ComponentEndpoints and credentials above.</summary>
    public Power.PowerService Power { get; } = OpenChami.Core.Power.PowerService.ForStore(store);

    public PartitionService Partitions { get; } = new(store);

    public MembershipService Memberships { get; } = new(store);

    public NodeMapService NodeMaps { get; } = new(store);

    public Discovery.DiscoveryService Discovery => discovery ??= new(Store, RedfishEndpoints);

    private Discovery.DiscoveryService? discovery;

    public CloudInit.CloudInitService CloudInit { get; } = new(store);

    public CloudInit.CloudInitSeedService CloudInitSeeds { get; } = new(store);

    public BootParamsService BootParams { get; } = new(store);

    /// <summary>Boot scripts; each known node's ds= seed is its own signed cloud-init URL.</summary>
    public BootScriptService BootScripts => bootScripts ??= new(Store) { SeedProvider = new CloudInit.SignedCloudInitSeedProvider(CloudInitSeeds) };

    private BootScriptService? bootScripts;

    /// <summary>The clock of time-dependent answers (metadata-service profile expiry); tests set a fake one.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>metadata-service (spec/metadata-service.md) over the cloud-init model above.</summary>
    public MetadataService.MetadataServices Metadata => metadata ??= new(Store, CloudInit, Time);

    private MetadataService.MetadataServices? metadata;
}
