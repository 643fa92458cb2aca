using System.Net;
using OpenChami.Core.Discovery;
using OpenChami.Core.Errors;
using OpenChami.Core.Model;
using OpenChami.Core.Serialization;
using OpenChami.Core.Storage;
using OpenChami.Core.Xnames;

namespace OpenChami.Core.Inventory;

/// <summary>
/// RedfishEndpoints (BMCs and other controllers), their ComponentEndpoints and ServiceEndpoints, and the
/// SchemaVersion 1 ingestion of spec/smd.md §7 — the one path by which HTTP POST/PUT, static inventory
/// import and Redfish discovery put a BMC's Systems and Managers into the inventory.
/// Every public write is one transaction: the endpoint, the components, CEs and NICs it derives, and
/// its credential are stored together or not at all. Writes return an <see cref="InventoryChangeSet"/>
/// so callers can report Added/Updated/Unchanged per object.
/// </summary>
public sealed class RedfishEndpointService(IChamiStore store, ICredentialStore credentials)
{
    /// <summary>Controller types that can be a RedfishEndpoint (spec/smd.md §3.2).</summary>
    public static readonly IReadOnlySet<HmsType> EndpointTypes = new HashSet<HmsType>
    {
        HmsType.NodeBMC, HmsType.ChassisBMC, HmsType.RouterBMC, HmsType.CabinetPDUController,
        HmsType.MgmtSwitch, HmsType.MgmtHLSwitch, HmsType.CDUMgmtSwitch,
    };

    public const string ConflictMessage = "operation would conflict with an existing resource that has the same FQDN or xname ID.";

    /// <summary>The 12 reset types <c>ochami discover static</c> advertises for every synthetic System.</summary>
    public static readonly IReadOnlyList<string> StaticResetTypes =
        ["On", "ForceOff", "GracefulShutdown", "GracefulRestart", "ForceRestart", "Nmi", "ForceOn", "PushPowerButton", "PowerCycle", "Suspend", "Pause", "Resume"];

    public ICredentialStore Credentials => credentials;

    // ------------------------------------------------------------------ reads

    public RedfishEndpoint? Find(string xname) =>
        Xname.TryParse(xname, out var id, out _) ? store.Read(s => s.Collection<RedfishEndpoint>().Get(id)) : null;

    public RedfishEndpoint Get(string xname) => Find(xname) ?? throw EndpointNotFound(xname);

    public IReadOnlyList<RedfishEndpoint> Query(RedfishEndpointQuery? query = null) => store.Read(s =>
    {
        query ??= new RedfishEndpointQuery();
        return s.Collection<RedfishEndpoint>().All()
            .Where(r => query.Id.Matches(r.ID)
                && query.Fqdn.Matches(r.FQDN, StringComparer.OrdinalIgnoreCase)
                && query.Type.Matches(r.Type)
                && query.Uuid.Matches(r.UUID ?? string.Empty, StringComparer.OrdinalIgnoreCase)
                && query.MacAddr.Matches(r.MACAddr ?? string.Empty)
                && query.IPAddress.Matches(r.IPAddress ?? string.Empty)
                && query.LastStatus.Matches(r.DiscoveryInfo.LastDiscoveryStatus))
            .OrderBy(r => r.ID, XnameComparer.Instance)
            .ToList();
    });

    public ComponentEndpoint? FindComponentEndpoint(string xname) =>
        Xname.TryParse(xname, out var id, out _) ? store.Read(s => s.Collection<ComponentEndpoint>().Get(id)) : null;

    public IReadOnlyList<ComponentEndpoint> QueryComponentEndpoints(ComponentEndpointQuery? query = null) => store.Read(s =>
    {
        query ??= new ComponentEndpointQuery();
        return s.Collection<ComponentEndpoint>().All()
            .Where(c => query.Id.Matches(c.ID)
                && query.RedfishEndpoint.Matches(c.RedfishEndpointID)
                && query.Type.Matches(c.Type)
                && query.RedfishType.Matches(c.RedfishType, StringComparer.OrdinalIgnoreCase))
            .OrderBy(c => c.ID, XnameComparer.Instance)
            .ToList();
    });

