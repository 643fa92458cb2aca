using System.Globalization;
using System.Net;
using System.Text.Json;
using OpenChami.Core.Errors;
using OpenChami.Core.Inventory;
using OpenChami.Core.Model;
using OpenChami.Core.Serialization;
using OpenChami.Core.Storage;
using OpenChami.Core.Xnames;

namespace OpenChami.Core.Discovery;

/// <summary>
/// Stores one BMC's inventory in one transaction: its SchemaVersion 1 record, the NodeBMC and Node components
/// and the EthernetInterfaces. Idempotent: a re-run with the same BMC answers changes nothing and writes nothing.
/// Never renames or takes over what an operator named: existing components are left as they are, a MAC that
/// belongs to another component stays there (with a warning).
/// </summary>
internal static class DiscoveryStore
{
    public sealed class Outcome
    {
        public string? Xname { get; set; }
        public DiscoveryStatus Status { get; set; }
        public RedfishEndpointRecord? Record { get; set; }
        public List<string> Nodes { get; } = [];
        public List<string> Changes { get; } = [];
        public List<string> Warnings { get; } = [];
        public DiscoveryFailure? Failure { get; set; }
        public string? Error { get; set; }
    }

    /// <summary>Plans and (unless <paramref name="write"/> is false) applies the change for one BMC.</summary>
    public static Outcome Apply(IStoreSession session, RedfishBmcInventory inventory, XnameMap? xnameMap, bool write)
    {
        var outcome = new Outcome();
        var target = inventory.Target;
        var records = session.Collection<RedfishEndpointRecord>();
        var components = session.Collection<Component>();
        var interfaces = session.Collection<EthernetInterface>();

        // 1. The BMC's xname (spec/discovery-power.md §2.5).
        var sameEndpoint = records.FindOne(r => r.IPAddress == target.Host && r.Port == target.Port);
        string bmc;
        if (xnameMap is not null)
        {
            var serials = inventory.Systems.Select(s => s.ChassisSerial).Concat(inventory.Systems.Select(s => s.SerialNumber));
            var mapped = xnameMap.Find(target, inventory.BmcMacAddress, serials);
            if (mapped is null)
            {
                outcome.Failure = DiscoveryFailure.Unmapped;
                outcome.Error = $"the xname map has no entry for {target} (by IP, IP:port, BMC MAC or serial); not stored";
                outcome.Status = DiscoveryStatus.Failed;
                return outcome;
            }
            bmc = mapped;
        }
        else
        {
            bmc = sameEndpoint?.ID ?? KnownByMac(records, interfaces, inventory) ?? GenerateBmcXname(target, outcome.Warnings);
        }
        outcome.Xname = bmc;

        var existing = records.Get(bmc);
        if (existing is not null && !(existing.IPAddress == target.Host && existing.Port == target.Port) && xnameMap is null
            && !(inventory.BmcMacAddress is not null && existing.MACAddr == inventory.BmcMacAddress))
        {
            outcome.Failure = DiscoveryFailure.StoreFailed;
            outcome.Error = $"xname {bmc} already belongs to the BMC at {existing.FQDN}; give this BMC a name with -XnameMap";
            outcome.Status = DiscoveryStatus.Failed;
            return outcome;
        }
        if (sameEndpoint is not null && sameEndpoint.ID != bmc)
        {
            // The operator's map now names this endpoint differently: the old record goes, its nodes stay.
            outcome.Changes.Add($"remove RedfishEndpoint {sameEndpoint.ID} (now {bmc})");
            if (write) records.Delete(sameEndpoint.ID);
        }

        // 2. One node per System resource, never merged by UUID or serial.
        var nodes = AssignNodes(records, interfaces, inventory, bmc, existing);
        outcome.Nodes.AddRange(nodes);

        // 3. Components: added when missing, never modified (State, Role, NID... belong to their owners).
        EnsureComponent(components, new Component { ID = bmc, State = HmsState.Ready }, outcome, write);
        for (var i = 0; i < nodes.Count; i++)
        {
            var state = inventory.Systems[i].PowerState switch
            {
                "On" => HmsState.On,
                "Off" => HmsState.Off,
                _ => HmsState.Populated,
            };
            EnsureComponent(components, new Component { ID = nodes[i], State = state }, outcome, write);
        }

        // 4. Interfaces: every System MAC on its node, the BMC's own MAC on the BMC.
        var claimed = new Dictionary<string, string>();
        for (var i = 0; i < nodes.Count; i++)
        {
            foreach (var nic in inventory.Systems[i].EthernetInterfaces.Where(n => n.MACAddress is not null))
            {
                if (claimed.TryGetValue(nic.MACAddress!, out var owner) && owner != nodes[i])
                {
                    outcome.Warnings.Add($"MAC {nic.MACAddress} is reported by two Systems; kept on {owner}");
                    continue;
                }
                claimed[nic.MACAddress!] = nodes[i];
                EnsureInterface(interfaces, nic.MACAddress!, nodes[i], nic.IPv4Address, nic.Description ?? nic.Name, outcome, write);
            }
        }
        if (inventory.BmcMacAddress is { } bmcMac && !claimed.ContainsKey(bmcMac))
        {
            EnsureInterface(interfaces, bmcMac, bmc, target.Host, "BMC", outcome, write);
        }

        // 5. The endpoint record (written only when its content changed, so re-runs leave the file untouched).
        var record = RedfishEndpointRecordMapper.ToRecord(inventory, bmc, nodes);
        outcome.Record = record;
        if (existing is null)
        {
            outcome.Changes.Insert(0, $"add RedfishEndpoint {bmc} ({record.FQDN})");
            if (write) records.Insert(record);
        }
        else if (!SameContent(existing, record))
        {
            outcome.Changes.Insert(0, $"update RedfishEndpoint {bmc} ({record.FQDN})");
            if (write) records.Update(record);
        }

        outcome.Status = existing is null ? DiscoveryStatus.Added
            : outcome.Changes.Count > 0 ? DiscoveryStatus.Updated
            : DiscoveryStatus.Unchanged;
        return outcome;
    }

