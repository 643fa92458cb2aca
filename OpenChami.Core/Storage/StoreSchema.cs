using LiteDB;
using OpenChami.Core.Audit;
using OpenChami.Core.Model;
using OpenChami.Core.Power;

namespace OpenChami.Core.Storage;

/// <summary>
/// Where each model lives and how it is keyed and indexed. Models carry no LiteDB attributes:
/// all mapping is here, so another backend can map the same models its own way.
/// To add a collection: one line in <see cref="Collections"/>.
/// </summary>
internal static class StoreSchema
{
    /// <summary>Bump when a stored shape changes, and add the step to <see cref="Migrations"/>.</summary>
    public const int CurrentVersion = 5;

    public static readonly IReadOnlyList<CollectionDefinition> Collections =
    [
        CollectionDefinition.For<Component>("components", c => c.ID, "$.Type", "$.NID", "$.Role", "$.State").ReadMostly(),
        CollectionDefinition.For<EthernetInterface>("ethernet_interfaces", e => e.ID, "$.ComponentID", "$.IPAddresses[*].IPAddress").ReadMostly(),
        // Members are not part of the stored group or partition (schema 4): each is its own small document below, so a
        // member change costs the same at 100,000 members as at 10 (and journals one pair, not the whole list twice).
        CollectionDefinition.For<Group>("groups", g => g.Label, "$.ExclusiveGroup").NotStored(nameof(Group.Members)).ReadMostly(),
        CollectionDefinition.For<GroupMember>("group_members", m => m.ID, "$.Label", "$.Member").Maintains(GroupMembershipIndex.Apply),
        // Derived from the group members by the line above; not journaled: the member changes are.
        CollectionDefinition.For<GroupMembership>("group_memberships", m => m.ID).NotAudited().ReadMostly(),
        CollectionDefinition.For<Partition>("partitions", p => p.Name).NotStored(nameof(Partition.Members)).ReadMostly(),
        CollectionDefinition.For<PartitionMember>("partition_members", m => m.ID, "$.Partition").ReadMostly(),
        // The journal itself; never audited (it would record itself forever).
        CollectionDefinition.For<AuditEntry>("audit", a => a.Id, "$.Target", "$.Time").NotAudited(),
        CollectionDefinition.For<RedfishEndpoint>("redfish_endpoints", r => r.ID, "$.FQDN", "$.MACAddr", "$.IPAddress").ReadMostly(),
        CollectionDefinition.For<ComponentEndpoint>("component_endpoints", c => c.ID, "$.RedfishEndpointID", "$.RedfishType").ReadMostly(),
        CollectionDefinition.For<ServiceEndpoint>("service_endpoints", s => s.Key, "$.RedfishEndpointID", "$.RedfishType").ReadMostly(),
        // BMC secrets: never journaled (the audit log is readable, the secrets must not be).
        CollectionDefinition.For<EndpointCredential>("credentials", c => c.ID).NotAudited(),
        // Transitions are their own journal (status, per-node tasks); journaling every task update would only bloat the audit log.
        CollectionDefinition.For<PowerTransition>("power_transitions", t => t.TransitionID, "$.TransitionStatus", "$.AutomaticExpirationTime").NotAudited(),
        CollectionDefinition.For<NodeMap>("node_maps", m => m.ID, "$.NID").ReadMostly(),
        CollectionDefinition.For<CloudInit.CloudInitGroupRecord>("cloud_init_groups", g => g.Name).ReadMostly(),
        CollectionDefinition.For<CloudInit.ClusterDefaultsRecord>("cloud_init_cluster_defaults", d => d.Id).ReadMostly(),
        // Written once per node on its first meta-data request, read on every one: held whole too (a snapshot keeps
        // answering for each node whose own document hasn't changed).
        CollectionDefinition.For<CloudInit.InstanceInfo>("cloud_init_instances", i => i.Id).ReadMostly(),
        CollectionDefinition.For<CloudInit.CloudInitPhoneHome>("cloud_init_phone_home", p => p.Id),
        // Seed-signing keys are secrets: never journaled.
        CollectionDefinition.For<CloudInit.CloudInitSeedKey>("cloud_init_seed_keys", k => k.Id).NotAudited().ReadMostly(),
        // The per-identity selector index of the boot configurations (schema 5), derived by the last line below: not journaled.
        CollectionDefinition.For<Boot.BootParamsEntry>("boot_params", e => e.Key, "$.Value", "$.Kind", "$.Kernel").NotAudited().ReadMostly(),
        // An access log, not a change: not journaled.
        CollectionDefinition.For<Boot.EndpointAccess>("endpoint_history", a => a.Id, "$.Name").NotAudited(),
        // boot-service and metadata-service resources whose kind has no model of its own (Resources/StoredResourceService).
        CollectionDefinition.For<Resources.StoredResource>("resources", r => r.Uid, "$.Kind", "$.KindName").ReadMostly(),
        // Boot configurations (schema 5, spec/boot-service.md §6): every write keeps boot_params, their selector index, in step.
        CollectionDefinition.For<Boot.BootConfiguration>("boot_configurations", c => c.Uid, "$.Name").Maintains(Boot.BootSelectorIndex.Apply).ReadMostly(),
        // metadata-service profiles (MetadataService/ProfileService): node documents look them up by group.
        CollectionDefinition.For<MetadataService.CloudInitProfile>("metadata_profiles", p => p.Uid, "$.Group", "$.NameKey", "$.Parent").ReadMostly(),
        // Component reservations (Locks/LockService), one per component: their keys are secrets, so never journaled.
        CollectionDefinition.For<Locks.Reservation>("reservations", r => r.ID).NotAudited(),
        // State-change notification subscriptions (Subscriptions/ScnService); few, read by the delivery worker.
        CollectionDefinition.For<Subscriptions.ScnSubscription>("scn_subscriptions", s => s.ID),
        // Hardware inventory (spec/smd.md §2.11): locations by xname (a BMC's own by its ID, subtrees by ancestor), FRUs by FRUID,
        // history appended per event (read by location or FRU). New collections, no migration.
        CollectionDefinition.For<Inventory.Hardware.HardwareLocation>("hardware_locations", l => l.ID, "$.RedfishEndpointID", "$.FRUID", "$.Ancestors[*]"),
        CollectionDefinition.For<Inventory.Hardware.HardwareFru>("hardware_frus", f => f.FRUID, "$.SerialNumber"),
        // A log of events, not a change of state: not journaled.
        CollectionDefinition.For<Inventory.Hardware.HardwareHistoryEntry>("hardware_history", h => h.Key, "$.ID", "$.FRUID").NotAudited(),
        // Runs of POST /Inventory/Discover (spec/smd.md §2.12).
        CollectionDefinition.For<Discovery.DiscoveryRun>("discovery_status", r => r.Key).NotAudited(),
    ];

