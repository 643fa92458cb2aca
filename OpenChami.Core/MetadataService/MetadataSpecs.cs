using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using OpenChami.Core.Errors;
using OpenChami.Core.Resources;

namespace OpenChami.Core.MetadataService;

/// <summary>The kinds metadata-service serves (spec/metadata-service.md §2), with their route plurals as upstream spells them.</summary>
public static class MetadataKinds
{
    public const string ApiVersion = "metadata.openchami.io/v1";

    /// <summary><c>/clusterdefaultss</c>: the doubled "s" is upstream's route.</summary>
    public static readonly ResourceKind ClusterDefaults = new("ClusterDefaults", ApiVersion, "clusterdefaultss");

    public static readonly ResourceKind Group = new("Group", ApiVersion, "groups");

    public static readonly ResourceKind InstanceInfo = new("InstanceInfo", ApiVersion, "instanceinfos");

    public static readonly ResourceKind Profile = new("Profile", ApiVersion, "profiles");

    public static readonly ResourceKind WireGuardPeer = new("WireGuardPeer", ApiVersion, "wireguardpeers");
}

/// <summary>
/// <c>ClusterDefaults.spec</c> (spec/metadata-service.md §2), over cloud-init's cluster defaults record: one per cluster.
/// <see cref="Description"/> and <see cref="Networks"/> have no place in that record and live beside it.
/// </summary>
public sealed class ClusterDefaultsSpec : IValidatedSpec
{
    public const int MaxNidLength = 10;

    [JsonPropertyName("base_url")]
    public string? BaseUrl { get; set; }

    [JsonPropertyName("cluster_name")]
    public string? ClusterName { get; set; }

    [JsonPropertyName("short_name")]
    public string? ShortName { get; set; }

    [JsonPropertyName("nid_length")]
    public int? NidLength { get; set; }

    [JsonPropertyName("public_keys")]
    public List<string>? PublicKeys { get; set; }

    [JsonPropertyName("description")]
    public string? Description { get; set; }

    [JsonPropertyName("cloud_provider")]
    public string? CloudProvider { get; set; }

    [JsonPropertyName("region")]
    public string? Region { get; set; }

    [JsonPropertyName("availability_zone")]
    public string? AvailabilityZone { get; set; }

    /// <summary>OpenChami's addition: the gateway and DNS of each network, for network-config (spec/metadata-service.md §3).</summary>
    [JsonPropertyName("networks")]
    public List<NetworkSpec>? Networks { get; set; }

    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(BaseUrl)) throw ChamiException.Invalid("BaseUrlRequired", "spec.base_url is required");
        if (string.IsNullOrWhiteSpace(ClusterName)) throw ChamiException.Invalid("ClusterNameRequired", "spec.cluster_name is required");
        if (NidLength is < 0 or > MaxNidLength)
        {
            throw ChamiException.Invalid("InvalidNidLength", $"spec.nid_length {NidLength} is out of range (0-{MaxNidLength})");
        }
        foreach (var network in Networks ?? []) network.Validate();
    }
}

/// <summary>One network of the cluster: addresses inside <see cref="Cidr"/> get its prefix, gateway and DNS in network-config.</summary>
public sealed class NetworkSpec
{
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("cidr")]
    public string Cidr { get; set; } = string.Empty;

    [JsonPropertyName("gateway")]
    public string? Gateway { get; set; }

    [JsonPropertyName("dns")]
    public List<string>? Dns { get; set; }

    [JsonPropertyName("search")]
    public List<string>? Search { get; set; }

    [JsonPropertyName("mtu")]
    public int? Mtu { get; set; }

    public void Validate()
    {
        if (!System.Net.IPNetwork.TryParse(Cidr, out var network))
        {
            throw ChamiException.Invalid("InvalidNetwork", $"network cidr '{Cidr}' is not an address/prefix");
        }
        if (Gateway is not null && (!System.Net.IPAddress.TryParse(Gateway, out var gateway) || !network.Contains(gateway)))
        {
            throw ChamiException.Invalid("InvalidNetwork", $"gateway '{Gateway}' is not an address inside {Cidr}");
        }
        if (Dns?.FirstOrDefault(d => !System.Net.IPAddress.TryParse(d, out _)) is { } bad)
        {
            throw ChamiException.Invalid("InvalidNetwork", $"dns server '{bad}' is not an IP address");
        }
        if (Mtu is < 576 or > 65535) throw ChamiException.Invalid("InvalidNetwork", $"mtu {Mtu} is out of range (576-65535)");
    }
}

/// <summary><c>Group.spec</c> over a cloud-init group: the template is the group's cloud-config, byte for byte.</summary>
public sealed class GroupSpec : IValidatedSpec
{
    [JsonPropertyName("template")]
    public string? Template { get; set; }

    [JsonPropertyName("description")]
    public string? Description { get; set; }

    [JsonPropertyName("metaData")]
    public JsonObject? MetaData { get; set; }

    [JsonPropertyName("osVersion")]
    public string? OsVersion { get; set; }

    public void Validate()
    {
        if (Template is null) throw ChamiException.Invalid("TemplateRequired", "spec.template is required");
        TemplateVariables.Check(Template, "spec.template");
    }
}

/// <summary><c>InstanceInfo.spec</c> over cloud-init's per-node instance-info; the node is <see cref="Xname"/>, else metadata.name.</summary>
public sealed class InstanceInfoSpec : IValidatedSpec
{
    [JsonPropertyName("xname")]
    public string? Xname { get; set; }

