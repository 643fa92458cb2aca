using System.Globalization;
using System.Text;
using OpenChami.Core.Errors;
using OpenChami.Core.Inventory;
using OpenChami.Core.Model;
using OpenChami.Core.Storage;
using OpenChami.Core.Xnames;

namespace OpenChami.Core.Boot;

/// <summary>One configuration that applies to a node, with the score boot-service gives it (spec/boot-service.md §5).</summary>
public sealed class BootConfigCandidate
{
    public required string Name { get; init; }
    public required string Uid { get; init; }
    public int Score { get; init; }
    public int Priority { get; init; }
    public string? Arch { get; init; }

    /// <summary>What matched, e.g. <c>mac 52:54:00:be:ef:01 (100) + group compute (25)</c>.</summary>
    public string MatchedBy { get; init; } = string.Empty;

    public bool Winner { get; set; }

    internal BootConfiguration Config { get; init; } = null!;
}

/// <summary><c>Get-ChamiBootScript -Explain</c>: every candidate configuration, its score, and why the winner won.</summary>
public sealed class BootScriptExplanation
{
    public string? Node { get; init; }
    public string? MacAddress { get; init; }
    public string? Arch { get; init; }

    /// <summary>Name of the configuration <c>/boot-service/bootscript</c> serves, or null when none applies.</summary>
    public string? Winner { get; init; }

    public string Reason { get; init; } = string.Empty;

    /// <summary>Best first: score, then architecture-specific, then priority, then name.</summary>
    public IReadOnlyList<BootConfigCandidate> Candidates { get; init; } = [];

    /// <summary>What <c>/boot/v1</c> serves the same node (its precedence, spec/bss.md §5.2), e.g. <c>host:x1000c0s0b0n0</c>.</summary>
    public string BootV1Source { get; init; } = "none";

    public override string ToString() => Reason;
}

/// <summary>
/// <c>/boot-service/bootscript</c> (spec/boot-service.md §4–5): selection by score over the same configurations
/// <c>/boot/v1</c> serves, and the same script building, seed URLs and per-architecture variants.
/// </summary>
public sealed partial class BootScriptService
{
    public const int MacScore = 100, NidScore = 75, HostScore = 50, GroupScore = 25, RoleScore = 10, CatchAllScore = 1;

    /// <summary>The script <c>/boot-service/bootscript</c> serves; an unknown or unmatched node gets a 200 retry script.</summary>
    public BootScript GetServiceScript(BootRequest request)
    {
        if (!request.HasSelector) throw ChamiException.Invalid("BootSelectorRequired", "one of mac=, host= or nid= is required");
        var script = store.Remember("boot-service\n" + ScriptKey(request), () => BuildServiceScript(request), built => built.Known);
        if (script.Known && request.RecordAccess) RecordAccess(script.Node!, "bootscript");
        return script;
    }

    public BootScriptExplanation Explain(BootRequest request)
    {
        if (!request.HasSelector) throw ChamiException.Invalid("BootSelectorRequired", "give a node: -Xname, -MacAddress or -Nid");
        return store.Read(s =>
        {
            var (component, macs, arch, candidates) = Score(s, request);
            var bss = BootEntryResolver.Resolve(s, request);
            var winner = candidates.FirstOrDefault();
            if (winner is not null) winner.Winner = true;
            var discovery = component is null && arch is not null ? DiscoveryConfig(s, arch) : null;
            return new BootScriptExplanation
            {
                Node = component?.ID, MacAddress = request.Mac ?? macs.FirstOrDefault(), Arch = arch, Winner = winner?.Name ?? discovery?.Name,
                Reason = discovery is not null
                    ? $"{Describe(request, null)} is not in the inventory: the node gets {discovery.Name}, the discovery image for {BootIdentity.UnknownTagPrefix}{arch}"
                    : ReasonFor(component, request, candidates),
                Candidates = candidates,
                BootV1Source = bss.Entry is null ? "none" : bss.Source,
            };
        });
    }

