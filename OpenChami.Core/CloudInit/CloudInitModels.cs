using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace OpenChami.Core.CloudInit;

/// <summary>
/// A cloud-init group (spec/cloud-init.md §4.1): the cloud-config served to members of the SMD group
/// of the same name, plus meta-data exposed to templates under <c>vendor_data.groups.&lt;name&gt;</c>.
/// </summary>
public sealed class CloudInitGroup
{
    [JsonPropertyName("name")]
    public string Name { get; set; } = string.Empty;

    [JsonPropertyName("description")]
    public string? Description { get; set; }

    /// <summary>Arbitrary JSON object (nested allowed).</summary>
    [JsonPropertyName("meta-data")]
    public JsonObject? MetaData { get; set; }

    [JsonPropertyName("file")]
    public CloudInitFile? File { get; set; }

    /// <summary>Stored, unused (upstream compatibility).</summary>
    [JsonPropertyName("versions")]
    public Dictionary<string, string>? Versions { get; set; }

    public override string ToString() => Name;
}

/// <summary>The cloud-config of a group. Content is kept verbatim; base64 is decoded once, when served.</summary>
public sealed class CloudInitFile
{
    [JsonPropertyName("content")]
    public string Content { get; set; } = string.Empty;

    [JsonPropertyName("filename")]
    public string Filename { get; set; } = string.Empty;

    /// <summary><c>plain</c> (default) or <c>base64</c>.</summary>
    [JsonPropertyName("encoding")]
    public string Encoding { get; set; } = CloudInitEncodings.Plain;
}

public static class CloudInitEncodings
{
    public const string Plain = "plain";
    public const string Base64 = "base64";
}

/// <summary>Cluster-wide defaults (spec §4.2). Null = not set (omitted on output).</summary>
public sealed class ClusterDefaults
{
    [JsonPropertyName("cloud_provider")]
    public string? CloudProvider { get; set; }

    [JsonPropertyName("region")]
    public string? Region { get; set; }

    [JsonPropertyName("availability-zone")]
    public string? AvailabilityZone { get; set; }

    [JsonPropertyName("cluster-name")]
    public string? ClusterName { get; set; }

    [JsonPropertyName("public-keys")]
    public List<string>? PublicKeys { get; set; }

    [JsonPropertyName("base-url")]
    public string? BaseUrl { get; set; }

    [JsonPropertyName("boot-subnet")]
    public string? BootSubnet { get; set; }

    [JsonPropertyName("wg-subnet")]
    public string? WgSubnet { get; set; }

    [JsonPropertyName("short-name")]
    public string? ShortName { get; set; }

    [JsonPropertyName("nid-length")]
    public int? NidLength { get; set; }
}

/// <summary>Per-node instance information (spec §4.3); keyed by the node xname.</summary>
public sealed class InstanceInfo
{
    [JsonPropertyName("id")]
    public string Id { get; set; } = string.Empty;

    [JsonPropertyName("instance-id")]
    public string? InstanceId { get; set; }

    [JsonPropertyName("local-hostname")]
    public string? LocalHostname { get; set; }

    [JsonPropertyName("hostname")]
    public string? Hostname { get; set; }

    [JsonPropertyName("cluster-name")]
    public string? ClusterName { get; set; }

    [JsonPropertyName("region")]
    public string? Region { get; set; }

    [JsonPropertyName("availability-zone")]
    public string? AvailabilityZone { get; set; }

    [JsonPropertyName("cloud-provider")]
    public string? CloudProvider { get; set; }

    [JsonPropertyName("instance-type")]
    public string? InstanceType { get; set; }

    [JsonPropertyName("cloud-init-base-url")]
    public string? CloudInitBaseUrl { get; set; }

    [JsonPropertyName("public-keys")]
    public List<string>? PublicKeys { get; set; }

    public override string ToString() => Id;
}

/// <summary>The latest phone-home report of a node (cloud-init's phone_home module, spec §5.5).</summary>
public sealed class CloudInitPhoneHome
{
    public string Id { get; set; } = string.Empty;

    public string? InstanceId { get; set; }

    public string? Hostname { get; set; }

    public string? Fqdn { get; set; }

    public string? PubKeyRsa { get; set; }

    public string? PubKeyEcdsa { get; set; }

    public string? PubKeyEd25519 { get; set; }

    public DateTime Received { get; set; }
}

/// <summary>Which payload <see cref="CloudInitService.Render"/> produces.</summary>
public enum CloudInitDataKind { MetaData, UserData, VendorData }

/// <summary>Where a meta-data value came from (Get-ChamiCloudInitData -Explain), spec §6.1.</summary>
public enum CloudInitLayer { BuiltIn, ClusterDefaults, Smd, Group, InstanceInfo, Generated }

/// <summary>One meta-data value and the layer that supplied it.</summary>
public sealed class CloudInitValueSource
{
    public required string Xname { get; init; }

    /// <summary>Dotted path, e.g. <c>instance_data.v1.public_keys[0]</c>.</summary>
    public required string Path { get; init; }

    public required string Value { get; init; }

    public required CloudInitLayer Layer { get; init; }

    /// <summary>The group, when <see cref="Layer"/> is <see cref="CloudInitLayer.Group"/>.</summary>
    public string? Detail { get; init; }

    public override string ToString() => $"{Path} = {Value} ({Layer})";
}

/// <summary>What a node receives for one document (Get-ChamiCloudInitData).</summary>
public sealed class CloudInitData
{
    public required string Xname { get; init; }

    public required CloudInitDataKind Kind { get; init; }

    public required string Content { get; init; }

    /// <summary>The node's signed seed URL (what BSS puts into <c>ds=nocloud-net;s=</c>), when a base URL is known.</summary>
    public string? SeedUrl { get; init; }

    public override string ToString() => Content;
}

// Stored shapes (internal): models keep wire names; storage keeps flat strings LiteDB maps directly.
internal sealed class CloudInitGroupRecord
{
    public string Name { get; set; } = string.Empty;

    public string? Description { get; set; }

    public string? MetaDataJson { get; set; }

    public CloudInitFile? File { get; set; }

    public Dictionary<string, string>? Versions { get; set; }
}

internal sealed class ClusterDefaultsRecord
{
    public const string SingletonId = "cluster";

    public string Id { get; set; } = SingletonId;

    public ClusterDefaults Defaults { get; set; } = new();
}

internal sealed class CloudInitSeedKey
{
    public const string CurrentId = "current";

    public string Id { get; set; } = CurrentId;

    public string KeyId { get; set; } = string.Empty;

    public string Secret { get; set; } = string.Empty;

    public DateTime Created { get; set; }
}
