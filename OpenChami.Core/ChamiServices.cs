using OpenChami.Core.Audit;
using OpenChami.Core.Boot;
using OpenChami.Core.Inventory;
using OpenChami.Core.Security;
using OpenChami.Core.Storage;

namespace OpenChami.Core;

/// <summary>
/// The services over one store. Cmdlets and HTTP handlers both take theirs from here, so a change
/// made one way is what the other sees next. Services keep no copy of what the store holds: repeated reads are
/// served by the store's read cache, which every write invalidates (see <see cref="IChamiStore.Remember{T}"/>).
/// What they do keep in memory is settings and work in flight (running power transitions, endpoint-history and
/// first instance-id writes waiting for their batch).
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

    public RedfishEndpointService RedfishEndpoints => Once(ref redfishEndpoints, () => new(Store, Credentials));

    public InventoryImportService Inventory => Once(ref inventory, () => new(Store, RedfishEndpoints));

    private RedfishEndpointService? redfishEndpoints;
    private InventoryImportService? inventory;

    /// <summary>Redfish power control and PCS transitions, over the ComponentEndpoints and credentials above.</summary>
    public Power.PowerService Power { get; } = OpenChami.Core.Power.PowerService.ForStore(store);

    public PartitionService Partitions { get; } = new(store);

    public MembershipService Memberships { get; } = new(store);

    public NodeMapService NodeMaps { get; } = new(store);

    public Discovery.DiscoveryService Discovery => Once(ref discovery, () => new(Store, RedfishEndpoints));

    private Discovery.DiscoveryService? discovery;

    /// <summary>Hardware inventory read and delete (spec/smd.md §2.11); discovery writes it.</summary>
    public Inventory.Hardware.HardwareInventoryService Hardware { get; } = new(store);

    /// <summary>Discovery over the API (<c>POST /hsm/v2/Inventory/Discover</c>, spec/smd.md §2.12).</summary>
    public Discovery.ApiDiscoveryService ApiDiscovery => Once(ref apiDiscovery, () => new(Store, RedfishEndpoints, Discovery, Time));

    private Discovery.ApiDiscoveryService? apiDiscovery;

    public CloudInit.CloudInitService CloudInit { get; } = new(store);

    public CloudInit.CloudInitSeedService CloudInitSeeds { get; } = new(store);

    /// <summary>BSS boot parameters, under the same settings as <see cref="BootScripts"/> (which decide what an s3:// URL becomes).</summary>
    public BootParamsService BootParams => Once(ref bootParams, () => new(Store) { Options = () => BootScripts.Options });

    private BootParamsService? bootParams;

    /// <summary>Boot configurations (boot-service), the model BootParams reads and writes too.</summary>
    public BootConfigurationService BootConfigurations { get; } = new(store);

    /// <summary>boot-service's /nodes and /bmcs: views over the inventory.</summary>
    public BootInventoryView BootInventory { get; } = new(store);

    /// <summary>Boot scripts; each known node's ds= seed is its own signed cloud-init URL.</summary>
    public BootScriptService BootScripts =>
        Once(ref bootScripts, () => new(Store) { SeedProvider = new CloudInit.SignedCloudInitSeedProvider(CloudInitSeeds) });

    private BootScriptService? bootScripts;

    // Concurrent first requests must share one instance: a second one would split the state it keeps (see above).
    private object? creatingLock;

    private T Once<T>(ref T? service, Func<T> create) where T : class =>
        LazyInitializer.EnsureInitialized(ref service, ref creatingLock, create);

    /// <summary>The clock of time-dependent answers (metadata-service profile expiry); tests set a fake one.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>metadata-service (spec/metadata-service.md) over the cloud-init model above.</summary>
    public MetadataService.MetadataServices Metadata => Once(ref metadata, () => new(Store, CloudInit, Time));

    private MetadataService.MetadataServices? metadata;

    /// <summary>Component locks and reservations (spec/smd.md §2.10.1); power refuses what they protect (Power/PowerService).</summary>
    public Locks.LockService Locks => Once(ref locks, () => new(Store, () => Time));

    private Locks.LockService? locks;

    /// <summary>State-change notification subscriptions (spec/smd.md §2.10.3); delivery watches the store's committed changes.</summary>
    public Subscriptions.ScnService Subscriptions => Once(ref subscriptions, () => new(Store, () => Time));

    private Subscriptions.ScnService? subscriptions;
}