    private BootScript BuildServiceScript(BootRequest request)
    {
        var (component, macs, arch, candidates, discovery) = store.Read(s =>
        {
            var (c, m, a, found) = Score(s, request);
            return (c, m, a, found, c is null && a is not null ? DiscoveryConfig(s, a) : null);
        });
        var chainBase = Options.ChainBase(request.Host) + "/boot-service/bootscript";
        if (component is not null && candidates.FirstOrDefault() is { } winner)
        {
            var config = winner.Config;
            var seed = SeedProvider.GetSeedUrl(new CloudInitSeedRequest(Options.CloudInitBase(request.Host), component.ID, request.Mac));
            var commandLine = KernelParams.Build(config.Params, component.ID, component.NID, request.Mac, seed, config.Initrd.Length > 0);
            var chain = request.Mac is not null ? $"{chainBase}?mac={request.Mac}" : $"{chainBase}?host={component.ID}";
            return new BootScript
            {
                Node = component.ID, MacAddress = request.Mac ?? macs.FirstOrDefault(), Nid = component.NID, Arch = arch, Known = true,
                Source = "config:" + config.Name, Kernel = config.Kernel, Initrd = config.Initrd.Length == 0 ? null : config.Initrd,
                CommandLine = commandLine, Script = KernelScript(config.Kernel, commandLine, config.Initrd, chain),
            };
        }
        var id = request.Mac is not null ? $"mac={request.Mac}"
            : request.Name is not null ? $"host={component?.ID ?? request.Name}"
            : $"nid={request.Nid!.Value.ToString(CultureInfo.InvariantCulture)}";
        // An unknown node asks again with its build architecture, so the site's Unknown-<arch> discovery image can answer
        // it, as /boot/v1 does (spec/boot-service.md §4).
        var unknownChain = component is null ? $"{chainBase}?{id}&arch=${{buildarch}}" : $"{chainBase}?{id}";
        if (discovery is not null)
        {
            // Discovery image: no xname=/nid=/BOOTIF= (the node is not known).
            var seed = SeedProvider.GetSeedUrl(new CloudInitSeedRequest(Options.CloudInitBase(request.Host), null, request.Mac));
            var commandLine = KernelParams.Build(discovery.Params, null, null, null, seed, discovery.Initrd.Length > 0);
            return new BootScript
            {
                MacAddress = request.Mac, Nid = request.Nid, Arch = arch, Known = false, Source = "config:" + discovery.Name,
                Kernel = discovery.Kernel, Initrd = discovery.Initrd.Length == 0 ? null : discovery.Initrd, CommandLine = commandLine,
                Script = KernelScript(discovery.Kernel, commandLine, discovery.Initrd, unknownChain),
            };
        }
        // Never an error page: the node waits and asks again (it may be discovered or configured meanwhile).
        var why = component is null ? "not in the inventory" : "no boot configuration applies";
        return new BootScript
        {
            Node = component?.ID, MacAddress = request.Mac, Nid = component?.NID ?? request.Nid, Arch = arch, Known = false, Source = "none",
            Script = $"#!ipxe\necho {Describe(request, component)}: {why}; retrying in {Options.HsmRetrievalDelay} s\nsleep {Options.HsmRetrievalDelay}\nchain {unknownChain}\n\n",
        };
    }

    /// <summary>
    /// The configuration an unknown node of <paramref name="arch"/> boots: the best (priority, then name) of those whose
    /// hosts name <c>Unknown-&lt;arch&gt;</c> — one index read, then one read per such configuration.
    /// </summary>
    internal static BootConfiguration? DiscoveryConfig(IStoreSession s, string arch)
    {
        if (s.Collection<BootParamsEntry>().Get(BootIdentity.UnknownTag(arch).Key) is not { } entry) return null;
        var configs = s.Collection<BootConfiguration>();
        return entry.Configs.Select(uid => configs.Get(uid)).OfType<BootConfiguration>().Where(c => c.Kernel.Length > 0)
            .OrderByDescending(c => c.Priority).ThenBy(c => c.Name, StringComparer.Ordinal).FirstOrDefault();
    }