    /// <summary>Migration steps: index i upgrades a file from version i+1 to i+2.</summary>
    public static readonly IReadOnlyList<Action<LiteDatabase>> Migrations =
    [
        GroupMembershipIndex.Build, // 1 → 2: the per-component group index
        // 2 → 3: no data change. Writers now move the change stamps beside the file (ChangeStamps); the version
        // keeps an older OpenChami, which would write without moving them, from opening the file under a cache.
        _ => { },
        GroupMembershipIndex.MoveMembersOut, // 3 → 4: one document per member instead of member lists in groups and partitions
        Boot.BootConfigurationMigration.LiteDb, // 4 → 5: every BSS entry becomes a boot configuration, the entries its index
    ];

    /// <summary>Numbers the collections (their stamps, <see cref="ChangeStamps"/>) once.</summary>
    static StoreSchema()
    {
        if (Collections.Count > ChangeStamps.DocumentRegions) throw new InvalidOperationException($"ChangeStamps has document stamps for {ChangeStamps.DocumentRegions} collections.");
        for (var i = 0; i < Collections.Count; i++) Collections[i].Ordinal = i;
    }

    /// <summary>Written in a file's stamps: processes with other collections (another version) can't share them.</summary>
    public static long StampLayout { get; } = ChangeStamps.LayoutOf(Collections.Select(c => c.Name));

    public static BsonMapper CreateMapper()
    {
        var mapper = new BsonMapper
        {
            SerializeNullValues = false,
            TrimWhitespace = false,
            EmptyStringToNull = false,
            EnumAsInteger = false,
        };
        // Set before any entity is mapped (mappings are cached): members a collection doesn't store get no field.
        var notStored = Collections.Where(c => c.NotStoredMembers.Count > 0).ToDictionary(c => c.DocumentType, c => c.NotStoredMembers);
        mapper.ResolveMember = (type, member, mapped) =>
        {
            if (notStored.TryGetValue(type, out var names) && names.Contains(member.Name)) mapped.FieldName = null;
        };
        foreach (var collection in Collections) collection.Configure(mapper);
        return mapper;
    }