    /// <summary>The ComponentEndpoints of one endpoint (power control: which Systems a BMC fronts).</summary>
    public IReadOnlyList<ComponentEndpoint> ComponentEndpointsOf(string endpointXname)
    {
        var id = Xname.Parse(endpointXname);
        return store.Read(s => s.Collection<ComponentEndpoint>().Find(c => c.RedfishEndpointID == id));
    }

    public IReadOnlyList<ServiceEndpoint> QueryServiceEndpoints(string? service = null, string? endpointXname = null)
    {
        var endpoint = endpointXname is null ? null : Xname.TryParse(endpointXname, out var id, out _) ? id : "\0";
        return store.Read(s => s.Collection<ServiceEndpoint>().All()
            .Where(e => (service is null || e.RedfishType.Equals(service, StringComparison.OrdinalIgnoreCase))
                && (endpoint is null || e.RedfishEndpointID == endpoint))
            .OrderBy(e => e.RedfishEndpointID, XnameComparer.Instance).ThenBy(e => e.RedfishType, StringComparer.Ordinal)
            .ToList());
    }

    // ------------------------------------------------------------------ writes

    /// <summary>
    /// POST semantics: creates every endpoint (and ingests SchemaVersion 1 inventories) in one transaction.
    /// An ID or FQDN that already exists is a <c>RedfishEndpointExists</c> conflict and nothing is stored.
    /// </summary>
    public InventoryChangeSet Create(IReadOnlyList<RedfishEndpointInput> inputs) =>
        store.Write(s => Apply(s, inputs, replace: false, new IngestOptions()));

    /// <summary>
    /// PUT semantics (create or replace), used by discovery and import: re-sending the same record converges
    /// to the same state. An omitted Password or User keeps the stored one.
    /// </summary>
    public InventoryChangeSet Upsert(IReadOnlyList<RedfishEndpointInput> inputs, IngestOptions? options = null) =>
        store.Write(s => Apply(s, inputs, replace: true, options ?? new IngestOptions()));

    public InventoryChangeSet Upsert(RedfishEndpointInput input, IngestOptions? options = null) => Upsert([input], options);

    /// <summary><c>PUT /Inventory/RedfishEndpoints/{xname}</c>: the body ID is optional but must match.</summary>
    public RedfishEndpoint Put(string xname, RedfishEndpointInput input)
    {
        var id = Xname.TryParse(xname, out var parsed, out _)
            ? parsed
            : throw ChamiException.Invalid("InvalidXname", $"{xname} is not a valid locational xname ID", xname);
        if (!string.IsNullOrWhiteSpace(input.ID) && Xname.Normalize(input.ID) != id)
        {
            throw ChamiException.Invalid("XnameMismatch", "xname in URL and PUT body do not match", xname);
        }
        var copy = input.Clone();
        copy.ID = id;
        return store.Write(s =>
        {
            Apply(s, [copy], replace: true, new IngestOptions());
            return s.Collection<RedfishEndpoint>().Get(id)!;
        });
    }

