using System.Globalization;
using System.Text.Json.Nodes;
using OpenChami.Core.Errors;
using OpenChami.Core.Model;
using OpenChami.Core.Serialization;
using OpenChami.Core.Storage;

namespace OpenChami.Core.Boot;

/// <summary>
/// Boot parameters (spec/bss.md §3–§4): stored one entry per identity, written all-or-nothing.
/// Every write path (HTTP POST/PUT/PATCH/DELETE, the cmdlets) ends in one <see cref="IChamiStore.Write{T}"/>.
/// </summary>
public sealed class BootParamsService(IChamiStore store)
{
    /// <summary>Number of committed write transactions (tests prove a 10,000-node pipeline is one).</summary>
    public long WriteTransactions => Interlocked.Read(ref writeTransactions);

    private long writeTransactions;

    /// <summary>The BSS settings in force (the S3 endpoint decides whether an <c>s3://</c> kernel or initrd can be stored).</summary>
    public Func<BootOptions> Options { get; init; } = static () => EnvironmentOptions.Value;

    private static readonly Lazy<BootOptions> EnvironmentOptions = new(() => BootOptions.FromEnvironment());

    // ---------- identities ----------

    /// <summary>All identities a wire object names, validated (every list honoured: spec/bss.md §9 #6).</summary>
    public static IReadOnlyList<BootIdentity> IdentitiesOf(BootParams body)
    {
        var arch = BootArch.NormalizeOrNull(body.Arch);
        var ids = new List<BootIdentity>();
        foreach (var host in body.Hosts ?? []) ids.Add(BootIdentity.Host(host, arch));
        foreach (var mac in body.Macs ?? []) ids.Add(BootIdentity.Mac(mac, arch));
        foreach (var nid in body.Nids ?? []) ids.Add(BootIdentity.Nid(nid, arch));
        foreach (var group in body.Groups ?? []) ids.Add(BootIdentity.Group(group, arch));
        return ids.DistinctBy(i => i.Key).ToList();
    }

    // ---------- reads ----------

    public IReadOnlyList<BootParamsEntry> GetEntries(BootParamsQuery? query = null) => store.Read(s => GetEntries(s, query ?? new()));

    internal static IReadOnlyList<BootParamsEntry> GetEntries(IStoreSession session, BootParamsQuery query)
    {
        var entries = session.Collection<BootParamsEntry>();
        IEnumerable<BootParamsEntry> result;
        if (query.HasIdentities)
        {
            var wanted = new List<BootIdentity>();
            foreach (var name in query.Names) if (BootIdentity.TryHost(name) is { } id) wanted.Add(id);
            foreach (var mac in query.Macs) wanted.Add(BootIdentity.Mac(mac));
            foreach (var nid in query.Nids) wanted.Add(BootIdentity.Nid(nid));
            foreach (var group in query.Groups) wanted.Add(BootIdentity.Group(group));
            result = wanted.SelectMany(id => Variants(session, id)).DistinctBy(e => e.Key).ToList();
        }
        else
        {
            result = entries.All();
        }
        if (!string.IsNullOrEmpty(query.Kernel)) result = result.Where(e => e.Kernel == query.Kernel);
        if (!string.IsNullOrEmpty(query.Initrd)) result = result.Where(e => e.Initrd == query.Initrd);
        return result.ToList();
    }

    /// <summary>Every architecture variant stored for an identity (the arch-less one first).</summary>
    internal static IEnumerable<BootParamsEntry> Variants(IStoreSession session, BootIdentity identity)
    {
        var value = identity.Value;
        var baseKey = identity.BaseKey;
        return session.Collection<BootParamsEntry>().Find(e => e.Value == value)
            .Where(e => BaseKeyOf(e) == baseKey)
            .OrderBy(e => e.Arch ?? string.Empty, StringComparer.Ordinal);
    }

    internal static string BaseKeyOf(BootParamsEntry e) => new BootIdentity(e.Kind, e.Value).BaseKey;

    /// <summary>The wire view: entries with identical kernel, initrd, params, cloud-init and arch share one element.</summary>
    public IReadOnlyList<BootParams> Get(BootParamsQuery? query = null) => Group(GetEntries(query));