    [JsonPropertyName("instance_id")]
    public string? InstanceId { get; set; }

    [JsonPropertyName("local_hostname")]
    public string? LocalHostname { get; set; }

    [JsonPropertyName("hostname")]
    public string? Hostname { get; set; }

    [JsonPropertyName("cluster_name")]
    public string? ClusterName { get; set; }

    [JsonPropertyName("region")]
    public string? Region { get; set; }

    [JsonPropertyName("availability_zone")]
    public string? AvailabilityZone { get; set; }

    [JsonPropertyName("cloud_provider")]
    public string? CloudProvider { get; set; }

    [JsonPropertyName("instance_type")]
    public string? InstanceType { get; set; }

    [JsonPropertyName("cloud_init_base_url")]
    public string? CloudInitBaseUrl { get; set; }

    [JsonPropertyName("public_keys")]
    public List<string>? PublicKeys { get; set; }

    public void Validate()
    {
        if (Xname is not null && !Xnames.Xname.TryParse(Xname, out _, out _))
        {
            throw ChamiException.Invalid("InvalidXname", $"spec.xname '{Xname}' is not a valid xname", Xname);
        }
    }
}

/// <summary>
/// <c>Profile.spec</c>: a named variant of a group (OpenChami's reading of spec/metadata-service.md §2). While it has
/// not expired it applies to every member of <see cref="Group"/>: its meta-data (over its parent's) is merged over the
/// group's meta-data, and its template (else its parent's) replaces the group's template.
/// </summary>
public sealed class ProfileSpec : IValidatedSpec
{
    [JsonPropertyName("group")]
    public string? Group { get; set; }

    [JsonPropertyName("parent")]
    public string? Parent { get; set; }

    [JsonPropertyName("template")]
    public string? Template { get; set; }

    [JsonPropertyName("metaData")]
    public JsonObject? MetaData { get; set; }

    /// <summary>When the profile stops applying (RFC 3339). <see cref="TtlSeconds"/> sets it relative to the write.</summary>
    [JsonPropertyName("expires_at")]
    public DateTimeOffset? ExpiresAt { get; set; }

    [JsonPropertyName("ttl_seconds")]
    public long? TtlSeconds { get; set; }

    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Group)) throw ChamiException.Invalid("GroupRequired", "spec.group is required");
        if (TtlSeconds is <= 0) throw ChamiException.Invalid("InvalidTtl", $"spec.ttl_seconds {TtlSeconds} must be positive");
        if (Template is not null) TemplateVariables.Check(Template, "spec.template");
    }
}

/// <summary><c>WireGuardPeer.spec</c>: kept as sent (no other API reads peers).</summary>
public sealed class WireGuardPeerSpec : IValidatedSpec
{
    [JsonPropertyName("public_key")]
    public string? PublicKey { get; set; }

    [JsonPropertyName("endpoint")]
    public string? Endpoint { get; set; }

    [JsonPropertyName("allowed_ips")]
    public List<string>? AllowedIps { get; set; }

    [JsonPropertyName("xname")]
    public string? Xname { get; set; }

    [JsonPropertyName("persistent_keepalive")]
    public int? PersistentKeepalive { get; set; }

    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(PublicKey)) throw ChamiException.Invalid("PublicKeyRequired", "spec.public_key is required");
        // A WireGuard key is 32 bytes in base64 (44 characters); anything else would only fail later, on the node.
        var key = new byte[33];
        if (!Convert.TryFromBase64String(PublicKey.Trim(), key, out var length) || length != 32)
        {
            throw ChamiException.Invalid("InvalidPublicKey", "spec.public_key must be a WireGuard key: 32 bytes in base64 (44 characters)");
        }
        PublicKey = PublicKey.Trim();
        if (Xname is not null)
        {
            Xname = Xnames.Xname.TryParse(Xname, out var id, out _) ? id : throw ChamiException.Invalid("InvalidXname", $"spec.xname '{Xname}' is not a valid xname", Xname);
        }
        if (Endpoint is not null && !IsEndpoint(Endpoint))
        {
            throw ChamiException.Invalid("InvalidEndpoint", $"spec.endpoint '{Endpoint}' must be host:port (an address or DNS name and a port 1-65535)");
        }
        if (AllowedIps?.FirstOrDefault(a => !System.Net.IPNetwork.TryParse(a, out _)) is { } bad)
        {
            throw ChamiException.Invalid("InvalidAllowedIp", $"spec.allowed_ips entry '{bad}' is not an address/prefix");
        }
        if (PersistentKeepalive is < 0 or > 65535) throw ChamiException.Invalid("InvalidKeepalive", $"spec.persistent_keepalive {PersistentKeepalive} is out of range");
    }

    /// <summary><c>host:port</c> or <c>[v6]:port</c>, as WireGuard's <c>Endpoint =</c> takes it.</summary>
    internal static bool IsEndpoint(string text)
    {
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || !ushort.TryParse(text.AsSpan(colon + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port) || port == 0) return false;
        var host = text[..colon];
        if (host.StartsWith('[') && host.EndsWith(']')) return System.Net.IPAddress.TryParse(host[1..^1], out var v6) && v6.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6;
        return System.Net.IPAddress.TryParse(host, out _) || Uri.CheckHostName(host) == UriHostNameType.Dns;
    }
}
