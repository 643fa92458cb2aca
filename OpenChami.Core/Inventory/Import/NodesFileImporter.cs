using System.Security.Cryptography;
using System.Text;
using OpenChami.Core.Model;
using OpenChami.Core.Storage;
using OpenChami.Core.Xnames;

namespace OpenChami.Core.Inventory.Import;

/// <summary>
/// What a nodes file writes: Node components with their NIDs, one SchemaVersion 1 RedfishEndpoint per BMC ingested like
/// <c>ochami discover static</c> sends it, every NIC with all its addresses, and groups.
/// </summary>
internal static class NodesFileImporter
{
    private static readonly Guid UuidNamespace = new("6f1d2c3e-8a4b-5c6d-9e0f-0123456789ab");

    /// <summary>The 12 reset types <c>ochami discover static</c> advertises for every synthetic System.</summary>
    public static readonly IReadOnlyList<string> StaticResetTypes =
        ["On", "ForceOff", "GracefulShutdown", "GracefulRestart", "ForceRestart", "Nmi", "ForceOn", "PushPowerButton", "PowerCycle", "Suspend", "Pause", "Resume"];

    /// <summary>Writes a planned nodes file inside the caller's transaction (spec/discovery-power.md §3.5).</summary>
    public static InventoryChangeSet Apply(IStoreSession session, NodesPlan plan, RedfishEndpointService redfishEndpoints, CancellationToken cancellation)
    {
        var changes = new InventoryChangeSet();
        var components = session.Collection<Component>();

        // 1. Node components with the file's NIDs (what ochami POSTs first).
        foreach (var node in plan.Nodes)
        {
            cancellation.ThrowIfCancellationRequested();
            var existing = components.Get(node.Xname);
            if (existing is null)
            {
                components.Insert(ComponentRules.PrepareNew(new Component { ID = node.Xname, State = HmsState.On, Flag = HmsFlag.OK, Enabled = true, NID = node.Nid, Role = "Compute" }));
                changes.Record(InventoryObjectTypes.Component, node.Xname, ChangeAction.Added);
                continue;
            }
            // The file owns the NID; live state (On/Off/Ready...), role and flags set since are kept.
            var changed = false;
            if (existing.NID != node.Nid) { existing.NID = node.Nid; changed = true; }
            if (existing.State is null or HmsState.Empty or HmsState.Unknown) { existing.State = HmsState.On; changed = true; }
            if (changed) components.Update(existing);
            changes.Record(InventoryObjectTypes.Component, node.Xname, changed ? ChangeAction.Updated : ChangeAction.Unchanged);
        }

        // 2. One SchemaVersion 1 RedfishEndpoint per BMC, through the same ingestion as HTTP and discovery.
        var endpoints = plan.Bmcs.Select(b => BuildEndpoint(b, plan.NodesOf(b))).ToList();
        if (endpoints.Count > 0)
        {
            redfishEndpoints.Apply(session, endpoints, replace: true, new IngestOptions { RefreshDiscoveryTimestamp = false }, changes);
        }

        // 3. Every NIC on its node (the node's own xname even when its CE is named by position), all addresses.
        var now = DateTime.UtcNow;
        foreach (var node in plan.Nodes)
        {
            // The ingestion already wrote these NICs exactly like this when the node's CE carries its own xname.
            if (plan.IngestedWithOwnXname(node)) continue;
            for (var i = 0; i < node.Interfaces.Count; i++)
            {
                var nic = node.Interfaces[i];
                var wanted = new EthernetInterface
                {
                    ID = MacAddress.ToId(nic.Mac),
                    MACAddress = nic.Mac,
                    Description = $"Interface {i} for {node.Name}",
                    ComponentID = node.Xname,
                    Type = Xname.GetHmsType(node.Xname).ToString(),
                    IPAddresses = nic.Addresses.Select(a => new IPAddressMapping { IPAddress = a.Ip, Network = a.Network }).ToList(),
                };
                changes.Record(InventoryObjectTypes.EthernetInterface, wanted.ID, RedfishIngestion.UpsertInterface(session, wanted, now));
            }
        }

        // 4. Groups: created when missing ("The <g> group"); members are added (union), never removed: one small
        // document per new member, the membership checks key reads (O(groups of that node), not O(group size)).
        var groups = session.Collection<Group>();
        var members = session.Collection<GroupMember>();
        // The nodes of each label, in file order, grouped once: asking every node for every label cost O(labels x nodes)
        // (100,000 nodes in 782 racks: 78 million checks).
        var nodesByLabel = plan.Nodes.SelectMany(n => n.Groups.Distinct().Select(label => (Label: label, Node: n))).ToLookup(p => p.Label, p => p.Node);
        foreach (var byLabel in nodesByLabel)
        {
            var label = byLabel.Key;
            cancellation.ThrowIfCancellationRequested();
            var action = ChangeAction.Unchanged;
            if (!groups.Exists(label))
            {
                GroupService.Create(session, new Group { Label = label, Description = $"The {label} group" });
                action = ChangeAction.Added;
            }
            var group = groups.Get(label)!;
            var added = 0;
            foreach (var node in byLabel)
            {
                var key = GroupMember.KeyOf(label, node.Xname);
                if (members.Exists(key)) continue;
                GroupService.CheckExclusive(session, group, node.Xname);
                members.Insert(GroupMember.Added(label, node.Xname));
                added++;
            }
            changes.Record(InventoryObjectTypes.Group, label, added == 0 ? action : action == ChangeAction.Added ? action : ChangeAction.Updated);
        }
        return changes;
    }

