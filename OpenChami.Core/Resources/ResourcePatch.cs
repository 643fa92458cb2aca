using System.Text.Json.Nodes;
using OpenChami.Core.Errors;
using OpenChami.Core.Serialization;

namespace OpenChami.Core.Resources;

/// <summary>PATCH for every kind, over <see cref="IResourceService{TSpec}.Replace"/>: one place reads both patch formats.</summary>
public static class ResourcePatch
{
    /// <summary>
    /// Patches a resource's spec (spec/boot-service.md §2). A JSON array is a JSON Patch (paths within the spec; a
    /// leading <c>/spec</c> is accepted too). An object is a merge patch: of the resource when it has a <c>spec</c> or
    /// <c>metadata</c> member, else of the spec itself.
    /// </summary>
    public static Resource<TSpec> Apply<TSpec>(IResourceService<TSpec> service, string uid, JsonNode? patch) where TSpec : class
    {
        var current = service.Get(uid) ?? throw ChamiException.NotFound("ResourceNotFound", $"{service.Kind.Name} '{uid}' not found", uid);
        var spec = JsonNode.Parse(ChamiJson.Serialize(current.Spec));
        var metadata = current.Metadata;
        switch (patch)
        {
            case JsonArray operations:
                spec = JsonPatch.Apply(spec, WithinSpec(operations));
                break;
            case JsonObject o when o.ContainsKey("spec") || o.ContainsKey("metadata"):
                if (o["spec"] is { } specPatch) spec = JsonPatch.Merge(spec, specPatch);
                if (o["metadata"] is JsonObject m) metadata = MergeMetadata(metadata, m);
                break;
            case JsonObject o:
                spec = JsonPatch.Merge(spec, o);
                break;
            default:
                throw ChamiException.Invalid("InvalidPatch", "a patch is a JSON object (merge patch) or a JSON array (JSON Patch)");
        }
        return service.Replace(uid, metadata, ResourceRequest.ReadSpec<TSpec>(spec, service.Kind));
    }

    /// <summary>Patches the status the same two ways (no envelope here: the body is about the status).</summary>
    public static Resource<TSpec> ApplyToStatus<TSpec>(IResourceService<TSpec> service, string uid, JsonNode? patch) where TSpec : class
    {
        var current = service.Get(uid) ?? throw ChamiException.NotFound("ResourceNotFound", $"{service.Kind.Name} '{uid}' not found", uid);
        var status = patch is JsonArray operations ? JsonPatch.Apply(current.Status ?? new JsonObject(), operations) : JsonPatch.Merge(current.Status, patch);
        return service.SetStatus(uid, status);
    }

    private static JsonArray WithinSpec(JsonArray operations)
    {
        var copy = (JsonArray)operations.DeepClone();
        foreach (var op in copy.OfType<JsonObject>())
        {
            foreach (var member in new[] { "path", "from" })
            {
                if (op[member] is JsonValue v && v.TryGetValue<string>(out var p) && (p == "/spec" || p.StartsWith("/spec/", StringComparison.Ordinal)))
                {
                    op[member] = p[5..];
                }
            }
        }
        return copy;
    }

    private static ResourceMetadata MergeMetadata(ResourceMetadata metadata, JsonObject patch)
    {
        var name = patch["name"] is JsonValue n && n.TryGetValue<string>(out var s) && s.Length > 0 ? s : metadata.Name;
        return metadata with
        {
            Name = name,
            Labels = MergeMap(metadata.Labels, patch["labels"]),
            Annotations = MergeMap(metadata.Annotations, patch["annotations"]),
        };
    }

    private static IReadOnlyDictionary<string, string>? MergeMap(IReadOnlyDictionary<string, string>? map, JsonNode? patch)
    {
        if (patch is null) return map;
        var merged = JsonPatch.Merge(map is null ? null : JsonSerializerNode(map), patch) as JsonObject;
        return merged?.ToDictionary(p => p.Key, p => p.Value is JsonValue v && v.TryGetValue<string>(out var s) ? s
            : throw ChamiException.Invalid("InvalidMetadata", $"label or annotation '{p.Key}' must be a string"), StringComparer.Ordinal);
    }

    private static JsonObject JsonSerializerNode(IReadOnlyDictionary<string, string> map) =>
        new(map.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)JsonValue.Create(p.Value))));
}