    public static IReadOnlyList<BootParams> Group(IEnumerable<BootParamsEntry> entries)
    {
        var result = new List<BootParams>();
        var byConfig = new Dictionary<(string, string, string, string, string), BootParams>();
        foreach (var e in entries)
        {
            var key = (e.Kernel, e.Initrd, e.Params, e.CloudInit ?? string.Empty, e.Arch ?? string.Empty);
            if (!byConfig.TryGetValue(key, out var bp))
            {
                bp = new BootParams
                {
                    Arch = e.Arch,
                    Kernel = NullIfEmpty(e.Kernel),
                    Initrd = NullIfEmpty(e.Initrd),
                    Params = NullIfEmpty(e.Params),
                    CloudInit = WireCloudInit(e.CloudInit),
                };
                byConfig[key] = bp;
                result.Add(bp);
            }
            switch (e.Kind)
            {
                case BootIdentityKind.Mac: (bp.Macs ??= []).Add(e.Value); break;
                case BootIdentityKind.Nid: (bp.Nids ??= []).Add(long.Parse(e.Value, CultureInfo.InvariantCulture)); break;
                case BootIdentityKind.Group: (bp.Groups ??= []).Add(e.Value); break;
                default: (bp.Hosts ??= []).Add(e.Value); break;
            }
        }
        return result;
    }

    // ---------- HTTP-shaped writes (spec/bss.md §4) ----------

    /// <summary>POST: creates entries; any existing identity → Conflict and nothing written. Returns the referral token.</summary>
    public string Create(BootParams body)
    {
        var ids = RequireIdentities(body);
        if (string.IsNullOrWhiteSpace(body.Kernel)) throw ChamiException.Invalid("BootKernelRequired", "kernel URI cannot be blank");
        RequireFetchable(body.Kernel, body.Initrd);
        var token = Guid.NewGuid().ToString();
        Write(s =>
        {
            var entries = s.Collection<BootParamsEntry>();
            foreach (var id in ids)
            {
                if (entries.Exists(id.Key)) throw ChamiException.Conflict("BootParamsExist", $"boot parameters already exist for {id}", id.ToString());
            }
            foreach (var id in ids) BootSelectorIndex.WriteBss(s, NewEntry(id, body, token));
        });
        return token;
    }

    /// <summary>PUT: creates or replaces every named entry; omitted fields become empty (spec/bss.md §9 #5).</summary>
    public string Replace(BootParams body)
    {
        var ids = RequireIdentities(body);
        RequireFetchable(body.Kernel, body.Initrd);
        var token = Guid.NewGuid().ToString();
        Write(s =>
        {
            var entries = s.Collection<BootParamsEntry>();
            foreach (var id in ids) BootSelectorIndex.WriteBss(s, NewEntry(id, body, token));
        });
        return token;
    }

    /// <summary>PATCH: changes the non-empty fields of existing entries; a missing identity → NotFound, nothing written.</summary>
    public void Update(BootParams body)
    {
        var ids = RequireIdentities(body);
        var meta = body.CloudInit?["meta-data"];
        var user = body.CloudInit?["user-data"];
        var hasCloudInit = body.CloudInit is not null && (body.CloudInit.ContainsKey("meta-data") || body.CloudInit.ContainsKey("user-data"));
        if (string.IsNullOrEmpty(body.Kernel) && string.IsNullOrEmpty(body.Initrd) && string.IsNullOrEmpty(body.Params) && !hasCloudInit)
        {
            throw ChamiException.Invalid("BootParamsNothingToUpdate", "nothing to update");
        }
        RequireFetchable(body.Kernel, body.Initrd);
        Write(s =>
        {
            var entries = s.Collection<BootParamsEntry>();
            var existing = ids.Select(id => entries.Get(id.Key)
                ?? throw ChamiException.NotFound("BootParamsNotFound", $"{id} does not exist", id.ToString())).ToList();
            var now = DateTime.UtcNow;
            foreach (var entry in existing)
            {
                if (!string.IsNullOrEmpty(body.Kernel)) entry.Kernel = body.Kernel.Trim();
                if (!string.IsNullOrEmpty(body.Initrd)) entry.Initrd = body.Initrd.Trim();
                if (!string.IsNullOrEmpty(body.Params)) entry.Params = body.Params.Trim();
                if (hasCloudInit)
                {
                    var ci = ParseCloudInit(entry.CloudInit) ?? [];
                    if (body.CloudInit!.ContainsKey("meta-data")) ci["meta-data"] = MergePatch(ci["meta-data"], meta);
                    if (body.CloudInit!.ContainsKey("user-data")) ci["user-data"] = MergePatch(ci["user-data"], user);
                    entry.CloudInit = ci.ToJsonString(ChamiJson.Options);
                }
                entry.Updated = now;
                BootSelectorIndex.WriteBss(s, entry);
            }
        });
    }

