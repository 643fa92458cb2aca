using System.Net;
using OpenChami.Core.Discovery;
using OpenChami.Core.Errors;
using OpenChami.Core.Model;
using OpenChami.Core.Storage;
using OpenChami.Core.Xnames;

namespace OpenChami.Core.Inventory;

/// <summary>
/// RedfishEndpoints (BMCs and other controllers), and in the partial files beside this one their ComponentEndpoints
/// and ServiceEndpoints. <see cref="Apply"/> is the one path by which HTTP POST/PUT, static inventory import and
/// Redfish discovery store an endpoint; a SchemaVersion 1 record's Systems and Managers go on to
/// <see cref="RedfishIngestion"/> (spec/smd.md §7) in the same transaction.
/// Every public write is one transaction: the endpoint, the components, CEs and NICs it derives, and
/// its credential are stored together or not at all. Writes return an <see cref="InventoryChangeSet"/>
/// so callers can report Added/Updated/Unchanged per object.
/// </summary>
public sealed partial class RedfishEndpointService(IChamiStore store, ICredentialStore credentials)
{
    /// <summary>Controller types that can be a RedfishEndpoint (spec/smd.md §3.2).</summary>
    public static readonly IReadOnlySet<HmsType> EndpointTypes = new HashSet<HmsType>
    {
        HmsType.NodeBMC, HmsType.ChassisBMC, HmsType.RouterBMC, HmsType.CabinetPDUController,
        HmsType.MgmtSwitch, HmsType.MgmtHLSwitch, HmsType.CDUMgmtSwitch,
    };

    public const string ConflictMessage = "operation would conflict with an existing resource that has the same FQDN or xname ID.";

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
            RedfishIngestion.Ingest(context, endpoint, input, index);
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
            : endpoints.WriteIfChanged(existing, endpoint, IgnoreAttempt);
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
}