    /// <summary>Whether <paramref name="property"/> of <paramref name="type"/> is stored (see <see cref="CollectionDefinition.NotStored"/>).</summary>
    public static bool IsStored(Type type, string property) =>
        Collections.FirstOrDefault(c => c.DocumentType == type) is not { } definition || !definition.NotStoredMembers.Contains(property);

    public static CollectionDefinition Get(Type type) =>
        Collections.FirstOrDefault(c => c.DocumentType == type)
        ?? throw new InvalidOperationException($"{type.Name} has no collection in StoreSchema.");
}

/// <summary>A collection's name, key and index expressions (constant strings, never user input).</summary>
internal sealed class CollectionDefinition
{
    private readonly Action<BsonMapper> configure;

    private CollectionDefinition(Type documentType, string name, Func<object, string> idOf, string? idMember, string[] indexes, Action<BsonMapper> configure)
    {
        DocumentType = documentType;
        Name = name;
        IdOf = idOf;
        IdMember = idMember;
        Indexes = indexes;
        this.configure = configure;
    }

    public Type DocumentType { get; }

    public string Name { get; }

    /// <summary>This collection's change stamp (<see cref="ChangeStamps"/>).</summary>
    public int StampSlot => ChangeStamps.SlotOf(Ordinal);

    /// <summary>Moved by changes of documents not known one by one (DeleteMany, DeleteAll).</summary>
    public int BulkStampSlot => ChangeStamps.BulkSlotOf(Ordinal);

    public int DocumentStampSlot(string id) => ChangeStamps.DocumentSlotOf(Ordinal, id);

    /// <summary>The first slot of this collection's document stamps.</summary>
    public int DocumentStampRegion => ChangeStamps.DocumentRegionOf(Ordinal);

    /// <summary>Place in <see cref="StoreSchema.Collections"/> (which stamps are this collection's).</summary>
    public int Ordinal { get; internal set; } = -1;

    public Func<object, string> IdOf { get; }

    /// <summary>The property stored as the document's key (<c>_id</c>).</summary>
    public string? IdMember { get; }

    public IReadOnlyList<string> Indexes { get; }

    /// <summary>Whether changes are written to the audit journal (off for secrets and for logs).</summary>
    public bool Audited { get; private set; } = true;

    public CollectionDefinition NotAudited()
    {
        Audited = false;
        return this;
    }

    /// <summary>
    /// Read by every boot request: the read cache may hold it whole (<see cref="ReadCache"/>). Not for logs read
    /// rarely and written per request (access log, journal), nor secrets (BMC credentials).
    /// </summary>
    public bool IsReadMostly { get; private set; }

    public CollectionDefinition ReadMostly()
    {
        IsReadMostly = true;
        return this;
    }

    /// <summary>Keeps a derived collection in step with this one: called with (session, before, after) on every change.</summary>
    public Action<IStoreSession, object?, object?>? Derived { get; private set; }

    /// <summary>Whether a change needs the document as it was (for the journal or a derived collection).</summary>
    public bool NeedsBefore => Audited || Derived is not null;

    /// <summary>Properties of the model that are not stored (filled by services from other collections).</summary>
    public IReadOnlyCollection<string> NotStoredMembers { get; private set; } = [];

    public CollectionDefinition NotStored(params string[] properties)
    {
        NotStoredMembers = properties;
        return this;
    }

    public CollectionDefinition Maintains(Action<IStoreSession, object?, object?> derived)
    {
        Derived = derived;
        return this;
    }

    public void Configure(BsonMapper mapper) => configure(mapper);

    public static CollectionDefinition For<T>(string name, System.Linq.Expressions.Expression<Func<T, string>> id, params string[] indexes)
    {
        var compiled = id.Compile();
        var idMember = (id.Body as System.Linq.Expressions.MemberExpression)?.Member.Name;
        return new CollectionDefinition(typeof(T), name, o => compiled((T)o), idMember, indexes,
            mapper => mapper.Entity<T>().Id(id, autoId: false));
    }
}
