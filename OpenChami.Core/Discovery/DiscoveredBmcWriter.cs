using System.Globalization;
using System.Net;
using OpenChami.Core.Errors;
using OpenChami.Core.Inventory;
using OpenChami.Core.Model;
using OpenChami.Core.Storage;
using OpenChami.Core.Xnames;

namespace OpenChami.Core.Discovery;

/// <summary>
/// Writes one discovered BMC into the inventory, in the caller's transaction. Discovery decides the names — the BMC
/// xname (§2.5: operator map, else the endpoint already known at this address:port or with this BMC MAC, else
/// generated) and the node of every System (an operator's node owning one of its MACs, else the node it had last
/// time, else SMD's rule) — and hands the SchemaVersion 1 record to the SMD ingestion
/// (<see cref="RedfishEndpointService"/>), the same code POST /Inventory/RedfishEndpoints runs. A MAC already owned
/// by another component is left there (warning), so nothing an operator named is taken over and re-runs converge
/// instead of moving interfaces back and forth.
/// </summary>
internal sealed class DiscoveredBmcWriter(RedfishEndpointService endpoints)
{
    private static readonly IngestOptions Ingest = new() { RefreshDiscoveryTimestamp = false }; // unchanged BMC = no write

    /// <summary>Plans and applies the change for one BMC inside <paramref name="session"/>'s transaction.</summary>
    public BmcWriteOutcome Write(IStoreSession session, RedfishBmcInventory inventory, XnameMap? xnameMap, bool skipCertificateCheck = false, DateTime? now = null)
    {
        var outcome = new BmcWriteOutcome();
        var target = inventory.Target;
        var rfes = session.Collection<RedfishEndpoint>();
        var interfaces = session.Collection<EthernetInterface>();
        var fqdn = target.HostWithPort;

        // 1. The BMC's xname (spec/discovery-power.md §2.5).
        var sameEndpoint = rfes.FindOne(r => r.FQDN == fqdn);
        string bmc;
        if (xnameMap is not null)
        {
            var serials = inventory.Systems.Select(s => s.ChassisSerial).Concat(inventory.Systems.Select(s => s.SerialNumber));
            var mapped = xnameMap.Find(target, inventory.BmcMacAddress, serials);
            if (mapped is null)
            {
                outcome.Failure = DiscoveryFailure.Unmapped;
                outcome.Error = $"the xname map has no entry for {target} (by IP, IP:port, BMC MAC or serial); not stored";
                return outcome;
            }
            bmc = mapped;
        }
        else
        {
            bmc = sameEndpoint?.ID ?? KnownByMac(rfes, interfaces, inventory) ?? GenerateBmcXname(target, outcome.Warnings);
        }
        outcome.Xname = bmc;

        var existing = rfes.Get(bmc);
        if (existing is not null && existing.FQDN != fqdn)
        {
            var moved = inventory.BmcMacAddress is not null && existing.MACAddr == inventory.BmcMacAddress;
            if (!moved && xnameMap is null)
            {
                outcome.Failure = DiscoveryFailure.StoreFailed;
                outcome.Error = $"xname {bmc} already belongs to the BMC at {existing.FQDN}; name this BMC with -XnameMap";
                return outcome;
            }
            // The same BMC at a new address (same MAC), or the operator's map says so: the endpoint follows it.
            outcome.Changes.Add($"RedfishEndpoint {bmc} moves from {existing.FQDN} to {fqdn}");
        }
        if (sameEndpoint is not null && sameEndpoint.ID != bmc)
        {
            // The operator's map now names this address differently: the old endpoint goes (its components stay).
            endpoints.Delete(sameEndpoint.ID); // joins this transaction
            outcome.Changes.Add($"Deleted RedfishEndpoint {sameEndpoint.ID} (now {bmc})");
        }

        // 2. One node per System resource, never merged by UUID or serial.
        var nodes = AssignNodes(session, inventory, bmc);
        outcome.Nodes.AddRange(nodes);

        // 3. MACs owned by another component stay where they are.
        bool KeepMac(string mac, string owner)
        {
            var current = interfaces.Get(MacAddress.ToId(mac))?.ComponentID;
            if (string.IsNullOrEmpty(current) || current == owner) return true;
            outcome.Warnings.Add($"MAC {mac} already belongs to {current}; left there (not reassigned to {owner})");
            return false;
        }

        // 4. The SMD ingestion: endpoint, components, ComponentEndpoints, interfaces.
        var input = RedfishEndpointInputMapper.ToInput(inventory, bmc, nodes, KeepMac, skipCertificateCheck);
        outcome.Record = input;
        var changes = endpoints.Apply(session, [input], replace: true, Ingest);
        outcome.Changes.AddRange(changes.Items.Where(i => i.Action != ChangeAction.Unchanged).Select(i => $"{i.Action} {i.ObjectType} {i.ID}"));

        // 5. The services the root links (ServiceEndpoints) and the hardware inventory with its history (spec §2.9).
        outcome.Changes.AddRange(DiscoveredHardware.Write(session, inventory, bmc, fqdn, nodes, now ?? DateTime.UtcNow, outcome.Warnings));
        outcome.Status = existing is null ? BmcDiscoveryStatus.Added
            : outcome.Changes.Count > 0 ? BmcDiscoveryStatus.Updated
            : BmcDiscoveryStatus.Unchanged;
        return outcome;
    }