    /// <summary>Changes only the supplied fields of an existing endpoint (<c>PATCH</c>; no inventory ingestion).</summary>
    public RedfishEndpoint Patch(string xname, RedfishEndpointInput patch)
    {
        var id = Xname.TryParse(xname, out var parsed, out _)
            ? parsed
            : throw ChamiException.Invalid("InvalidXname", "xname in URL is not valid", xname);
        return store.Write(s =>
        {
            var endpoints = s.Collection<RedfishEndpoint>();
            var current = endpoints.Get(id) ?? throw ChamiException.NotFound("RedfishEndpointNotFound", $"No such entry: {id}", id);
            var merged = new RedfishEndpointInput
            {
                ID = id,
                Name = patch.Name ?? current.Name,
                // Changing only the FQDN (or only host/domain) re-derives the other side.
                Hostname = patch.Hostname ?? (patch.FQDN is null ? current.Hostname : null),
                Domain = patch.Domain ?? (patch.FQDN is null ? current.Domain : null),
                FQDN = patch.FQDN ?? (patch.Hostname is null && patch.Domain is null ? current.FQDN : null),
                Enabled = patch.Enabled ?? current.Enabled,
                UUID = patch.UUID ?? current.UUID,
                User = patch.User ?? current.User,
                Password = patch.Password,
                UseSSDP = patch.UseSSDP ?? current.UseSSDP,
                MACRequired = patch.MACRequired ?? current.MACRequired,
                MACAddr = patch.MACAddr ?? current.MACAddr,
                IPAddress = patch.IPAddress ?? current.IPAddress,
                RediscoverOnUpdate = patch.RediscoverOnUpdate ?? current.RediscoverOnUpdate,
                TemplateID = patch.TemplateID ?? current.TemplateID,
                SkipCertificateCheck = patch.SkipCertificateCheck ?? current.SkipCertificateCheck,
            };
            var updated = Prepare(merged, index: null);
            updated.DiscoveryInfo = current.DiscoveryInfo;
            CheckFqdnUnique(s, updated);
            endpoints.Update(updated);
            if (!string.IsNullOrEmpty(patch.Password)) credentials.Set(s, id, updated.User, patch.Password);
            return updated;
        });
    }

    /// <summary>Sets the stored credential of an endpoint (and its User) without touching anything else.</summary>
    public RedfishEndpoint SetCredential(string xname, string user, string secret)
    {
        var id = Xname.Parse(xname);
        return store.Write(s =>
        {
            var endpoints = s.Collection<RedfishEndpoint>();
            var current = endpoints.Get(id) ?? throw EndpointNotFound(id);
            current.User = user;
            endpoints.Update(current);
            credentials.Set(s, id, user, secret);
            return current;
        });
    }

    /// <summary>Records a discovery outcome for a known endpoint (discovery failures: HTTPsGetFailed, VerificationFailed...).</summary>
    public RedfishEndpoint SetDiscoveryStatus(string xname, DiscoveryStatus status, DateTime? attempt = null, string? redfishVersion = null)
    {
        var id = Xname.Parse(xname);
        return store.Write(s =>
        {
            var endpoints = s.Collection<RedfishEndpoint>();
            var current = endpoints.Get(id) ?? throw EndpointNotFound(id);
            current.DiscoveryInfo = new DiscoveryInfo
            {
                LastDiscoveryStatus = status,
                LastDiscoveryAttempt = attempt ?? DateTime.UtcNow,
                RedfishVersion = redfishVersion ?? current.DiscoveryInfo.RedfishVersion,
            };
            endpoints.Update(current);
            return current;
        });
    }

    /// <summary>Deletes an endpoint, its CEs, SEs and credential; its components become <c>Empty</c> (they are kept).</summary>
    public RedfishEndpoint Delete(string xname)
    {
        var id = Xname.TryParse(xname, out var parsed, out _)
            ? parsed
            : throw ChamiException.Invalid("InvalidXname", "Argument was not a valid xname ID", xname);
        return store.Write(s =>
        {
            var endpoint = s.Collection<RedfishEndpoint>().Get(id) ?? throw EndpointNotFound(id);
            DeleteEndpoint(s, endpoint);
            return endpoint;
        });
    }

    /// <summary>Deletes every endpoint (404 <c>no entries to delete</c> when there are none).</summary>
    public int DeleteAll() => store.Write(s =>
    {
        var all = s.Collection<RedfishEndpoint>().All();
        if (all.Count == 0) throw NoEntries();
        foreach (var endpoint in all) DeleteEndpoint(s, endpoint);
        return all.Count;
    });