    /// <summary>
    /// DELETE: by identities (every architecture variant unless <c>arch</c> is given), or with no identities
    /// every entry whose kernel/initrd/params equal all the given values. Nothing matched → NotFound.
    /// </summary>
    public int Delete(BootParams body)
    {
        var ids = IdentitiesOf(body);
        if (ids.Count == 0 && string.IsNullOrEmpty(body.Kernel) && string.IsNullOrEmpty(body.Initrd) && string.IsNullOrEmpty(body.Params))
        {
            throw ChamiException.Invalid("BootParamsNothingToDelete", "no hosts, macs, nids, kernel, initrd or params given");
        }
        var archGiven = !string.IsNullOrWhiteSpace(body.Arch);
        return Write(s =>
        {
            var entries = s.Collection<BootParamsEntry>();
            List<BootParamsEntry> doomed;
            if (ids.Count > 0)
            {
                doomed = ids.SelectMany(id => archGiven ? (entries.Get(id.Key) is { } e ? [e] : []) : Variants(s, id)).DistinctBy(e => e.Key).ToList();
            }
            else
            {
                doomed = entries.All().Where(e =>
                    (string.IsNullOrEmpty(body.Kernel) || e.Kernel == body.Kernel) &&
                    (string.IsNullOrEmpty(body.Initrd) || e.Initrd == body.Initrd) &&
                    (string.IsNullOrEmpty(body.Params) || e.Params == body.Params)).ToList();
            }
            if (doomed.Count == 0) throw ChamiException.NotFound("BootParamsNotFound", "no matching boot parameters");
            foreach (var e in doomed) BootSelectorIndex.RemoveSelector(s, e.Key);
            return doomed.Count;
        });
    }

    // ---------- cmdlet-shaped writes ----------

    /// <summary>
    /// What <see cref="Apply"/> would do, per identity, without writing. An identity without an entry of its
    /// own starts from what it boots today (a node inheriting its role's or Default's parameters), so
    /// "add one kernel argument to these nodes" keeps their kernel.
    /// </summary>
    /// <param name="shadows">Also fill <see cref="BootParamsChange.Shadows"/> (a -WhatIf run shows them).</param>
    public IReadOnlyList<BootParamsChange> Preview(IReadOnlyList<BootIdentity> identities, BootParamsEdit edit, bool shadows = false) =>
        store.Read(s =>
        {
            RequireFetchable(edit.Kernel, edit.Initrd);
            var changes = Plan(s, identities, edit, out var memberships);
            if (shadows) BootParamsShadowFinder.Fill(s, changes, memberships);
            return changes;
        });

    /// <summary>Applies one edit to many identities in ONE transaction: all of them or none. Fills each change's <see cref="BootParamsChange.Shadows"/>.</summary>
    public IReadOnlyList<BootParamsChange> Apply(IReadOnlyList<BootIdentity> identities, BootParamsEdit edit) => Write(s =>
    {
        RequireFetchable(edit.Kernel, edit.Initrd);
        var changes = Plan(s, identities, edit, out var memberships);
        BootParamsShadowFinder.Fill(s, changes, memberships);
        var entries = s.Collection<BootParamsEntry>();
        foreach (var change in changes) BootSelectorIndex.WriteBss(s, change.New);
        return changes;
    });

    /// <summary>Removes the named identities' entries (every variant unless one has an arch) in one transaction.</summary>
    public IReadOnlyList<BootParamsEntry> Remove(IReadOnlyList<BootIdentity> identities, bool exactArch) => Write(s =>
    {
        var entries = s.Collection<BootParamsEntry>();
        var removed = new List<BootParamsEntry>();
        foreach (var id in identities)
        {
            var found = exactArch ? (entries.Get(id.Key) is { } e ? [e] : []) : Variants(s, id).ToList();
            if (found.Count == 0) throw ChamiException.NotFound("BootParamsNotFound", $"no boot parameters for {id}", id.ToString());
            removed.AddRange(found);
        }
        foreach (var e in removed.DistinctBy(e => e.Key)) BootSelectorIndex.RemoveSelector(s, e.Key);
        return (IReadOnlyList<BootParamsEntry>)removed.DistinctBy(e => e.Key).ToList();
    });

