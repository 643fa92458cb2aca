using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using OpenChami.Core.Errors;
using OpenChami.Core.Model;
using OpenChami.Core.Resources;
using OpenChami.Core.Xnames;

namespace OpenChami.Core.Boot;

/// <summary>
/// One boot configuration (spec/boot-service.md §3, §6): the one model <c>/boot/v1</c> bootparameters, <c>/boot-service</c>
/// and the cmdlets all read and write (collection <c>boot_configurations</c>, keyed by uid). Every write keeps the
/// per-identity selector index (<see cref="BootParamsEntry"/>, collection <c>boot_params</c>) in step in the same
/// transaction (<see cref="BootSelectorIndex"/>), so a boot request stays a few key reads at any size.
/// </summary>
public sealed class BootConfiguration
{
    public string Uid { get; set; } = string.Empty;

    public string Name { get; set; } = string.Empty;

    public Dictionary<string, string>? Labels { get; set; }

    public Dictionary<string, string>? Annotations { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }

    /// <summary>Normalized Node xnames, host globs (lower case) and tags (<c>Default</c>, a role, <c>Unknown-&lt;arch&gt;</c>, <c>Global</c>).</summary>
    public List<string> Hosts { get; set; } = [];

    /// <summary>Normalized MACs (lower case, colons).</summary>
    public List<string> Macs { get; set; } = [];

    public List<long> Nids { get; set; } = [];

    /// <summary>Normalized SMD group labels.</summary>
    public List<string> Groups { get; set; } = [];

    /// <summary>iPXE build architecture this configuration is for; null = any.</summary>
    public string? Arch { get; set; }

    public string? Profile { get; set; }

    public string Kernel { get; set; } = string.Empty;

    public string Initrd { get; set; } = string.Empty;

    public string Params { get; set; } = string.Empty;

    /// <summary>BSS's <c>cloud-init</c> object as JSON text, kept verbatim.</summary>
    public string? CloudInit { get; set; }

    /// <summary>BSS's referral token of the write that last set this configuration.</summary>
    public string ReferralToken { get; set; } = string.Empty;

    /// <summary>0–100; breaks ties between configurations of equal score (higher wins).</summary>
    public int Priority { get; set; }

    /// <summary>Whatever a client put under <c>/status</c>, as JSON text.</summary>
    public string? Status { get; set; }

    /// <summary>
    /// Set on the single-selector configuration BSS (<c>/boot/v1</c>, Set-ChamiBootParams) writes for one identity
    /// key (<see cref="BootIdentity.Key"/>): what that identity's BSS writes change. Null for configurations made
    /// through <c>/boot-service</c> or New-ChamiBootConfig.
    /// </summary>
    public string? BssKey { get; set; }

    internal BootConfiguration Clone()
    {
        var copy = (BootConfiguration)MemberwiseClone();
        copy.Hosts = [.. Hosts];
        copy.Macs = [.. Macs];
        copy.Nids = [.. Nids];
        copy.Groups = [.. Groups];
        copy.Labels = Labels is null ? null : new(Labels, StringComparer.Ordinal);
        copy.Annotations = Annotations is null ? null : new(Annotations, StringComparer.Ordinal);
        return copy;
    }

    /// <summary>The identities (selector index keys) this configuration applies to; none = the <c>Default</c> catch-all.</summary>
    public IReadOnlyList<BootIdentity> Identities()
    {
        var ids = new List<BootIdentity>(Hosts.Count + Macs.Count + Nids.Count + Groups.Count + 1);
        foreach (var host in Hosts)
        {
            if (BootHostGlob.IsGlob(host)) ids.Add(new BootIdentity(BootIdentityKind.Glob, host, Arch));
            else if (BootIdentity.TryTag(host, out var tag)) ids.Add(new BootIdentity(BootIdentityKind.Tag, tag, Arch));
            else ids.Add(new BootIdentity(BootIdentityKind.Host, host, Arch));
        }
        foreach (var mac in Macs) ids.Add(new BootIdentity(BootIdentityKind.Mac, mac, Arch));
        foreach (var nid in Nids) ids.Add(new BootIdentity(BootIdentityKind.Nid, nid.ToString(System.Globalization.CultureInfo.InvariantCulture), Arch));
        foreach (var group in Groups) ids.Add(new BootIdentity(BootIdentityKind.Group, group, Arch));
        if (ids.Count == 0) ids.Add(new BootIdentity(BootIdentityKind.Tag, BootIdentity.DefaultTag, Arch));
        return ids.DistinctBy(i => i.Key).ToList();
    }
}

/// <summary>
/// <c>BootConfiguration.spec</c> on the wire (spec/boot-service.md §3). <c>arch</c> and <c>cloud-init</c> are OpenChami
/// additions (BSS's per-architecture variants and cloud-init passthrough), omitted when unset.
/// </summary>
public sealed class BootConfigurationSpec : IValidatedSpec
{
    public static readonly ResourceKind ResourceKind = new("BootConfiguration", "boot.openchami.io/v1", "bootconfigurations");

    [JsonPropertyName("hosts")]
    public List<string>? Hosts { get; set; }

    [JsonPropertyName("macs")]
    public List<string>? Macs { get; set; }