    /// <summary>
    /// Generated name (magellan-compatible, §2.5): <c>x&lt;(ip&gt;&gt;19)&amp;0x1FFF&gt;c&lt;(ip&gt;&gt;16)&amp;7&gt;s&lt;ip&gt;&gt;24&gt;b&lt;ip&amp;0xFF&gt;</c>.
    /// A BMC on a non-default port folds the port into the BMC ordinal (<c>b&lt;port&gt;&lt;last octet, 3 digits&gt;</c>),
    /// so BMCs sharing an IP get distinct, stable names.
    /// </summary>
    public static string GenerateBmcXname(DiscoveryTarget target, List<string> warnings)
    {
        if (!IPAddress.TryParse(target.Host, out var address) || address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork)
        {
            throw ChamiException.Invalid("CannotGenerateXname",
                $"{target.Host} is not an IPv4 address, so no xname can be generated for it; name it with -XnameMap", target.Host);
        }
        var b = address.GetAddressBytes();
        var ip = (uint)(b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3]);
        var ordinal = target.Port == DiscoveryTarget.DefaultPort(target.Scheme) || target.Port == 443
            ? (ip & 0xFF).ToString(CultureInfo.InvariantCulture)
            : string.Create(CultureInfo.InvariantCulture, $"{target.Port}{ip & 0xFF:000}");
        var xname = Xname.Parse($"x{(ip >> 19) & 0x1FFF}c{(ip >> 16) & 0x7}s{ip >> 24}b{ordinal}");
        warnings.Add($"no xname map: generated {xname} from {target} (deterministic, not physical; use -XnameMap for real names)");
        return xname;
    }

    /// <summary>A BMC that moved to a new address keeps its name: same BMC MAC on a record or a NodeBMC interface.</summary>
    private static string? KnownByMac(IDocumentCollection<RedfishEndpointRecord> records, IDocumentCollection<EthernetInterface> interfaces,
        RedfishBmcInventory inventory)
    {
        if (inventory.BmcMacAddress is not { } mac) return null;
        var host = inventory.Target.Host;
        var moved = records.FindOne(r => r.MACAddr == mac && r.IPAddress != host);
        if (moved is not null) return moved.ID;
        var nic = interfaces.Get(MacAddress.ToId(mac));
        return nic is not null && Xname.TryParse(nic.ComponentID, out var id, out var type) && type is HmsType.NodeBMC or HmsType.ChassisBMC or HmsType.RouterBMC
            ? id
            : null;
    }

    private static List<string> AssignNodes(IDocumentCollection<RedfishEndpointRecord> records, IDocumentCollection<EthernetInterface> interfaces,
        RedfishBmcInventory inventory, string bmc, RedfishEndpointRecord? existing)
    {
        var nodes = new List<string?>(new string?[inventory.Systems.Count]);
        var bmcType = Xname.GetHmsType(bmc);
        var canHaveNodes = bmcType == HmsType.NodeBMC;
        for (var i = 0; i < inventory.Systems.Count; i++)
        {
            var system = inventory.Systems[i];
            // a) A node the operator (or a static import) already owns through one of this System's MACs.
            foreach (var mac in system.MacAddresses)
            {
                var owner = interfaces.Get(MacAddress.ToId(mac))?.ComponentID;
                if (owner is null || !Xname.TryParse(owner, out var node, out var type) || type != HmsType.Node || nodes.Contains(node)) continue;
                if (ClaimedByOtherBmc(records, node, bmc)) continue;
                nodes[i] = node;
                break;
            }
            if (nodes[i] is not null) continue;
            // b) The node this System was given last time (matched by its resource path).
            var previous = existing?.Systems.FirstOrDefault(s => PathOf(s.Uri) == system.Path)?.NodeId;
            if (previous is not null && !nodes.Contains(previous))
            {
                nodes[i] = previous;
                continue;
            }
            // c) A System whose path ends in a node xname of this BMC names itself.
            var last = system.Path[(system.Path.LastIndexOf('/') + 1)..];
            if (Xname.TryParse(last, out var self, out var selfType) && selfType == HmsType.Node && Xname.GetNodeBmc(self) == bmc && !nodes.Contains(self))
            {
                nodes[i] = self;
            }
        }
        // d) Everything else: <bmc>n<k>, k = Systems index, the next free ordinal when that one is taken.
        for (var i = 0; i < nodes.Count; i++)
        {
            if (nodes[i] is not null) continue;
            if (!canHaveNodes)
            {
                throw ChamiException.Invalid("NodesNeedNodeBmc", $"{bmc} is a {bmcType}; Systems (nodes) can only sit under a NodeBMC xname", bmc);
            }
            for (var k = i; ; k++)
            {
                var candidate = $"{bmc}n{k.ToString(CultureInfo.InvariantCulture)}";
                if (!nodes.Contains(candidate))
                {
                    nodes[i] = candidate;
                    break;
                }
            }
        }
        return nodes.Select(n => n!).ToList();
    }

    private static bool ClaimedByOtherBmc(IDocumentCollection<RedfishEndpointRecord> records, string node, string bmc)
    {
        // Discovery names nodes under their BMC, so the parent's record is the one that could hold it.
        var parent = Xname.GetNodeBmc(node);
        if (parent is null || parent == bmc) return false;
        return records.Get(parent)?.Systems.Any(s => s.NodeId == node) == true;
    }

    private static string PathOf(string uri) =>
        Uri.TryCreate(uri, UriKind.Absolute, out var u) && u.Scheme is "http" or "https" ? u.AbsolutePath.TrimEnd('/') : uri.TrimEnd('/');

    private static void EnsureComponent(IDocumentCollection<Component> components, Component wanted, Outcome outcome, bool write)
    {
        if (components.Exists(wanted.ID)) return;
        var prepared = ComponentRules.PrepareNew(wanted);
        outcome.Changes.Add($"add {prepared.Type} {prepared.ID} ({prepared.State})");
        if (write) components.Insert(prepared);
    }

    private static void EnsureInterface(IDocumentCollection<EthernetInterface> interfaces, string mac, string componentId, string? ip,
        string? description, Outcome outcome, bool write)
    {
        var id = MacAddress.ToId(mac);
        var ipText = ip is not null && IPAddress.TryParse(ip, out var parsed) ? parsed.ToString() : null;
        var nic = interfaces.Get(id);
        if (nic is null)
        {
            var created = EthernetInterfaceService.Prepare(new EthernetInterface
            {
                MACAddress = mac,
                ComponentID = componentId,
                Description = description ?? string.Empty,
                IPAddresses = ipText is null ? [] : [new IPAddressMapping { IPAddress = ipText }],
            });
            outcome.Changes.Add($"add EthernetInterface {mac} → {componentId}");
            if (write) interfaces.Insert(created);
            return;
        }
        if (nic.ComponentID.Length > 0 && nic.ComponentID != componentId)
        {
            outcome.Warnings.Add($"MAC {mac} already belongs to {nic.ComponentID}; left there (not reassigned to {componentId})");
            return;
        }
        var changed = false;
        if (nic.ComponentID.Length == 0)
        {
            nic.ComponentID = componentId;
            nic.Type = Xname.GetHmsType(componentId).ToString();
            changed = true;
        }
        if (ipText is not null && nic.IPAddresses.All(a => a.IPAddress != ipText))
        {
            nic.IPAddresses.Add(new IPAddressMapping { IPAddress = ipText });
            changed = true;
        }
        if (!changed) return;
        nic.LastUpdate = DateTime.UtcNow;
        outcome.Changes.Add($"update EthernetInterface {mac} → {componentId}{(ipText is null ? string.Empty : $" ({ipText})")}");
        if (write) interfaces.Update(nic);
    }

    private static bool SameContent(RedfishEndpointRecord stored, RedfishEndpointRecord fresh) =>
        JsonSerializer.Serialize(stored, ChamiJson.Options) == JsonSerializer.Serialize(fresh, ChamiJson.Options);
}
