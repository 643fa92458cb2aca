using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json.Serialization;
using OpenChami.Core.Errors;
using OpenChami.Core.Inventory;
using OpenChami.Core.Model;
using OpenChami.Core.Storage;
using OpenChami.Core.Xnames;

namespace OpenChami.Core.Boot;

/// <summary>A boot-script request: the <c>/boot/v1/bootscript</c> query (spec/bss.md §5.1), normalized.</summary>
public sealed class BootRequest
{
    /// <summary>Normalized MAC of the booting NIC.</summary>
    public string? Mac { get; set; }

    /// <summary>Xname as given (normalized during resolution).</summary>
    public string? Name { get; set; }

    public long? Nid { get; set; }

    /// <summary>iPXE <c>${buildarch}</c>, normalized.</summary>
    public string? Arch { get; set; }

    public int Retry { get; set; }

    /// <summary>Unix seconds echoed in the unknown-path chain URL; null = now.</summary>
    public long? Ts { get; set; }

    /// <summary>Host (and port) the node used to reach us, for derived URLs.</summary>
    public string? Host { get; set; }

    /// <summary>False for previews (Get-ChamiBootScript): only real boots update endpoint-history.</summary>
    public bool RecordAccess { get; set; } = true;

    public bool HasSelector => Mac is not null || Name is not null || Nid is not null;
}

/// <summary>Which entry a node boots from, and what SMD knows about it.</summary>
public sealed class BootResolution
{
    public Component? Component { get; init; }

    /// <summary>The node's MACs (request MAC first).</summary>
    public IReadOnlyList<string> Macs { get; init; } = [];

    public BootParamsEntry? Entry { get; init; }

    /// <summary>The entry's identity, e.g. <c>host:x1000c0s0b0n0</c>, <c>group:compute</c>, <c>tag:Default|arm64</c>; empty when none.</summary>
    public string Source { get; init; } = string.Empty;

    public string? Arch { get; init; }
}

/// <summary>The exact script a node receives, and where it came from (Get-ChamiBootScript, <c>/bootscript</c>).</summary>
public sealed class BootScript
{
    public string? Node { get; init; }
    public string? MacAddress { get; init; }
    public long? Nid { get; init; }
    public string? Arch { get; init; }

    /// <summary>False when the node got the unknown-node answer (sleep-and-chain or its <c>Unknown-&lt;arch&gt;</c> image).</summary>
    public bool Known { get; init; }

    /// <summary>Entry the script was built from (<c>host:...</c>, <c>mac:...</c>, <c>nid:...</c>, <c>group:...</c>, <c>tag:Compute</c>, <c>tag:Default</c>, <c>tag:Unknown-x86_64</c>), or <c>none</c>.</summary>
    public string Source { get; init; } = "none";

    public string? Kernel { get; init; }
    public string? Initrd { get; init; }

    /// <summary>The kernel command line as built (§5.5).</summary>
    public string? CommandLine { get; init; }

    public string Script { get; init; } = string.Empty;

    public override string ToString() => Script;
}

/// <summary><c>?json=1</c> reply (spec/bss.md §5.7).</summary>
public sealed class BootScriptJson
{
    [JsonPropertyName("params")]
    public string Params { get; init; } = string.Empty;

    [JsonPropertyName("kernel")]
    public BootPath Kernel { get; init; } = new(string.Empty);

    [JsonPropertyName("initrd")]
    public BootPath? Initrd { get; init; }
}

public sealed record BootPath([property: JsonPropertyName("path")] string Path);

/// <summary>
/// Builds iPXE boot scripts (spec/bss.md §5) from the live store: every request reads one consistent
/// snapshot, so a change is what the next request sees (no cache).
///
/// Resolution order (most specific wins; the same for HTTP, Get-ChamiBootScript and Set-ChamiBootParams):
///   1. host entry of the node's xname
///   2. MAC entries: the requesting MAC first, then the node's other MACs (oldest interface first)
///   3. NID entry
///   4. group entries of the node's SMD groups (labels in ordinal order)
///   5. role tag (e.g. <c>Compute</c>)
///   6. <c>Default</c>
/// At each level an entry for the node's architecture (request <c>arch=</c>, else SMD <c>Arch</c>) is
/// preferred to the architecture-less one. Spec §5.2 looks up the request key first; we rank the node's
/// own xname first so a node gets the same script whether it asks by MAC, name or NID.
/// </summary>
public sealed partial class BootScriptService(IChamiStore store)
{
    private readonly ConcurrentDictionary<string, EndpointAccess> pendingAccess = new();
    private Timer? flushTimer;

