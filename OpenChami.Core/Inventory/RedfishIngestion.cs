using System.Globalization;
using OpenChami.Core.Errors;
using OpenChami.Core.Model;
using OpenChami.Core.Serialization;
using OpenChami.Core.Storage;
using OpenChami.Core.Xnames;

namespace OpenChami.Core.Inventory;

/// <summary>
/// SchemaVersion 1 ingestion (spec/smd.md §7): what one RedfishEndpoint record with Systems and Managers writes —
/// the components it derives, their ComponentEndpoints and EthernetInterfaces — inside the caller's transaction.
/// HTTP POST/PUT, static import and discovery all reach it through <see cref="RedfishEndpointService"/>.
/// </summary>
internal static class RedfishIngestion
{
    internal static void Ingest(IngestContext context, RedfishEndpoint endpoint, RedfishEndpointInput input, int? index)
    {
        var kept = new HashSet<string>(StringComparer.Ordinal);
        var nicsSeen = new Dictionary<string, EthernetInterface>(StringComparer.Ordinal);
        if (input.Managers is { Count: > 0 } managers) kept.Add(IngestManagers(context, endpoint, managers, nicsSeen));

        var systems = DistinctSystems(input.Systems ?? []);
        var nodeIds = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var k = 0; k < systems.Count; k++)
        {
            var system = systems[k];
            var path = UriPath(system.Uri);
            var nodeId = ExplicitNodeId(system) ?? NodeXnameFor(endpoint.ID, path, k, index);
            if (nodeIds.TryGetValue(nodeId, out var other))
            {
                throw ChamiException.Invalid("DuplicateSystemXname",
                    $"couldn't validate endpoint data{(index is { } i ? $" at idx {i}" : "")}: systems '{other}' and '{path}' of {endpoint.ID} both map to node {nodeId}", nodeId);
            }
            nodeIds[nodeId] = path;
            kept.Add(IngestSystem(context, endpoint, system, nodeId, path, nicsSeen));
        }

        // Each interface is written once, after all NICs of the record are merged: writing the first occurrence of a
        // repeated MAC (a VLAN on a NIC) and then the merge made every re-ingestion report an update.
        foreach (var nic in nicsSeen.Values) WriteInterface(context, nic);

