using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace OpenChami.Core.Boot;

/// <summary>
/// The BSS wire object (spec/bss.md §3.1): the identities a boot configuration applies to and the
/// kernel, initrd and command line they boot. Empty identity lists are omitted; <c>cloud-init</c> is
/// always present. <c>groups</c> and <c>arch</c> are OpenChami additions (omitted when unset, so
/// upstream clients see the upstream shape).
/// </summary>
public sealed class BootParams
{
    /// <summary>Node xnames or tags: <c>Default</c>, a role (<c>Compute</c>), <c>Unknown-&lt;arch&gt;</c>, <c>Global</c>.</summary>
    [JsonPropertyName("hosts")]
    public List<string>? Hosts { get; set; }

    [JsonPropertyName("macs")]
    public List<string>? Macs { get; set; }

    [JsonPropertyName("nids")]
    public List<long>? Nids { get; set; }

    /// <summary>SMD group labels (OpenChami extension).</summary>
    [JsonPropertyName("groups")]
    public List<string>? Groups { get; set; }

    /// <summary>iPXE <c>${buildarch}</c> this variant is for (x86_64, arm64...); unset = any (OpenChami extension).</summary>
    [JsonPropertyName("arch")]
    public string? Arch { get; set; }

    [JsonPropertyName("params")]
    public string? Params { get; set; }

    [JsonPropertyName("kernel")]
    public string? Kernel { get; set; }

    [JsonPropertyName("initrd")]
    public string? Initrd { get; set; }

    [JsonPropertyName("cloud-init")]
    public JsonObject? CloudInit { get; set; }

    /// <summary>True when the object names at least one identity.</summary>
    [JsonIgnore]
    public bool HasIdentities => Hosts is { Count: > 0 } || Macs is { Count: > 0 } || Nids is { Count: > 0 } || Groups is { Count: > 0 };
}

/// <summary><c>GET /boot/v1/dumpstate</c>.</summary>
public sealed class BootDumpState
{
    public IReadOnlyList<SmComponent> Components { get; init; } = [];

    public IReadOnlyList<BootParams> Params { get; init; } = [];
}

/// <summary>One <c>endpoint-history</c> element (spec/bss.md §6.2); the last access per (name, endpoint).</summary>
public sealed class EndpointAccess
{
    /// <summary>Storage key: <c>&lt;name&gt;|&lt;endpoint&gt;</c>.</summary>
    [JsonIgnore]
    public string Id { get; set; } = string.Empty;

    [JsonPropertyName("name")]
    public string Name { get; set; } = string.Empty;

    [JsonPropertyName("endpoint")]
    public string Endpoint { get; set; } = string.Empty;

    [JsonPropertyName("last_epoch")]
    public long LastEpoch { get; set; }
}