    [JsonPropertyName("nids")]
    public List<long>? Nids { get; set; }

    [JsonPropertyName("groups")]
    public List<string>? Groups { get; set; }

    [JsonPropertyName("profile")]
    public string? Profile { get; set; }

    [JsonPropertyName("kernel")]
    public string? Kernel { get; set; }

    [JsonPropertyName("initrd")]
    public string? Initrd { get; set; }

    [JsonPropertyName("params")]
    public string? Params { get; set; }

    [JsonPropertyName("priority")]
    public int Priority { get; set; }

    [JsonPropertyName("arch")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Arch { get; set; }

    [JsonPropertyName("cloud-init")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonObject? CloudInit { get; set; }

    /// <summary>Checks everything a configuration made from this spec needs (what <see cref="ApplyTo"/> normalizes), before anything is stored.</summary>
    public void Validate() => ApplyTo(new BootConfiguration());

    /// <summary>Writes the spec's values, normalized, onto <paramref name="config"/>; ChamiException.Invalid on the first bad value.</summary>
    public void ApplyTo(BootConfiguration config)
    {
        if (string.IsNullOrWhiteSpace(Kernel)) throw ChamiException.Invalid("BootKernelRequired", "spec.kernel is required");
        if (Priority is < 0 or > 100) throw ChamiException.Invalid("InvalidPriority", $"spec.priority {Priority} is out of range (0-100)");
        var arch = BootArch.NormalizeOrNull(Arch);
        config.Hosts = (Hosts ?? []).Select(NormalizeHost).Distinct(StringComparer.Ordinal).ToList();
        config.Macs = (Macs ?? []).Select(m => BootIdentity.Mac(m).Value).Distinct(StringComparer.Ordinal).ToList();
        config.Nids = (Nids ?? []).Select(n => long.Parse(BootIdentity.Nid(n).Value, System.Globalization.CultureInfo.InvariantCulture)).Distinct().ToList();
        config.Groups = (Groups ?? []).Select(g => BootIdentity.Group(g).Value).Distinct(StringComparer.Ordinal).ToList();
        config.Arch = arch;
        config.Profile = string.IsNullOrWhiteSpace(Profile) ? null : Profile.Trim();
        config.Kernel = Kernel.Trim();
        config.Initrd = Initrd?.Trim() ?? string.Empty;
        config.Params = Params?.Trim() ?? string.Empty;
        config.CloudInit = CloudInit?.ToJsonString(Serialization.ChamiJson.Options);
        config.Priority = Priority;
    }

    /// <summary>An xname (normalized), a glob (lower case), or a BSS tag (canonical spelling).</summary>
    public static string NormalizeHost(string host)
    {
        var text = (host ?? string.Empty).Trim();
        if (BootHostGlob.IsGlob(text)) return BootHostGlob.Normalize(text);
        return BootIdentity.Host(text).Value;
    }

    public static BootConfigurationSpec From(BootConfiguration config) => new()
    {
        Hosts = [.. config.Hosts],
        Macs = [.. config.Macs],
        Nids = [.. config.Nids],
        Groups = [.. config.Groups],
        Profile = config.Profile,
        Kernel = config.Kernel,
        Initrd = config.Initrd.Length == 0 ? null : config.Initrd,
        Params = config.Params.Length == 0 ? null : config.Params,
        Priority = config.Priority,
        Arch = config.Arch,
        CloudInit = string.IsNullOrEmpty(config.CloudInit) ? null : JsonNode.Parse(config.CloudInit) as JsonObject,
    };
}

/// <summary>
/// Host globs of boot configurations (spec/boot-service.md §3 <c>hosts</c>): <c>*</c> (every node) or an xname
/// pattern such as <c>x1000c0s*b0n0</c> or <c>x1000c0s?b0n*</c>. <c>*</c> matches any run of characters, <c>?</c> one.
/// </summary>
public static partial class BootHostGlob
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Regex> Compiled = new(StringComparer.Ordinal);

    [GeneratedRegex(@"\A(\*|x[0-9a-z*?]{1,62})\z", RegexOptions.CultureInvariant)]
    private static partial Regex Shape();

    /// <summary>True when the text has a wildcard (it is then validated by <see cref="Normalize"/>).</summary>
    public static bool IsGlob(string? text) => text is not null && text.AsSpan().IndexOfAny('*', '?') >= 0;

    public static string Normalize(string glob)
    {
        var text = glob.Trim().ToLowerInvariant();
        if (!Shape().IsMatch(text) || text.Contains("**", StringComparison.Ordinal))
        {
            throw ChamiException.Invalid("InvalidBootHostGlob",
                $"host glob '{glob}' is malformed: use '*' alone or an xname pattern starting with 'x' of a-z, 0-9, '*' and '?' (e.g. x1000c0s*b0n0)", glob);
        }
        return text;
    }

    public static bool Matches(string glob, string xname) =>
        glob == "*" || Compiled.GetOrAdd(glob, g => new Regex(
            "\\A" + Regex.Escape(g).Replace("\\*", ".*", StringComparison.Ordinal).Replace("\\?", ".", StringComparison.Ordinal) + "\\z",
            RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)).IsMatch(xname);
}