    public ComponentEndpoint DeleteComponentEndpoint(string xname)
    {
        var id = Xname.TryParse(xname, out var parsed, out _)
            ? parsed
            : throw ChamiException.Invalid("InvalidXname", "Argument was not a valid xname ID", xname);
        return store.Write(s =>
        {
            var ces = s.Collection<ComponentEndpoint>();
            var ce = ces.Get(id) ?? throw ChamiException.NotFound("ComponentEndpointNotFound", "no such xname.", id);
            ces.Delete(id);
            MarkEmpty(s, [id]);
            return ce;
        });
    }

    public int DeleteAllComponentEndpoints() => store.Write(s =>
    {
        var ids = s.Collection<ComponentEndpoint>().All().Select(c => c.ID).ToList();
        if (ids.Count == 0) throw NoEntries();
        s.Collection<ComponentEndpoint>().DeleteAll();
        MarkEmpty(s, ids);
        return ids.Count;
    });

    /// <summary>Stores ServiceEndpoints found by discovery (replacing those of the same type and endpoint).</summary>
    public InventoryChangeSet UpsertServiceEndpoints(IEnumerable<ServiceEndpoint> serviceEndpoints) => store.Write(s =>
    {
        var changes = new InventoryChangeSet();
        var collection = s.Collection<ServiceEndpoint>();
        foreach (var se in serviceEndpoints)
        {
            se.RedfishEndpointID = Xname.Parse(se.RedfishEndpointID);
            se.Key = ServiceEndpoint.KeyOf(se.RedfishType, se.RedfishEndpointID);
            var existing = collection.Get(se.Key);
            changes.Record(InventoryObjectTypes.ServiceEndpoint, se.Key, WriteIfChanged(collection, existing, se));
        }
        return changes;
    });

    public ServiceEndpoint DeleteServiceEndpoint(string service, string endpointXname)
    {
        var id = Xname.TryParse(endpointXname, out var parsed, out _) ? parsed : throw ServiceNotFound();
        return store.Write(s =>
        {
            var collection = s.Collection<ServiceEndpoint>();
            var se = collection.All().FirstOrDefault(e => e.RedfishEndpointID == id && e.RedfishType.Equals(service, StringComparison.OrdinalIgnoreCase))
                ?? throw ServiceNotFound();
            collection.Delete(se.Key);
            return se;
        });
    }

    public int DeleteAllServiceEndpoints() => store.Write(s =>
    {
        var count = s.Collection<ServiceEndpoint>().DeleteAll();
        return count == 0 ? throw NoEntries() : count;
    });

    internal static ChamiException ServiceNotFound() =>
        ChamiException.NotFound("ServiceEndpointNotFound", "no such service under redfish endpoint.");

    internal static ChamiException NoEntries() => ChamiException.NotFound("NoEntriesToDelete", "no entries to delete");

    internal static ChamiException EndpointNotFound(string? xname) =>
        ChamiException.NotFound("RedfishEndpointNotFound", "no such xname.", xname);

    // ------------------------------------------------------------------ the transaction body