    public BootOptions Options { get; set; } = BootOptions.FromEnvironment();

    /// <summary>Where the <c>ds=nocloud-net;s=</c> seed points (per-node signed seeds plug in here).</summary>
    public ICloudInitSeedProvider SeedProvider { get; set; } = DefaultCloudInitSeedProvider.Instance;

    /// <summary>The script for a DHCP server's one fixed URL: chain back with the NIC's MAC and build architecture.</summary>
    public string SelectorScript(string? host) =>
        $"#!ipxe\nchain {Options.ChainBase(host)}/boot/v1/bootscript?mac=${{net0/mac}}&arch=${{buildarch}}\n\n";

    public BootResolution Resolve(BootRequest request) => store.Read(s => ResolveEntry(s, request));

    /// <summary>The script a node gets. Unknown nodes get sleep-and-chain or their <c>Unknown-&lt;arch&gt;</c> image; NotFound when neither applies.</summary>
    public BootScript GetScript(BootRequest request)
    {
        if (!request.HasSelector) throw ChamiException.Invalid("BootSelectorRequired", "Need a mac=, name=, or nid= parameter");
        // A known node's script is remembered until something it was built from changes (boot storms ask it again and
        // again); the unknown-node answer carries the time, so it is built each time.
        var script = store.Remember(ScriptKey(request), () => BuildScript(request), built => built.Known);
        if (script.Known && request.RecordAccess) RecordAccess(script.Node!, "bootscript");
        return script;
    }

    /// <summary>Every input of <see cref="BuildScript"/> that is not in the store.</summary>
    private string ScriptKey(BootRequest r) => string.Join('\n', "bootscript", r.Mac, r.Name, r.Nid?.ToString(CultureInfo.InvariantCulture), r.Arch,
        r.Retry.ToString(CultureInfo.InvariantCulture), r.Ts?.ToString(CultureInfo.InvariantCulture), Options.ChainBase(r.Host), Options.CloudInitBase(r.Host),
        Options.RetryDelay.ToString(CultureInfo.InvariantCulture), Options.HsmRetrievalDelay.ToString(CultureInfo.InvariantCulture),
        SeedProvider.GetType().FullName, RuntimeHelpers.GetHashCode(SeedProvider).ToString(CultureInfo.InvariantCulture));