    /// <summary>The synthetic record of spec/discovery-power.md §3.4, with name-based UUIDs so re-imports don't churn.</summary>
    public static RedfishEndpointInput BuildEndpoint(BmcEntry bmc, IReadOnlyList<NodeEntry> nodes) => new()
    {
        ID = bmc.Xname,
        Type = "NodeBMC",
        Name = bmc.Name ?? string.Empty,
        MACAddr = bmc.Mac,
        IPAddress = bmc.Ip,
        FQDN = bmc.Fqdn,
        UUID = StableUuid(bmc.Xname),
        SchemaVersion = 1,
        Managers =
        [
            new RedfishManagerRecord
            {
                Uri = $"/redfish/v1/Managers/{bmc.Xname}",
                Name = bmc.Xname,
                Type = "NodeBMC",
                Uuid = StableUuid(bmc.Xname + "/manager"),
                EthernetInterfaces = [new RedfishInterfaceRecord { Name = bmc.Xname, Description = $"Interface for BMC {bmc.Xname}", Mac = bmc.Mac, Ip = bmc.Ip }],
            },
        ],
        Systems = nodes.Select(node => new RedfishSystemRecord
        {
            Uri = $"/redfish/v1/Systems/{node.Xname}",
            Name = node.Name,
            Uuid = StableUuid(node.Xname),
            Actions = StaticResetTypes.ToList(),
            EthernetInterfaces = node.Interfaces.Select((nic, i) => new RedfishInterfaceRecord
            {
                Name = node.Xname,
                Description = $"Interface {i} for {node.Name}",
                Mac = nic.Mac,
                Ip = nic.Addresses.Count > 0 ? nic.Addresses[0].Ip : null,
                Network = nic.Addresses.Count > 0 ? nic.Addresses[0].Network : null,
                IPAddresses = nic.Addresses.Skip(1).Select(a => new IPAddressMapping { IPAddress = a.Ip, Network = a.Network }).ToList(),
            }).ToList(),
        }).ToList(),
    };

    /// <summary>A name-based (RFC 4122 version 5, SHA-1) UUID: the same xname always gives the same UUID.</summary>
    public static string StableUuid(string name)
    {
        var ns = UuidNamespace.ToByteArray(bigEndian: true);
        var hash = SHA1.HashData([.. ns, .. Encoding.UTF8.GetBytes(name)]);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true).ToString();
    }
}