    /// <summary>
    /// Generated name (magellan-compatible, §2.5): <c>x&lt;(ip&gt;&gt;19)&amp;0x1FFF&gt;c&lt;(ip&gt;&gt;16)&amp;7&gt;s&lt;ip&gt;&gt;24&gt;b&lt;ip&amp;0xFF&gt;</c>.
    /// A BMC on another port than 443 folds the port into the BMC ordinal (<c>b&lt;port&gt;&lt;last octet as 3 digits&gt;</c>),
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
        var ordinal = target.Port == 443
            ? (ip & 0xFF).ToString(CultureInfo.InvariantCulture)
            : string.Create(CultureInfo.InvariantCulture, $"{target.Port}{ip & 0xFF:000}");
        var xname = Xname.Parse($"x{(ip >> 19) & 0x1FFF}c{(ip >> 16) & 0x7}s{ip >> 24}b{ordinal}");
        warnings.Add($"no xname map: generated {xname} from {target} (deterministic, not physical; use -XnameMap for real names)");
        return xname;
    }

    /// <summary>A BMC that moved to a new address keeps its name: same BMC MAC on an endpoint or a BMC-owned interface.</summary>
    private static string? KnownByMac(IDocumentCollection<RedfishEndpoint> rfes, IDocumentCollection<EthernetInterface> interfaces, RedfishBmcInventory inventory)
    {
        if (inventory.BmcMacAddress is not { } mac) return null;
        var byMac = rfes.Find(r => r.MACAddr == mac);
        if (byMac.Count == 1) return byMac[0].ID; // one owner only: duplicate MACs (cloned BMCs) identify nothing
        var owner = interfaces.Get(MacAddress.ToId(mac))?.ComponentID;
        return owner is not null && Xname.TryParse(owner, out var id, out var type) && type is HmsType.NodeBMC or HmsType.ChassisBMC or HmsType.RouterBMC
            && !rfes.Exists(id)
            ? id
            : null;
    }

    private static List<string> AssignNodes(IStoreSession session, RedfishBmcInventory inventory, string bmc)
    {
        var interfaces = session.Collection<EthernetInterface>();
        var ces = session.Collection<ComponentEndpoint>();
        var previous = ces.Find(c => c.RedfishEndpointID == bmc);
        var nodes = new List<string?>(new string?[inventory.Systems.Count]);
        for (var i = 0; i < inventory.Systems.Count; i++)
        {
            var system = inventory.Systems[i];
            // a) A node the operator (or a static import) owns through one of this System's MACs, unless another
            //    BMC's System is that node.
            foreach (var mac in system.MacAddresses)
            {
                var owner = interfaces.Get(MacAddress.ToId(mac))?.ComponentID;
                if (owner is null || !Xname.TryParse(owner, out var node, out var type) || type != HmsType.Node || nodes.Contains(node)) continue;
                var ce = ces.Get(node);
                if (ce is not null && ce.RedfishEndpointID != bmc) continue;
                nodes[i] = node;
                break;
            }
            if (nodes[i] is not null) continue;
            // b) The node this System was last time (its ComponentEndpoint, matched by resource path).
            var before = previous.FirstOrDefault(c => c.RedfishType == RedfishTypes.ComputerSystem && c.OdataID.TrimEnd('/') == system.Path)?.ID;
            if (before is not null && !nodes.Contains(before)) nodes[i] = before;
        }
        // c) SMD's rule for the rest: a System path ending in a node xname of this BMC, else <bmc>n<k>.
        for (var i = 0; i < nodes.Count; i++)
        {
            if (nodes[i] is not null) continue;
            var candidate = RedfishIngestion.NodeXnameFor(bmc, inventory.Systems[i].Path, i);
            for (var k = i + 1; nodes.Contains(candidate); k++) candidate = $"{bmc}n{k.ToString(CultureInfo.InvariantCulture)}";
            nodes[i] = candidate;
        }
        return nodes.Select(n => n!).ToList();
    }
}