    /// <summary>Stores endpoints and ingests their inventories inside the caller's transaction.</summary>
    internal InventoryChangeSet Apply(IStoreSession session, IReadOnlyList<RedfishEndpointInput> inputs, bool replace, IngestOptions options, InventoryChangeSet? changes = null)
    {
        changes ??= new InventoryChangeSet();
        if (inputs.Count == 0) throw ChamiException.Invalid("MissingRedfishEndpoints", "couldn't validate endpoint data: no RedfishEndpoints in request");
        var context = new IngestContext(session, changes, options);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < inputs.Count; i++)
        {
            int? index = inputs.Count > 1 ? i : null;
            var endpoint = Prepare(inputs[i], index);
            if (!seen.Add(endpoint.ID))
            {
                throw ChamiException.Conflict("RedfishEndpointExists", ConflictMessage, endpoint.ID);
            }
            StoreEndpoint(context, endpoint, inputs[i], replace, index);
        }
        return changes;
    }

    private void StoreEndpoint(IngestContext context, RedfishEndpoint endpoint, RedfishEndpointInput input, bool replace, int? index)
    {
        var session = context.Session;
        var endpoints = session.Collection<RedfishEndpoint>();
        var existing = endpoints.Get(endpoint.ID);
        if (existing is not null && !replace)
        {
            throw ChamiException.Conflict("RedfishEndpointExists", ConflictMessage, endpoint.ID);
        }
        CheckFqdnUnique(session, endpoint);

        if (existing is not null)
        {
            // Clients such as magellan and ochami never send the user or password: keep what is stored.
            if (input.User is null) endpoint.User = existing.User;
            if (input.SkipCertificateCheck is null) endpoint.SkipCertificateCheck = existing.SkipCertificateCheck;
            endpoint.DiscoveryInfo = existing.DiscoveryInfo.Clone();
        }

        var ingest = input.SchemaVersion is >= 1;
        if (ingest)
        {
            Ingest(context, endpoint, input, index);
            var version = input.RedfishVersion ?? endpoint.DiscoveryInfo.RedfishVersion;
            var statusChanged = endpoint.DiscoveryInfo.LastDiscoveryStatus != DiscoveryStatus.DiscoverOK || version != endpoint.DiscoveryInfo.RedfishVersion;
            endpoint.DiscoveryInfo.LastDiscoveryStatus = DiscoveryStatus.DiscoverOK;
            endpoint.DiscoveryInfo.RedfishVersion = version;
            if (context.Options.RefreshDiscoveryTimestamp || statusChanged || endpoint.DiscoveryInfo.LastDiscoveryAttempt is null)
            {
                endpoint.DiscoveryInfo.LastDiscoveryAttempt = context.Now;
            }
        }

        // SkipCertificateCheck is not on the wire, so the serialized comparison does not see it.
        var action = existing is not null && existing.SkipCertificateCheck != endpoint.SkipCertificateCheck
            ? Replace(endpoints, endpoint)
            : WriteIfChanged(endpoints, existing, endpoint, IgnoreAttempt);
        context.Changes.Record(InventoryObjectTypes.RedfishEndpoint, endpoint.ID, action);
        if (!string.IsNullOrEmpty(input.Password))
        {
            var stored = credentials.Get(endpoint.ID);
            if (stored is null || stored.Secret != input.Password || stored.User != endpoint.User)
            {
                credentials.Set(session, endpoint.ID, endpoint.User, input.Password);
            }
        }
        else if (existing is not null && input.User is not null && input.User != existing.User && credentials.Get(endpoint.ID) is { } cred)
        {
            credentials.Set(session, endpoint.ID, input.User, cred.Secret);
        }
    }

    private static ChangeAction Replace(IDocumentCollection<RedfishEndpoint> endpoints, RedfishEndpoint endpoint)
    {
        endpoints.Update(endpoint);
        return ChangeAction.Updated;
    }

    private static RedfishEndpoint IgnoreAttempt(RedfishEndpoint r)
    {
        var copy = r.Clone();
        copy.DiscoveryInfo.LastDiscoveryAttempt = null;
        return copy;
    }

    private static void CheckFqdnUnique(IStoreSession session, RedfishEndpoint endpoint)
    {
        var fqdn = endpoint.FQDN;
        var clash = session.Collection<RedfishEndpoint>().Find(r => r.FQDN == fqdn).FirstOrDefault(r => r.ID != endpoint.ID);
        if (clash is not null)
        {
            throw ChamiException.Conflict("DuplicateFqdn", ConflictMessage, endpoint.ID);
        }
    }

    /// <summary>
    /// Validates and normalizes an endpoint (spec/smd.md §3.2): ID (default Hostname) must be a controller
    /// xname; FQDN = Hostname[.Domain] else ID; MAC and IP normalized.
    /// </summary>
    public static RedfishEndpoint Prepare(RedfishEndpointInput input, int? index = null)
    {
        string Where() => index is { } i ? $" at idx {i}" : string.Empty;
        ChamiException Bad(string id, string reason, string? target = null) =>
            ChamiException.Invalid(id, $"couldn't validate endpoint data{Where()}: {reason}", target);

        var rawId = string.IsNullOrWhiteSpace(input.ID) ? input.Hostname : input.ID;
        if (string.IsNullOrWhiteSpace(rawId)) throw Bad("MissingXname", "ID is required (a BMC xname such as x1000c0s0b0)");
        if (!Xname.TryParse(rawId, out var id, out var type))
        {
            throw Bad("InvalidXname", $"{rawId} is not a valid locational xname ID", rawId);
        }
        if (!EndpointTypes.Contains(type))
        {
            throw Bad("InvalidRedfishEndpointType", $"xname ID {id} has wrong type for RF endpoint: {type}", id);
        }

        var hostname = input.Hostname?.Trim() ?? string.Empty;
        var domain = input.Domain?.Trim().TrimStart('.') ?? string.Empty;
        var fqdn = input.FQDN?.Trim() ?? string.Empty;
        if (fqdn.Length > 0)
        {
            if (hostname.Length == 0)
            {
                if (IsAddress(fqdn) || !fqdn.Contains('.'))
                {
                    hostname = fqdn;
                    domain = string.Empty;
                }
                else
                {
                    var dot = fqdn.IndexOf('.');
                    hostname = fqdn[..dot];
                    domain = fqdn[(dot + 1)..];
                }
            }
            else
            {
                var joined = domain.Length > 0 ? $"{hostname}.{domain}" : hostname;
                if (!string.Equals(joined, fqdn, StringComparison.OrdinalIgnoreCase))
                {
                    throw Bad("FqdnConflict", $"host/domain conflicts with FQDN: '{joined}' != '{fqdn}'", id);
                }
            }
        }
        else
        {
            if (hostname.Length == 0) hostname = id;
            fqdn = domain.Length > 0 ? $"{hostname}.{domain}" : hostname;
        }

        string? mac = null;
        if (!string.IsNullOrWhiteSpace(input.MACAddr))
        {
            mac = MacAddress.TryNormalize(input.MACAddr, out var m) ? m : throw Bad("InvalidMacAddress", $"MACAddr '{input.MACAddr}' is not a valid MAC address", id);
        }
        string? ip = null;
        if (!string.IsNullOrWhiteSpace(input.IPAddress))
        {
            ip = IPAddress.TryParse(input.IPAddress.Trim(), out var parsed) ? parsed.ToString() : throw Bad("InvalidIPAddress", "IPAddress is not a valid IP address", id);
        }

        return new RedfishEndpoint
        {
            ID = id,
            Type = type,
            Name = string.IsNullOrEmpty(input.Name) ? null : input.Name,
            Hostname = hostname,
            Domain = domain,
            FQDN = fqdn,
            Enabled = input.Enabled ?? true,
            UUID = string.IsNullOrEmpty(input.UUID) ? null : input.UUID,
            User = input.User ?? string.Empty,
            UseSSDP = input.UseSSDP == true ? true : null,
            MACRequired = input.MACRequired == true ? true : null,
            MACAddr = mac,
            IPAddress = ip,
            RediscoverOnUpdate = input.RediscoverOnUpdate ?? false,
            TemplateID = string.IsNullOrEmpty(input.TemplateID) ? null : input.TemplateID,
            SkipCertificateCheck = input.SkipCertificateCheck == true ? true : null,
        };
    }

    private static bool IsAddress(string host)
    {
        if (IPAddress.TryParse(host, out _)) return true;
        // "172.16.0.104:5000" and "[fd00::1]:5000": an address with a port.
        var colon = host.LastIndexOf(':');
        return colon > 0 && IPAddress.TryParse(host[..colon].Trim('[', ']'), out _);
    }

    // ------------------------------------------------------------------ SchemaVersion 1 ingestion (smd.md §7)

    private static void Ingest(IngestContext context, RedfishEndpoint endpoint, RedfishEndpointInput input, int? index)
    {
        var session = context.Session;
        var keptEndpoints = new HashSet<string>(StringComparer.Ordinal);
        var managers = input.Managers ?? [];
        var systems = input.Systems ?? [];
        var nicsSeen = new Dictionary<string, EthernetInterface>(StringComparer.Ordinal);

        if (managers.Count > 0)
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
                foreach (var nic in m.EthernetInterfaces ?? []) AddInterface(context, nicsSeen, nic, endpoint.ID, nicInfo);
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
            keptEndpoints.Add(ce.ID);
        }

        // Distinct systems: a repeated non-empty UUID is merged into its first occurrence; systems without a UUID
        // are distinct by URI (blades and OpenBMC expose none, and must not collapse into one node).
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

        var nodeIds = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var k = 0; k < distinct.Count; k++)
        {
            var system = distinct[k];
            var path = UriPath(system.Uri);
            var nodeId = ExplicitNodeId(system) ?? NodeXnameFor(endpoint.ID, path, k, index);
            if (nodeIds.TryGetValue(nodeId, out var other))
            {
                throw ChamiException.Invalid("DuplicateSystemXname",
                    $"couldn't validate endpoint data{(index is { } i ? $" at idx {i}" : "")}: systems '{other}' and '{path}' of {endpoint.ID} both map to node {nodeId}", nodeId);
            }
            nodeIds[nodeId] = path;
            EnsureComponent(context, nodeId, HmsState.On, NodeStateOf(system.Power?.State));

            var nicInfo = new List<EthernetNicInfo>();
            foreach (var nic in system.EthernetInterfaces ?? []) AddInterface(context, nicsSeen, nic, nodeId, nicInfo);

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
                        MemberId = pc.Contains("/PowerControl/", StringComparison.Ordinal) ? pc[(pc.LastIndexOf('/') + 1)..] : n.ToString(System.Globalization.CultureInfo.InvariantCulture),
                        Name = "System Power Control",
                        RelatedItem = path.Length > 0 ? [new OdataReference { OdataId = path }] : null,
                    }).ToList()
                    : null,
            };
            StoreComponentEndpoint(context, ce);
            keptEndpoints.Add(ce.ID);
        }

        // Each interface is written once, after all NICs of the record are merged: writing the first occurrence of a
        // repeated MAC (a VLAN on a NIC) and then the merge made every re-ingestion report an update.
        foreach (var nic in nicsSeen.Values) WriteInterface(context, nic);

        // CEs this endpoint no longer reports (a System removed from the BMC) are dropped, so power control
        // never targets a resource that is gone.
        var ces = session.Collection<ComponentEndpoint>();
        var endpointId = endpoint.ID;
        foreach (var stale in ces.Find(c => c.RedfishEndpointID == endpointId).Where(c => !keptEndpoints.Contains(c.ID)))
        {
            ces.Delete(stale.ID);
            context.Changes.Record(InventoryObjectTypes.ComponentEndpoint, stale.ID, ChangeAction.Deleted);
        }
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
        context.Changes.Record(InventoryObjectTypes.ComponentEndpoint, ce.ID, WriteIfChanged(ces, ces.Get(ce.ID), ce));
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

    private static void AddInterface(IngestContext context, Dictionary<string, EthernetInterface> seen, RedfishInterfaceRecord nic, string componentId, List<EthernetNicInfo> nicInfo)
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

    /// <summary>Writes <paramref name="wanted"/> unless it equals what is stored; returns what happened.</summary>
    internal static ChangeAction WriteIfChanged<T>(IDocumentCollection<T> collection, T? existing, T wanted, Func<T, T>? comparable = null) where T : class
    {
        if (existing is null)
        {
            collection.Insert(wanted);
            return ChangeAction.Added;
        }
        comparable ??= x => x;
        if (ChamiJson.Serialize(comparable(existing)) == ChamiJson.Serialize(comparable(wanted))) return ChangeAction.Unchanged;
        collection.Update(wanted);
        return ChangeAction.Updated;
    }

    private static void DeleteEndpoint(IStoreSession session, RedfishEndpoint endpoint)
    {
        var id = endpoint.ID;
        var ces = session.Collection<ComponentEndpoint>();
        var children = ces.Find(c => c.RedfishEndpointID == id).Select(c => c.ID).ToList();
        ces.DeleteMany(c => c.RedfishEndpointID == id);
        session.Collection<ServiceEndpoint>().DeleteMany(e => e.RedfishEndpointID == id);
        session.Collection<EndpointCredential>().Delete(id);
        session.Collection<RedfishEndpoint>().Delete(id);
        MarkEmpty(session, children);
    }

    /// <summary>Components whose Redfish presence is gone become <c>Empty</c>/<c>OK</c>; they are kept.</summary>
    private static void MarkEmpty(IStoreSession session, IEnumerable<string> ids)
    {
        var components = session.Collection<Component>();
        foreach (var id in ids)
        {
            if (components.Get(id) is not { } component) continue;
            component.State = HmsState.Empty;
            component.Flag = component.Flag == HmsFlag.Locked ? HmsFlag.Locked : HmsFlag.OK;
            components.Update(component);
        }
    }

    private sealed class IngestContext(IStoreSession session, InventoryChangeSet changes, IngestOptions options)
    {
        private SortedSet<long>? usedNids;
        private long nextCandidate = 1;

        public IStoreSession Session { get; } = session;

        public InventoryChangeSet Changes { get; } = changes;

        public IngestOptions Options { get; } = options;

        public DateTime Now { get; } = options.Now ?? DateTime.UtcNow;

        /// <summary>Lowest NID ≥ 1 not used by any Node (smd.md §7 ✱; upstream gave every BMC's first node NID 1).</summary>
        public long NextFreeNid()
        {
            usedNids ??= new SortedSet<long>(Session.Collection<Component>().Find(c => c.Type == HmsType.Node)
                .Where(c => c.NID is not null).Select(c => c.NID!.Value));
            while (usedNids.Contains(nextCandidate)) nextCandidate++;
            usedNids.Add(nextCandidate);
            return nextCandidate;
        }
    }
}