        // CEs this endpoint no longer reports (a System removed from the BMC) are dropped, so power control
        // never targets a resource that is gone.
        var ces = context.Session.Collection<ComponentEndpoint>();
        var endpointId = endpoint.ID;
        foreach (var stale in ces.Find(c => c.RedfishEndpointID == endpointId).Where(c => !kept.Contains(c.ID)))
        {
            ces.Delete(stale.ID);
            context.Changes.Record(InventoryObjectTypes.ComponentEndpoint, stale.ID, ChangeAction.Deleted);
        }
    }

    /// <summary>The BMC's component and its Manager ComponentEndpoint; returns the CE's id.</summary>
    private static string IngestManagers(IngestContext context, RedfishEndpoint endpoint, IReadOnlyList<RedfishManagerRecord> managers, Dictionary<string, EthernetInterface> nicsSeen)
    {
        EnsureComponent(context, endpoint.ID, HmsState.Ready);
        // The endpoint's own manager: the BMC (or a blade's EnclosureManager), not an auxiliary controller that
        // the Managers collection may list first (EX425 lists MCU0 before BMC). Every manager's NICs are the BMC's.
        var manager = managers.FirstOrDefault(m => "BMC".Equals(m.Type, StringComparison.OrdinalIgnoreCase))
            ?? managers.FirstOrDefault(m => "EnclosureManager".Equals(m.Type, StringComparison.OrdinalIgnoreCase))
            ?? managers.FirstOrDefault(m => !"AuxiliaryController".Equals(m.Type, StringComparison.OrdinalIgnoreCase))
            ?? managers[0];
        var path = UriPath(manager.Uri);
        var nicInfo = new List<EthernetNicInfo>();
        foreach (var m in managers)
        {
            foreach (var nic in m.EthernetInterfaces ?? []) AddInterface(nicsSeen, nic, endpoint.ID, nicInfo);
        }
        var ce = NewComponentEndpoint(endpoint, endpoint.ID, RedfishTypes.Manager, manager.Type ?? string.Empty, path, manager.Uuid, RedfishTypes.ComponentEndpointManager);
        ce.RedfishManagerInfo = new RedfishManagerInfo
        {
            Name = string.IsNullOrEmpty(manager.Name) ? null : manager.Name,
            Actions = new ManagerActions
            {
                ManagerReset = new ResetAction
                {
                    AllowableValues = manager.Actions?.ToList() ?? [],
                    Target = string.IsNullOrEmpty(manager.ResetTarget) ? $"{path}/Actions/Manager.Reset" : UriPath(manager.ResetTarget),
                },
            },
            EthernetNICInfo = nicInfo.Count > 0 ? nicInfo : null,
        };
        StoreComponentEndpoint(context, ce);
        return ce.ID;
    }

    /// <summary>
    /// A repeated non-empty UUID is merged into its first occurrence; systems without a UUID are distinct by URI
    /// (blades and OpenBMC expose none, and must not collapse into one node).
    /// </summary>
    private static List<RedfishSystemRecord> DistinctSystems(IReadOnlyList<RedfishSystemRecord> systems)
    {
        var distinct = new List<RedfishSystemRecord>();
        var byUuid = new Dictionary<string, RedfishSystemRecord>(StringComparer.OrdinalIgnoreCase);
        var byUri = new Dictionary<string, RedfishSystemRecord>(StringComparer.Ordinal);
        foreach (var system in systems)
        {
            if (!string.IsNullOrWhiteSpace(system.Uuid))
            {
                if (byUuid.TryGetValue(system.Uuid.Trim(), out var first))
                {
                    if (first.Power?.PowerControlIds is not { Count: > 0 } && system.Power?.PowerControlIds is { Count: > 0 } ids)
                    {
                        first.Power = new RedfishPowerRecord { State = first.Power?.State ?? system.Power.State, PowerControlIds = ids };
                    }
                    continue;
                }
                byUuid[system.Uuid.Trim()] = system;
            }
            else
            {
                var key = UriPath(system.Uri);
                if (key.Length > 0 && !byUri.TryAdd(key, system)) continue;
            }
            distinct.Add(system);
        }
        return distinct;
    }

    /// <summary>One System's node component and its ComputerSystem ComponentEndpoint; returns the CE's id.</summary>
    private static string IngestSystem(IngestContext context, RedfishEndpoint endpoint, RedfishSystemRecord system, string nodeId, string path, Dictionary<string, EthernetInterface> nicsSeen)
    {
        EnsureComponent(context, nodeId, HmsState.On, NodeStateOf(system.Power?.State));

        var nicInfo = new List<EthernetNicInfo>();
        foreach (var nic in system.EthernetInterfaces ?? []) AddInterface(nicsSeen, nic, nodeId, nicInfo);

        var ce = NewComponentEndpoint(endpoint, nodeId, RedfishTypes.ComputerSystem, system.SystemType ?? string.Empty, path, system.Uuid, RedfishTypes.ComponentEndpointComputerSystem);
        var chassis = system.Links?.Chassis?.FirstOrDefault(c => !string.IsNullOrWhiteSpace(c));
        ce.RedfishSystemInfo = new RedfishSystemInfo
        {
            Name = string.IsNullOrEmpty(system.Name) ? null : system.Name,
            Actions = new ComputerSystemActions
            {
                ComputerSystemReset = new ResetAction
                {
                    AllowableValues = system.Actions?.ToList() ?? [],
                    ActionInfo = string.IsNullOrEmpty(system.ResetActionInfo) ? $"{path}/ResetActionInfo" : UriPath(system.ResetActionInfo),
                    Target = string.IsNullOrEmpty(system.ResetTarget) ? $"{path}/Actions/ComputerSystem.Reset" : UriPath(system.ResetTarget),
                },
            },
            EthernetNICInfo = nicInfo.Count > 0 ? nicInfo : null,
            PowerURL = chassis is null ? null : $"{UriPath(chassis).TrimEnd('/')}/Power",
            PowerControl = system.Power?.PowerControlIds is { Count: > 0 } pcs
                ? pcs.Select((pc, n) => new PowerControlInfo
                {
                    OdataId = UriPath(pc),
                    MemberId = pc.Contains("/PowerControl/", StringComparison.Ordinal) ? pc[(pc.LastIndexOf('/') + 1)..] : n.ToString(CultureInfo.InvariantCulture),
                    Name = "System Power Control",
                    RelatedItem = path.Length > 0 ? [new OdataReference { OdataId = path }] : null,
                }).ToList()
                : null,
        };
        StoreComponentEndpoint(context, ce);
        return ce.ID;
    }

    /// <summary>
    /// OpenChami discovery's <c>node_id</c> (spec/discovery-power.md §2.4): the node it chose for a System, e.g. one an
    /// operator already named. Only a Node xname string counts; anything else falls back to the naming rule.
    /// </summary>
    private static string? ExplicitNodeId(RedfishSystemRecord system) =>
        system.NodeId is { ValueKind: System.Text.Json.JsonValueKind.String } e && Xname.TryParse(e.GetString(), out var id, out var type) && type == HmsType.Node
            ? id
            : null;

    /// <summary>
    /// spec/smd.md §7 naming rule: a System whose URI ends in a Node xname of this BMC keeps that name
    /// (what ochami writes); otherwise <c>&lt;BMC&gt;n&lt;k&gt;</c> by position.
    /// </summary>
    public static string NodeXnameFor(string endpointId, string systemPath, int position, int? index = null)
    {
        var last = systemPath.TrimEnd('/');
        last = last[(last.LastIndexOf('/') + 1)..];
        if (Xname.TryParse(last, out var named, out var type) && type == HmsType.Node && Xname.GetNodeBmc(named) == endpointId)
        {
            return named;
        }
        var positional = $"{endpointId}n{position}";
        if (!Xname.TryParse(positional, out var id, out var positionalType) || positionalType != HmsType.Node)
        {
            throw ChamiException.Invalid("InvalidSystemXname",
                $"couldn't validate endpoint data{(index is { } i ? $" at idx {i}" : "")}: {endpointId} is not a NodeBMC, so its system '{systemPath}' cannot be named as a node", endpointId);
        }
        return id;
    }

    private static ComponentEndpoint NewComponentEndpoint(RedfishEndpoint endpoint, string id, string redfishType, string subtype, string path, string? uuid, string ceType) => new()
    {
        ID = id,
        Type = Xname.GetHmsType(id),
        RedfishType = redfishType,
        RedfishSubtype = subtype,
        UUID = string.IsNullOrWhiteSpace(uuid) ? null : uuid,
        OdataID = path,
        RedfishEndpointID = endpoint.ID,
        Enabled = true,
        RedfishEndpointFQDN = endpoint.FQDN,
        RedfishURL = endpoint.FQDN + path,
        ComponentEndpointType = ceType,
    };

    private static void StoreComponentEndpoint(IngestContext context, ComponentEndpoint ce)
    {
        var ces = context.Session.Collection<ComponentEndpoint>();
        context.Changes.Record(InventoryObjectTypes.ComponentEndpoint, ce.ID, ces.WriteIfChanged(ces.Get(ce.ID), ce));
    }

    /// <summary>
    /// The HMS State a System's Redfish <c>PowerState</c> stands for, as upstream SMD's discovery sets it
    /// (hms-smd pkg/rf, <c>EpSystem.discoverComponentState</c>; the same split PCS uses, spec/discovery-power.md §4):
    /// <c>On</c>/<c>PoweringOff</c> → On, <c>Off</c>/<c>PoweringOn</c> → Off; anything else (absent, Paused) says nothing.
    /// </summary>
    public static HmsState? NodeStateOf(string? powerState) => powerState?.Trim().ToLowerInvariant() switch
    {
        "on" or "poweringoff" => HmsState.On,
        "off" or "poweringon" => HmsState.Off,
        _ => null,
    };

    /// <summary>
    /// Creates a component the ingestion derives (BMC <c>Ready</c>, node <c>On</c> or what Redfish said); an existing
    /// component is never overwritten except that <c>Empty</c>/<c>Unknown</c> becomes the live state,
    /// and a node's state follows its Redfish <paramref name="reported"/> power state where SMD's transition rules
    /// (spec/smd.md §6: On is not set over Ready, which a booted node's heartbeat owns) allow it.
    /// </summary>
    private static void EnsureComponent(IngestContext context, string id, HmsState liveState, HmsState? reported = null)
    {
        var components = context.Session.Collection<Component>();
        var existing = components.Get(id);
        ChangeAction action;
        if (existing is null)
        {
            var type = Xname.GetHmsType(id);
            var component = new Component { ID = id, Type = type, State = reported ?? liveState, Flag = HmsFlag.OK, Enabled = true };
            if (type == HmsType.Node)
            {
                component.Role = "Compute";
                component.NID = context.NextFreeNid();
            }
            components.Insert(component);
            action = ChangeAction.Added;
        }
        else if (existing.State is null or HmsState.Empty or HmsState.Unknown)
        {
            existing.State = reported ?? liveState;
            components.Update(existing);
            action = ChangeAction.Updated;
        }
        else if (reported is { } state && existing.State != state && ComponentRules.IsTransitionAllowed(existing.State, state))
        {
            existing.State = state;
            components.Update(existing);
            action = ChangeAction.Updated;
        }
        else
        {
            action = ChangeAction.Unchanged;
        }
        context.Changes.Record(InventoryObjectTypes.Component, id, action);
    }

    private static void AddInterface(Dictionary<string, EthernetInterface> seen, RedfishInterfaceRecord nic, string componentId, List<EthernetNicInfo> nicInfo)
    {
        // "Not Available", "" and other non-MACs are recorded as absent, never invented or failed on.
        if (!MacAddress.TryNormalize(nic.Mac, out var mac)) return;
        var addresses = new List<IPAddressMapping>();
        void AddIp(string? ip, string? network)
        {
            if (string.IsNullOrWhiteSpace(ip)) return;
            var normalized = MacAddress.NormalizeIp(ip);
            if (addresses.Any(a => a.IPAddress == normalized)) return;
            addresses.Add(new IPAddressMapping { IPAddress = normalized, Network = string.IsNullOrEmpty(network) ? null : network });
        }
        AddIp(nic.Ip, nic.Network);
        foreach (var extra in nic.IPAddresses ?? []) AddIp(extra.IPAddress, extra.Network);

        var id = MacAddress.ToId(mac);
        if (seen.TryGetValue(id, out var already))
        {
            // The same MAC twice in one record (a VLAN on a NIC): one interface, addresses merged.
            foreach (var a in addresses.Where(a => already.IPAddresses.All(b => b.IPAddress != a.IPAddress))) already.IPAddresses.Add(a);
            return;
        }
        var path = UriPath(nic.Uri);
        var segment = path.Length > 0 ? path.TrimEnd('/')[(path.TrimEnd('/').LastIndexOf('/') + 1)..] : nic.Name ?? string.Empty;
        nicInfo.Add(new EthernetNicInfo
        {
            RedfishId = segment,
            OdataId = path,
            Description = string.IsNullOrEmpty(nic.Description) ? null : nic.Description,
            InterfaceEnabled = nic.Enabled,
            MACAddress = mac,
        });
        var wanted = new EthernetInterface
        {
            ID = id,
            MACAddress = mac,
            Description = nic.Description ?? string.Empty,
            ComponentID = componentId,
            Type = Xname.GetHmsType(componentId).ToString(),
            IPAddresses = addresses,
        };
        seen[id] = wanted; // written once, merged, after the whole record is read (see Ingest)
    }

    /// <summary>
    /// Upserts an interface in place (smd.md §7 ✱: never a 409 from ingestion). A record without addresses keeps
    /// the addresses already stored (Redfish rarely reports a host NIC's DHCP address; re-discovery must not erase
    /// the static inventory), and a network label is kept when the same address arrives without one.
    /// </summary>
    internal static ChangeAction UpsertInterface(IStoreSession session, EthernetInterface wanted, DateTime now)
    {
        var interfaces = session.Collection<EthernetInterface>();
        var existing = interfaces.Get(wanted.ID);
        var merged = new EthernetInterface
        {
            ID = wanted.ID,
            MACAddress = wanted.MACAddress,
            Description = wanted.Description,
            ComponentID = wanted.ComponentID,
            Type = wanted.Type,
            IPAddresses = wanted.IPAddresses.Count == 0 && existing is not null
                ? existing.IPAddresses
                : wanted.IPAddresses.Select(a => new IPAddressMapping
                {
                    IPAddress = a.IPAddress,
                    Network = a.Network ?? existing?.IPAddresses.FirstOrDefault(e => e.IPAddress == a.IPAddress)?.Network,
                }).ToList(),
            LastUpdate = existing?.LastUpdate ?? now,
        };
        if (existing is not null && ChamiJson.Serialize(merged) == ChamiJson.Serialize(existing)) return ChangeAction.Unchanged;
        merged.LastUpdate = now;
        interfaces.Upsert(merged);
        return existing is null ? ChangeAction.Added : ChangeAction.Updated;
    }

    private static void WriteInterface(IngestContext context, EthernetInterface wanted) =>
        context.Changes.Record(InventoryObjectTypes.EthernetInterface, wanted.ID, UpsertInterface(context.Session, wanted, context.Now));

    /// <summary>Absolute Redfish URIs (<c>https://host:port/redfish/v1/...</c>) are reduced to their path.</summary>
    public static string UriPath(string? uri)
    {
        if (string.IsNullOrWhiteSpace(uri)) return string.Empty;
        var text = uri.Trim();
        if (Uri.TryCreate(text, UriKind.Absolute, out var absolute) && (absolute.Scheme is "http" or "https"))
        {
            return Uri.UnescapeDataString(absolute.AbsolutePath) + absolute.Fragment;
        }
        return text;
    }
}