    private BootScript BuildScript(BootRequest request)
    {
        var (resolution, unknownEntry) = store.Read(s =>
        {
            var r = ResolveEntry(s, request);
            var arch = BootArch.NormalizeOrNull(request.Arch);
            var unknown = IsKnown(r) || arch is null ? null : s.Collection<BootParamsEntry>().Get(BootIdentity.UnknownTag(arch).Key);
            return (r, unknown);
        });
        var chainBase = Options.ChainBase(request.Host);
        var component = resolution.Component;
        if (IsKnown(resolution) && component is not null)
        {
            var entry = resolution.Entry!;
            var commandLine = BuildCommandLine(entry, component, request);
            var chainMac = request.Mac ?? resolution.Macs.FirstOrDefault();
            var retry = (request.Retry + 1).ToString(CultureInfo.InvariantCulture);
            var chain = chainMac is not null
                ? $"{chainBase}/boot/v1/bootscript?mac={chainMac}&retry={retry}"
                : $"{chainBase}/boot/v1/bootscript?name={component.ID}&retry={retry}";
            return new BootScript
            {
                Node = component.ID, MacAddress = request.Mac ?? resolution.Macs.FirstOrDefault(), Nid = component.NID, Arch = resolution.Arch,
                Known = true, Source = resolution.Source, Kernel = entry.Kernel, Initrd = NullIfEmpty(entry.Initrd), CommandLine = commandLine,
                Script = KernelScript(entry.Kernel, commandLine, entry.Initrd, chain),
            };
        }

        var unknownChain = $"{chainBase}/boot/v1/bootscript?{UnknownId(request, component)}&arch=${{buildarch}}&ts={request.Ts ?? DateTimeOffset.UtcNow.ToUnixTimeSeconds()}";
        var requestArch = BootArch.NormalizeOrNull(request.Arch);
        if (requestArch is null)
        {
            return new BootScript
            {
                Node = component?.ID, MacAddress = request.Mac, Nid = component?.NID ?? request.Nid, Known = false, Source = "none",
                Script = $"#!ipxe\nsleep {Options.HsmRetrievalDelay}\nchain {unknownChain}\n\n",
            };
        }
        if (unknownEntry is { Kernel.Length: > 0 })
        {
            // Discovery image: no xname=/nid=/BOOTIF= (the node is not known).
            var seed = SeedProvider.GetSeedUrl(new CloudInitSeedRequest(Options.CloudInitBase(request.Host), null, request.Mac));
            var commandLine = KernelParams.Build(unknownEntry.Params, null, null, null, seed, unknownEntry.Initrd.Length > 0);
            return new BootScript
            {
                Node = component?.ID, MacAddress = request.Mac, Nid = component?.NID ?? request.Nid, Arch = requestArch, Known = false,
                Source = SourceOf(unknownEntry), Kernel = unknownEntry.Kernel, Initrd = NullIfEmpty(unknownEntry.Initrd), CommandLine = commandLine,
                Script = KernelScript(unknownEntry.Kernel, commandLine, unknownEntry.Initrd, unknownChain),
            };
        }
        throw ChamiException.NotFound("BootHostNotConfigured",
            $"Unknown {Describe(request, component)} architecture {requestArch}: this host not configured for booting.", request.Mac ?? request.Name ?? request.Nid?.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary><c>?json=1</c>: same resolution, never the unknown path.</summary>
    public BootScriptJson GetJson(BootRequest request)
    {
        if (!request.HasSelector) throw ChamiException.Invalid("BootSelectorRequired", "Need a mac=, name=, or nid= parameter");
        var resolution = Resolve(request);
        var entry = resolution.Entry is { Kernel.Length: > 0 } e ? e : new BootParamsEntry();
        var commandLine = BuildCommandLine(entry, resolution.Component, request);
        return new BootScriptJson
        {
            Params = "kernel " + commandLine,
            Kernel = new BootPath(entry.Kernel),
            Initrd = entry.Initrd.Length > 0 ? new BootPath(entry.Initrd) : null,
        };
    }

    private string BuildCommandLine(BootParamsEntry entry, Component? component, BootRequest request)
    {
        var seed = SeedProvider.GetSeedUrl(new CloudInitSeedRequest(Options.CloudInitBase(request.Host), component?.ID, request.Mac));
        return KernelParams.Build(entry.Params, component?.ID, component?.NID, request.Mac, seed, entry.Initrd.Length > 0);
    }

    private string KernelScript(string kernel, string commandLine, string initrd, string chain)
    {
        var sb = new StringBuilder(256);
        sb.Append("#!ipxe\n");
        sb.Append("kernel --name kernel ").Append(kernel);
        if (commandLine.Length > 0) sb.Append(' ').Append(commandLine);
        sb.Append(" || goto boot_retry\n");
        if (initrd.Length > 0) sb.Append("initrd --name initrd ").Append(initrd).Append(" || goto boot_retry\n");
        sb.Append("boot || goto boot_retry\n");
        sb.Append(":boot_retry\n");
        sb.Append("sleep ").Append(Options.RetryDelay.ToString(CultureInfo.InvariantCulture)).Append('\n');
        sb.Append("chain ").Append(chain).Append("\n\n");
        return sb.ToString();
    }

    private static bool IsKnown(BootResolution r) => r.Component is not null && r.Entry is { Kernel.Length: > 0 };

    private static string UnknownId(BootRequest request, Component? component) =>
        request.Mac is not null ? $"mac={request.Mac}"
        : request.Name is not null ? $"name={component?.ID ?? request.Name}"
        : request.Nid is not null ? $"nid={request.Nid.Value.ToString(CultureInfo.InvariantCulture)}"
        : "mac=${net0/mac}";

    private static string Describe(BootRequest request, Component? component)
    {
        var xname = component is null ? string.Empty : $" ({component.ID})";
        return request.Mac is not null ? $"MAC {request.Mac}{xname}"
            : request.Name is not null ? (component?.ID ?? request.Name)
            : $"NID {request.Nid}{xname}";
    }

    private static string? NullIfEmpty(string s) => s.Length == 0 ? null : s;

    internal static string SourceOf(BootParamsEntry e) =>
        $"{BootIdentity.KindName(e.Kind)}:{e.Value}" + (e.Arch is null ? string.Empty : $"|{e.Arch}");

    /// <summary>
    /// Step 1 (component) and step 2 (entry) of the resolution, inside one snapshot. <paramref name="labelsOf"/>, when
    /// given, says group levels count and where a node's group labels come from (bulk work reads them once).
    /// <paramref name="pending"/> are entries about to be written, seen as if stored (what a -WhatIf preview resolves against).
    /// </summary>
    internal static BootResolution ResolveEntry(IStoreSession s, BootRequest request, Func<string, IEnumerable<string>>? labelsOf = null,
        IReadOnlyDictionary<string, BootParamsEntry>? pending = null)
    {
        var components = s.Collection<Component>();
        var nics = s.Collection<EthernetInterface>();
        Component? component = null;
        if (request.Mac is not null)
        {
            if (nics.Get(MacAddress.ToId(request.Mac)) is { ComponentID.Length: > 0 } nic && components.Get(nic.ComponentID) is { } c && c.State != HmsState.Empty)
            {
                component = c;
            }
        }
        else if (request.Name is not null)
        {
            if (Xname.TryParse(request.Name, out var id, out _)) component = components.Get(id);
        }
        else if (request.Nid is { } wantedNid)
        {
            component = components.Find(c => c.NID == wantedNid).FirstOrDefault(c => c.Type == HmsType.Node);
        }

        // The node's MACs (request MAC first) cost a query: read them only when a level needs them.
        List<string>? allMacs = null;
        List<string> AllMacs()
        {
            if (allMacs is not null) return allMacs;
            allMacs = request.Mac is null ? [] : [request.Mac];
            if (component is not null)
            {
                var componentId = component.ID;
                // Deterministic: oldest interface first, then by MAC (index order of equal keys is not).
                foreach (var nic in nics.Find(e => e.ComponentID == componentId).OrderBy(e => e.LastUpdate).ThenBy(e => e.MACAddress, StringComparer.Ordinal))
                {
                    if (!allMacs.Contains(nic.MACAddress)) allMacs.Add(nic.MACAddress);
                }
            }
            return allMacs;
        }
        var arch = BootArch.NormalizeOrNull(request.Arch) ?? BootArch.FromSmd(component?.Arch);

        // Most specific first, generated lazily: a node with its own entry costs one key read here.
        IEnumerable<BootIdentity> Candidates()
        {
            var hostName = component?.ID ?? (request.Name is not null && Xname.TryParse(request.Name, out var n, out var t) && t == HmsType.Node ? n : null);
            if (hostName is not null) yield return new BootIdentity(BootIdentityKind.Host, hostName);
            foreach (var mac in AllMacs()) yield return new BootIdentity(BootIdentityKind.Mac, mac);
            var nid = component?.NID ?? (component is null ? request.Nid : null);
            if (nid is >= 0) yield return new BootIdentity(BootIdentityKind.Nid, nid.Value.ToString(CultureInfo.InvariantCulture));
            if (component is not null)
            {
                // Only read memberships when some group has boot parameters.
                if (labelsOf is not null || HasGroupEntries(s))
                {
                    var labels = labelsOf is null ? GroupService.LabelsOf(s, component.ID) : labelsOf(component.ID);
                    foreach (var label in labels.Order(StringComparer.Ordinal)) yield return new BootIdentity(BootIdentityKind.Group, label);
                }
                if (HmsValues.CanonicalRole(component.Role) is { } role) yield return new BootIdentity(BootIdentityKind.Tag, role);
                foreach (var glob in MatchingGlobs(s, component.ID)) yield return glob; // boot configurations' host globs (spec/boot-service.md §6)
            }
            yield return new BootIdentity(BootIdentityKind.Tag, BootIdentity.DefaultTag);
        }

        var entries = s.Collection<BootParamsEntry>();
        BootParamsEntry? Get(string key) => pending is not null && pending.TryGetValue(key, out var p) ? p : entries.Get(key);
        BootParamsEntry? hit = null;
        foreach (var candidate in Candidates())
        {
            hit = (arch is null ? null : Get((candidate with { Arch = arch }).Key)) ?? Get(candidate.Key);
            if (hit is not null) break;
        }
        // A MAC request chains back by its own MAC; other requests need the node's first MAC.
        var macs = allMacs ?? (request.Mac is not null ? [request.Mac] : AllMacs());
        return hit is null
            ? new BootResolution { Component = component, Macs = macs, Arch = arch }
            : new BootResolution { Component = component, Macs = macs, Entry = hit, Source = SourceOf(hit), Arch = arch };
    }

    /// <summary>Host globs matching <paramref name="xname"/>, highest priority then name first; an index seek on Kind when there are none.</summary>
    internal static IEnumerable<BootIdentity> MatchingGlobs(IStoreSession s, string xname) =>
        s.Collection<BootParamsEntry>().FindOne(e => e.Kind == BootIdentityKind.Glob) is null ? []
        : s.Collection<BootParamsEntry>().Find(e => e.Kind == BootIdentityKind.Glob).Where(e => BootHostGlob.Matches(e.Value, xname))
            .OrderByDescending(e => e.Priority).ThenBy(e => e.Name, StringComparer.Ordinal).Select(e => new BootIdentity(BootIdentityKind.Glob, e.Value)).DistinctBy(i => i.Key).ToList();

    /// <summary>An index seek on Kind: every boot request asks this, so it must not scan the entries.</summary>
    internal static bool HasGroupEntries(IStoreSession s) =>
        s.Collection<BootParamsEntry>().FindOne(e => e.Kind == BootIdentityKind.Group) is not null;

    /// <summary>Every node's group labels, read once (bulk edits resolve thousands of nodes).</summary>
    internal static ILookup<string, string>? Memberships(IStoreSession s) =>
        HasGroupEntries(s)
            ? s.Collection<GroupMembership>().All().SelectMany(m => m.Labels.Select(label => (m.ID, Label: label))).ToLookup(p => p.ID, p => p.Label)
            : null;

    // ---------- hosts, dumpstate ----------

    /// <summary>BSS's node view (spec/bss.md §6.1), straight from the store: never stale.</summary>
    public IReadOnlyList<SmComponent> Hosts(IReadOnlyCollection<string>? names = null, IReadOnlyCollection<string>? macs = null, IReadOnlyCollection<long>? nids = null) =>
        store.Read(s => Hosts(s, names ?? [], macs ?? [], nids ?? []));

    internal static IReadOnlyList<SmComponent> Hosts(IStoreSession s, IReadOnlyCollection<string> names, IReadOnlyCollection<string> macs, IReadOnlyCollection<long> nids)
    {
        var components = s.Collection<Component>();
        var nicsByOwner = s.Collection<EthernetInterface>().All().Where(e => e.ComponentID.Length > 0).ToLookup(e => e.ComponentID, e => e.MACAddress);
        var nodes = components.All().Where(c => c.Type == HmsType.Node).OrderBy(c => c.ID, XnameComparer.Instance).ToList();
        if (names.Count + macs.Count + nids.Count == 0) return nodes.Select(c => SmComponent.From(c, nicsByOwner[c.ID].ToList())).ToList();

        var selected = new List<Component>();
        foreach (var name in names)
        {
            var c = Xname.TryParse(name, out var id, out _) ? nodes.FirstOrDefault(x => x.ID == id) : null;
            selected.Add(c ?? throw ChamiException.NotFound("BootHostNotFound", $"Not Found - Unknown host name '{name}'", name));
        }
        foreach (var mac in macs)
        {
            var normalized = MacAddress.TryNormalize(mac, out var m) ? m : null;
            var c = normalized is null ? null : nodes.FirstOrDefault(x => nicsByOwner[x.ID].Contains(normalized));
            selected.Add(c ?? throw ChamiException.NotFound("BootHostNotFound", $"Not Found - Unknown MAC address '{mac}'", mac));
        }
        foreach (var nid in nids)
        {
            var c = nodes.FirstOrDefault(x => x.NID == nid);
            selected.Add(c ?? throw ChamiException.NotFound("BootHostNotFound", $"Not Found - Unknown NID '{nid}'", nid.ToString(CultureInfo.InvariantCulture)));
        }
        return selected.DistinctBy(c => c.ID).Select(c => SmComponent.From(c, nicsByOwner[c.ID].ToList())).ToList();
    }

    public BootDumpState DumpState() => store.Read(s => new BootDumpState
    {
        Components = Hosts(s, [], [], []),
        Params = BootParamsService.Group(s.Collection<BootParamsEntry>().All()),
    });

    // ---------- endpoint history (spec/bss.md §6.2) ----------

    /// <summary>
    /// Records a last access. Boot storms must not queue on the write lock, so accesses are kept in memory and written
    /// in one transaction per second, each (name, endpoint) at most once a minute while it keeps asking (a storm of
    /// retries would otherwise rewrite thousands of entries every second). <see cref="History"/> writes everything
    /// first, so this server's API is exact; another process reading the file sees times up to a minute old.
    /// </summary>
    public void RecordAccess(string name, string endpoint)
    {
        var access = new EndpointAccess { Id = $"{name}|{endpoint}", Name = name, Endpoint = endpoint, LastEpoch = DateTimeOffset.UtcNow.ToUnixTimeSeconds() };
        pendingAccess[access.Id] = access;
        if (flushTimer is null)
        {
            var timer = new Timer(_ => FlushAccessLog(force: false), null, Timeout.Infinite, Timeout.Infinite);
            if (Interlocked.CompareExchange(ref flushTimer, timer, null) is null) timer.Change(1000, 1000);
            else timer.Dispose();
        }
    }

    /// <summary>Seconds an access time may wait in memory while its entry was written recently.</summary>
    public const int AccessRewriteSeconds = 60;

    private readonly ConcurrentDictionary<string, long> writtenAccess = new(StringComparer.Ordinal);

    public void FlushAccessLog() => FlushAccessLog(force: true);

    private void FlushAccessLog(bool force)
    {
        if (pendingAccess.IsEmpty) return;
        var batch = new List<EndpointAccess>();
        foreach (var (key, waiting) in pendingAccess)
        {
            if (!force && writtenAccess.TryGetValue(key, out var written) && waiting.LastEpoch - written < AccessRewriteSeconds) continue;
            if (pendingAccess.TryRemove(key, out var access)) batch.Add(access);
        }
        if (batch.Count == 0) return;
        try
        {
            store.Write(s =>
            {
                var history = s.Collection<EndpointAccess>();
                foreach (var access in batch) history.Upsert(access);
            });
            foreach (var access in batch) writtenAccess[access.Id] = access.LastEpoch;
        }
        catch (ObjectDisposedException)
        {
            // The store was closed (database disconnected): nothing left to record into.
            Interlocked.Exchange(ref flushTimer, null)?.Dispose();
        }
        catch (ChamiException)
        {
            // A busy or failing store loses access times, never a boot.
        }
    }

    public static readonly IReadOnlyList<string> HistoryEndpoints = ["bootscript", "user-data"];

    public IReadOnlyList<EndpointAccess> History(string? name = null, string? endpoint = null)
    {
        if (endpoint is not null && !HistoryEndpoints.Contains(endpoint))
        {
            throw ChamiException.Invalid("InvalidEndpointType", $"Invalid endpoint type '{endpoint}'", endpoint);
        }
        FlushAccessLog();
        var id = name is not null && Xname.TryParse(name, out var x, out _) ? x : name;
        return store.Read(s => s.Collection<EndpointAccess>().All()
            .Where(a => (id is null || a.Name == id) && (endpoint is null || a.Endpoint == endpoint))
            .OrderBy(a => a.Name, XnameComparer.Instance).ThenBy(a => a.Endpoint, StringComparer.Ordinal).ToList());
    }
}