    /// <summary>
    /// The node (through the inventory: MAC → xname, NID, groups) and every configuration that applies to it, best first.
    /// Key reads only: the node's index entries (xname, each MAC, NID, each group, role, Default, each with its
    /// architecture variant), the host globs (a small set), then each configuration they list.
    /// </summary>
    internal static (Component? Component, List<string> Macs, string? Arch, List<BootConfigCandidate> Candidates) Score(IStoreSession s, BootRequest request)
    {
        var components = s.Collection<Component>();
        var nics = s.Collection<EthernetInterface>();
        Component? component = null;
        if (request.Mac is not null)
        {
            if (nics.Get(MacAddress.ToId(request.Mac)) is { ComponentID.Length: > 0 } nic && components.Get(nic.ComponentID) is { } c && c.State != HmsState.Empty) component = c;
        }
        else if (request.Name is not null)
        {
            if (Xname.TryParse(request.Name, out var id, out _)) component = components.Get(id);
        }
        else if (request.Nid is { } wanted)
        {
            component = components.Find(c => c.NID == wanted).FirstOrDefault(c => c.Type == HmsType.Node);
        }
        var arch = BootArch.NormalizeOrNull(request.Arch) ?? BootArch.FromSmd(component?.Arch);
        var macs = request.Mac is null ? new List<string>() : [request.Mac];
        if (component is null || component.Type != HmsType.Node) return (component, macs, arch, []);

        var componentId = component.ID;
        foreach (var nic in nics.Find(e => e.ComponentID == componentId).OrderBy(e => e.LastUpdate).ThenBy(e => e.MACAddress, StringComparer.Ordinal))
        {
            if (!macs.Contains(nic.MACAddress)) macs.Add(nic.MACAddress);
        }
        var labels = GroupService.LabelsOf(s, componentId);
        var role = HmsValues.CanonicalRole(component.Role);
        var keys = new List<BootIdentity> { new(BootIdentityKind.Host, componentId) };
        keys.AddRange(macs.Select(m => new BootIdentity(BootIdentityKind.Mac, m)));
        if (component.NID is >= 0) keys.Add(new BootIdentity(BootIdentityKind.Nid, component.NID.Value.ToString(CultureInfo.InvariantCulture)));
        keys.AddRange(labels.Select(l => new BootIdentity(BootIdentityKind.Group, l)));
        if (role is not null) keys.Add(new BootIdentity(BootIdentityKind.Tag, role));
        keys.Add(new BootIdentity(BootIdentityKind.Tag, BootIdentity.DefaultTag));
        keys.AddRange(BootEntryResolver.MatchingGlobs(s, componentId));

        var entries = s.Collection<BootParamsEntry>();
        var configs = s.Collection<BootConfiguration>();
        var uids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            if (entries.Get(key.Key) is { } plain) uids.UnionWith(plain.Configs);
            if (arch is not null && entries.Get((key with { Arch = arch }).Key) is { } variant) uids.UnionWith(variant.Configs);
        }
        var candidates = new List<BootConfigCandidate>();
        foreach (var uid in uids)
        {
            if (configs.Get(uid) is not { } config || (config.Arch is not null && config.Arch != arch)) continue;
            var (score, matched) = ScoreOf(config, componentId, component.NID, macs, labels, role);
            if (score > 0)
            {
                candidates.Add(new BootConfigCandidate
                {
                    Name = config.Name, Uid = config.Uid, Score = score, Priority = config.Priority, Arch = config.Arch, MatchedBy = matched, Config = config,
                });
            }
        }
        candidates.Sort(Compare);
        return (component, macs, arch, candidates);
    }

    /// <summary>Highest score, then a variant for the node's architecture over an any-architecture one, then highest priority, then name.</summary>
    internal static int Compare(BootConfigCandidate a, BootConfigCandidate b)
    {
        var byScore = b.Score.CompareTo(a.Score);
        if (byScore != 0) return byScore;
        var byArch = (b.Arch is not null).CompareTo(a.Arch is not null);
        if (byArch != 0) return byArch;
        var byPriority = b.Priority.CompareTo(a.Priority);
        return byPriority != 0 ? byPriority : string.CompareOrdinal(a.Name, b.Name);
    }

    /// <summary>spec/boot-service.md §5: MAC 100, NID 75, host (exact or glob) 50, 25 per matching group, no selectors 1; OpenChami's role tag 10 and <c>Default</c> 1.</summary>
    internal static (int Score, string MatchedBy) ScoreOf(BootConfiguration config, string xname, long? nid, IReadOnlyList<string> macs, IReadOnlyList<string> labels, string? role)
    {
        var score = 0;
        var parts = new List<string>();
        if (config.Macs.FirstOrDefault(m => macs.Contains(m)) is { } mac)
        {
            score += MacScore;
            parts.Add($"mac {mac} ({MacScore})");
        }
        if (nid is { } n && config.Nids.Contains(n))
        {
            score += NidScore;
            parts.Add($"nid {n} ({NidScore})");
        }
        if (config.Hosts.FirstOrDefault(h => h == xname || (BootHostGlob.IsGlob(h) && BootHostGlob.Matches(h, xname))) is { } host)
        {
            score += HostScore;
            parts.Add($"host {host} ({HostScore})");
        }
        foreach (var group in config.Groups.Where(g => labels.Contains(g)))
        {
            score += GroupScore;
            parts.Add($"group {group} ({GroupScore})");
        }
        if (role is not null && config.Hosts.Contains(role))
        {
            score += RoleScore;
            parts.Add($"role {role} ({RoleScore})");
        }
        if (config.Identities() is [{ Kind: BootIdentityKind.Tag, Value: BootIdentity.DefaultTag }] || (score == 0 && config.Hosts.Contains(BootIdentity.DefaultTag)))
        {
            score += CatchAllScore;
            parts.Add($"catch-all ({CatchAllScore})");
        }
        return (score, string.Join(" + ", parts));
    }

    private static string ReasonFor(Component? component, BootRequest request, IReadOnlyList<BootConfigCandidate> candidates)
    {
        if (component is null) return $"{Describe(request, null)} is not in the inventory: the node gets the retry script";
        if (candidates.Count == 0) return $"no boot configuration applies to {component.ID}: the node gets the retry script";
        var w = candidates[0];
        var sb = new StringBuilder($"{w.Name} wins with score {w.Score} ({w.MatchedBy})");
        if (candidates.Count == 1) return sb.Append(": the only candidate").ToString();
        var r = candidates[1];
        if (r.Score < w.Score) sb.Append($": the highest score (next: {r.Name} with {r.Score})");
        else if ((w.Arch is not null) != (r.Arch is not null)) sb.Append($": tied with {r.Name} at score {r.Score}; its architecture variant ({w.Arch}) beats an any-architecture one");
        else if (r.Priority < w.Priority) sb.Append($": tied with {r.Name} at score {r.Score}; priority {w.Priority} beats {r.Priority}");
        else sb.Append($": tied with {r.Name} at score {r.Score} and priority {r.Priority}; its name sorts first");
        return sb.ToString();
    }
}