/// <summary>How an ingestion treats timestamps.</summary>
public sealed class IngestOptions
{
    /// <summary>
    /// True (discovery, HTTP): every ingestion stamps <c>LastDiscoveryAttempt</c>. False (static import): the stamp
    /// only changes with the status, so re-importing an unchanged file changes nothing.
    /// </summary>
    public bool RefreshDiscoveryTimestamp { get; init; } = true;

    /// <summary>The clock (tests).</summary>
    public DateTime? Now { get; init; }
}

/// <summary>Filters of <c>GET /Inventory/RedfishEndpoints</c> (spec/smd.md §5.3).</summary>
public sealed class RedfishEndpointQuery
{
    public FilterSet<string> Id { get; } = new();

    public FilterSet<string> Fqdn { get; } = new();

    public FilterSet<HmsType> Type { get; } = new();

    public FilterSet<string> Uuid { get; } = new();

    public FilterSet<string> MacAddr { get; } = new();

    public FilterSet<string> IPAddress { get; } = new();

    public FilterSet<DiscoveryStatus> LastStatus { get; } = new();
}

/// <summary>Filters of <c>GET /Inventory/ComponentEndpoints</c>.</summary>
public sealed class ComponentEndpointQuery
{
    public FilterSet<string> Id { get; } = new();

    public FilterSet<string> RedfishEndpoint { get; } = new();

    public FilterSet<HmsType> Type { get; } = new();

    public FilterSet<string> RedfishType { get; } = new();
}
