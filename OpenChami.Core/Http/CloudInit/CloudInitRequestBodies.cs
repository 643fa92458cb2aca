using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using OpenChami.Core.CloudInit;
using OpenChami.Core.Errors;

namespace OpenChami.Core.Http.CloudInit;

/// <summary>
/// The admin request bodies of cloud-init (spec/cloud-init.md §4): keys in either spelling (<c>local-hostname</c> or
/// <c>local_hostname</c>), every value type checked. A bad body is an InvalidArgument; the route's
/// <see cref="ErrorDialect"/> makes it 400, or 422 on the group routes (spec/cloud-init.md §7).
/// </summary>
internal static class CloudInitRequestBodies
{
    public static async Task<JsonObject> ReadObjectAsync(HttpContext context)
    {
        JsonNode? node;
        try
        {
            node = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException ex)
        {
            throw Invalid($"error decoding JSON {ex.Message}");
        }
        return node as JsonObject ?? throw Invalid("error decoding JSON: the body must be a JSON object");
    }

    /// <summary>The first present spelling of a key (<c>local-hostname</c> or <c>local_hostname</c>).</summary>
    private static JsonNode? Field(JsonObject body, string key)
    {
        foreach (var spelling in new[] { key, key.Replace('-', '_'), key.Replace('_', '-') })
        {
            if (body.TryGetPropertyValue(spelling, out var value)) return value;
        }
        return null;
    }

    private static string? String(JsonObject body, string key)
    {
        var value = Field(body, key);
        if (value is null) return null;
        return value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>()
            : throw Invalid($"error decoding JSON: {key} must be a string");
    }

    private static List<string>? Strings(JsonObject body, string key)
    {
        var value = Field(body, key);
        if (value is null) return null;
        if (value is JsonArray list && list.All(v => v?.GetValueKind() == JsonValueKind.String)) return list.Select(v => v!.GetValue<string>()).ToList();
        throw Invalid($"error decoding JSON: {key} must be an array of strings");
    }

    public static ClusterDefaults ParseDefaults(JsonObject body)
    {
        var nid = Field(body, "nid-length");
        int? nidLength = null;
        if (nid is not null)
        {
            nidLength = nid.GetValueKind() == JsonValueKind.Number && nid.AsValue().TryGetValue<int>(out var n) ? n
                : throw Invalid("error decoding JSON: nid-length must be an integer");
        }
        return new ClusterDefaults
        {
            CloudProvider = String(body, "cloud_provider"),
            Region = String(body, "region"),
            AvailabilityZone = String(body, "availability-zone"),
            ClusterName = String(body, "cluster-name"),
            PublicKeys = Strings(body, "public-keys"),
            BaseUrl = String(body, "base-url"),
            BootSubnet = String(body, "boot-subnet"),
            WgSubnet = String(body, "wg-subnet"),
            ShortName = String(body, "short-name"),
            NidLength = nidLength,
        };
    }

    public static InstanceInfo ParseInstance(JsonObject body) => new()
    {
        InstanceId = String(body, "instance-id"),
        LocalHostname = String(body, "local-hostname"),
        Hostname = String(body, "hostname"),
        ClusterName = String(body, "cluster-name"),
        Region = String(body, "region"),
        AvailabilityZone = String(body, "availability-zone"),
        CloudProvider = String(body, "cloud-provider"),
        InstanceType = String(body, "instance-type"),
        CloudInitBaseUrl = String(body, "cloud-init-base-url"),
        PublicKeys = Strings(body, "public-keys"),
    };

    public static CloudInitGroup ParseGroup(JsonObject body, string? pathName)
    {
        var name = String(body, "name");
        if (pathName is not null)
        {
            if (string.IsNullOrEmpty(name)) name = pathName;
            else if (!string.Equals(name.Trim(), pathName.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                throw Invalid($"group name in body ({name}) does not match the path ({pathName})");
            }
        }
        if (string.IsNullOrWhiteSpace(name)) throw Invalid("name is required");

        var meta = Field(body, "meta-data");
        if (meta is not (null or JsonObject)) throw Invalid("meta-data must be a JSON object");
        CloudInitFile? file = null;
        switch (Field(body, "file"))
        {
            case null:
                break;
            case JsonObject given:
                file = new CloudInitFile
                {
                    Content = String(given, "content") ?? string.Empty,
                    Filename = String(given, "filename") ?? string.Empty,
                    Encoding = String(given, "encoding") ?? string.Empty,
                };
                break;
            default:
                throw Invalid("file must be a JSON object");
        }
        Dictionary<string, string>? versions = null;
        if (Field(body, "versions") is { } v)
        {
            versions = v is JsonObject map && map.All(p => p.Value?.GetValueKind() == JsonValueKind.String)
                ? map.ToDictionary(p => p.Key, p => p.Value!.GetValue<string>())
                : throw Invalid("versions must be an object of strings");
        }
        return new CloudInitGroup
        {
            Name = name,
            Description = String(body, "description"),
            MetaData = (JsonObject?)meta?.DeepClone(),
            File = file,
            Versions = versions,
        };
    }

    private static ChamiException Invalid(string message) => ChamiException.Invalid("InvalidCloudInitBody", message);
}
