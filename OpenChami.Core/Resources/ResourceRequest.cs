using System.Text.Json;
using System.Text.Json.Nodes;
using OpenChami.Core.Errors;
using OpenChami.Core.Serialization;

namespace OpenChami.Core.Resources;

/// <summary>
/// Reads what a client sends for one resource, <c>{apiVersion?, kind?, metadata: {name, labels?, annotations?}, spec}</c>
/// (spec/boot-service.md §2). Server-owned fields a Go client sends empty (uid, times) are ignored; a body without
/// a spec object, of another kind, or whose spec doesn't read or validate is Invalid, before anything is stored.
/// </summary>
public static class ResourceRequest
{
    public static (ResourceMetadata Metadata, TSpec Spec) Read<TSpec>(JsonNode? body, ResourceKind kind) where TSpec : class
    {
        if (body is not JsonObject envelope) throw ChamiException.Invalid("InvalidResource", $"the body must be a {kind.Name} resource: {{\"metadata\": {{\"name\": ...}}, \"spec\": {{...}}}}");
        if (envelope["kind"] is JsonValue k && k.TryGetValue<string>(out var sentKind) && sentKind.Length > 0
            && !string.Equals(sentKind, kind.Name, StringComparison.OrdinalIgnoreCase))
        {
            throw ChamiException.Invalid("UnknownKind", $"kind '{sentKind}' is not {kind.Name} (route /{kind.Plural})");
        }
        if (envelope["spec"] is not JsonObject specNode) throw ChamiException.Invalid("SpecRequired", $"a {kind.Name} needs a 'spec' object");
        return (ReadMetadata(envelope["metadata"]), ReadSpec<TSpec>(specNode, kind));
    }

    public static TSpec ReadSpec<TSpec>(JsonNode? specNode, ResourceKind kind) where TSpec : class
    {
        TSpec? spec;
        try
        {
            spec = specNode.Deserialize<TSpec>(ChamiJson.Options);
        }
        catch (JsonException ex)
        {
            throw ChamiException.Invalid("InvalidSpec", $"{kind.Name} spec: {ex.Message}");
        }
        if (spec is null) throw ChamiException.Invalid("SpecRequired", $"a {kind.Name} needs a 'spec' object");
        if (spec is IValidatedSpec validated) validated.Validate();
        return spec;
    }

    private static ResourceMetadata ReadMetadata(JsonNode? node)
    {
        if (node is null) return new ResourceMetadata();
        if (node is not JsonObject metadata) throw ChamiException.Invalid("InvalidMetadata", "'metadata' must be an object");
        return new ResourceMetadata
        {
            Name = metadata["name"] is JsonValue n && n.TryGetValue<string>(out var name) ? name.Trim() : string.Empty,
            Labels = Map(metadata, "labels"),
            Annotations = Map(metadata, "annotations"),
        };
    }

    private static Dictionary<string, string>? Map(JsonObject metadata, string member)
    {
        if (metadata[member] is not { } node) return null;
        if (node is not JsonObject map) throw ChamiException.Invalid("InvalidMetadata", $"metadata.{member} must be an object of strings");
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in map)
        {
            result[key] = value is JsonValue v && v.TryGetValue<string>(out var s) ? s
                : throw ChamiException.Invalid("InvalidMetadata", $"metadata.{member}.{key} must be a string");
        }
        return result;
    }
}