    private static List<BootParamsChange> Plan(IStoreSession s, IReadOnlyList<BootIdentity> identities, BootParamsEdit edit, out ILookup<string, string>? memberships)
    {
        if (edit.IsEmpty) throw ChamiException.Invalid("BootParamsNothingToUpdate", "nothing to update: give -Kernel, -Initrd, -Params, -AddParam or -RemoveParam");
        var entries = s.Collection<BootParamsEntry>();
        var now = DateTime.UtcNow;
        var token = Guid.NewGuid().ToString();
        var changes = new List<BootParamsChange>(identities.Count);
        var lookup = memberships = BootEntryResolver.Memberships(s);
        Func<string, IEnumerable<string>>? labelsOf = lookup is null ? null : node => lookup[node];
        foreach (var id in identities.DistinctBy(i => i.Key))
        {
            var own = entries.Get(id.Key);
            BootParamsEntry? basis = own;
            string? inherited = null;
            if (basis is null && id.Kind == BootIdentityKind.Host)
            {
                var resolved = BootEntryResolver.Resolve(s, new BootRequest { Name = id.Value, Arch = id.Arch }, labelsOf);
                if (resolved.Component is not null && resolved.Entry is { } from)
                {
                    basis = from;
                    inherited = resolved.Source;
                }
            }
            var next = new BootParamsEntry
            {
                Key = id.Key, Kind = id.Kind, Value = id.Value, Arch = id.Arch,
                Kernel = (edit.Kernel ?? basis?.Kernel ?? string.Empty).Trim(),
                Initrd = (edit.Initrd ?? basis?.Initrd ?? string.Empty).Trim(),
                Params = KernelParams.Edit(edit.Params ?? basis?.Params ?? string.Empty, edit.AddParams, edit.RemoveParams),
                CloudInit = basis?.CloudInit,
                ReferralToken = token,
                Updated = now,
            };
            if (next.Kernel.Length == 0)
            {
                throw ChamiException.Invalid("BootKernelRequired", $"{id} has no boot parameters to start from: give -Kernel", id.ToString());
            }
            changes.Add(new BootParamsChange { Identity = id, Old = own?.Clone(), InheritedFrom = inherited, Basis = basis?.Clone(), New = next });
        }
        return changes;
    }

    // ---------- helpers ----------

    private T Write<T>(Func<IStoreSession, T> work)
    {
        var result = store.Write(work);
        Interlocked.Increment(ref writeTransactions);
        return result;
    }

    private void Write(Action<IStoreSession> work) => Write<bool>(s => { work(s); return true; });

    /// <summary>An <c>s3://</c> kernel or initrd needs an S3 endpoint to be served as (spec/bss.md §5.5); nothing is written otherwise.</summary>
    private void RequireFetchable(string? kernel, string? initrd) => RequireFetchable(kernel, initrd, Options().S3Endpoint);

    private static void RequireFetchable(string? kernel, string? initrd, string? s3Endpoint)
    {
        S3BootUrl.RequireFetchable(kernel, "kernel", s3Endpoint);
        S3BootUrl.RequireFetchable(initrd, "initrd", s3Endpoint);
    }

    private static IReadOnlyList<BootIdentity> RequireIdentities(BootParams body)
    {
        var ids = IdentitiesOf(body);
        return ids.Count > 0 ? ids : throw ChamiException.Invalid("BootIdentityRequired", "no hosts, macs or nids given");
    }

    private static BootParamsEntry NewEntry(BootIdentity id, BootParams body, string token) => new()
    {
        Key = id.Key,
        Kind = id.Kind,
        Value = id.Value,
        Arch = id.Arch,
        Kernel = body.Kernel?.Trim() ?? string.Empty,
        Initrd = body.Initrd?.Trim() ?? string.Empty,
        Params = body.Params?.Trim() ?? string.Empty,
        CloudInit = body.CloudInit?.ToJsonString(ChamiJson.Options),
        ReferralToken = token,
        Updated = DateTime.UtcNow,
    };

    private static string? NullIfEmpty(string s) => s.Length == 0 ? null : s;

    private static JsonObject? ParseCloudInit(string? json) => string.IsNullOrEmpty(json) ? null : JsonNode.Parse(json) as JsonObject;

    /// <summary>The always-present wire <c>cloud-init</c> object: stored meta-data/user-data, phone-home with its fixed keys.</summary>
    internal static JsonObject WireCloudInit(string? stored)
    {
        var ci = ParseCloudInit(stored);
        var phone = ci?["phone-home"] as JsonObject;
        var result = new JsonObject
        {
            ["meta-data"] = ci?["meta-data"]?.DeepClone(),
            ["user-data"] = ci?["user-data"]?.DeepClone(),
        };
        var phoneOut = new JsonObject();
        foreach (var key in new[] { "pub_key_dsa", "pub_key_rsa", "pub_key_ecdsa" }) phoneOut[key] = Text(phone, key);
        if (Text(phone, "pub_key_ed25519") is { Length: > 0 } ed) phoneOut["pub_key_ed25519"] = ed;
        foreach (var key in new[] { "instance_id", "hostname", "fqdn" }) phoneOut[key] = Text(phone, key);
        result["phone-home"] = phoneOut;
        return result;
    }

    private static string Text(JsonObject? o, string key) =>
        o?[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : string.Empty;

    /// <summary>RFC 7386 JSON merge patch.</summary>
    internal static JsonNode? MergePatch(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject) return patch?.DeepClone();
        var result = target is JsonObject t ? (JsonObject)t.DeepClone() : [];
        foreach (var (key, value) in patchObject)
        {
            if (value is null) result.Remove(key);
            else result[key] = MergePatch(result[key], value);
        }
        return result;
    }
}
