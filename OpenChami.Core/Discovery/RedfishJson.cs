using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using OpenChami.Core.Model;

namespace OpenChami.Core.Discovery;

/// <summary>Null-tolerant readers for vendor Redfish JSON: a missing, null or oddly typed value is simply absent.</summary>
internal static class RedfishJson
{
    public static JsonNode? At(JsonNode? node, params string[] path)
    {
        foreach (var name in path)
        {
            if (node is not JsonObject o || !o.TryGetPropertyValue(name, out node)) return null;
        }
        return node;
    }

    /// <summary>
    /// A string value (numbers and booleans as text). Vendor placeholders (<c>""</c>, <c>N/A</c>, <c>Unknown</c>,
    /// <c>null</c>, <c>0.0.0.0</c>, ...: <see cref="RedfishValues.IsPlaceholder"/>) are absent, like a missing property.
    /// </summary>
    public static string? Str(JsonNode? node, params string[] path)
    {
        var text = Raw(node, path);
        return text is null || RedfishValues.IsPlaceholder(text) ? null : text;
    }

    /// <summary>The trimmed text as the BMC gave it, placeholders included (null only when missing, null or empty).</summary>
    public static string? Raw(JsonNode? node, params string[] path)
    {
        if (At(node, path) is not JsonValue v) return null;
        var text = v.GetValueKind() switch
        {
            JsonValueKind.String => v.GetValue<string>(),
            JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => v.ToJsonString(),
            _ => null,
        };
        return string.IsNullOrWhiteSpace(text) ? null : text.Trim();
    }

    public static int? Int(JsonNode? node, params string[] path) =>
        At(node, path) is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<int>(out var i) ? i : null;

    public static double? Number(JsonNode? node, params string[] path) =>
        At(node, path) is JsonValue v && v.GetValueKind() == JsonValueKind.Number ? v.GetValue<double>() : null;

    public static bool? Bool(JsonNode? node, params string[] path) =>
        At(node, path) is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False ? v.GetValue<bool>() : null;

    /// <summary>The <c>@odata.id</c> of a link object (<c>{"@odata.id": "..."}</c>), trailing slash removed.</summary>
    public static string? Link(JsonNode? node, params string[] path) => CleanPath(Str(At(node, path), "@odata.id"));

    /// <summary>The <c>@odata.id</c> of every link object in an array.</summary>
    public static List<string> Links(JsonNode? node, params string[] path) =>
        At(node, path) is JsonArray a ? a.Select(m => CleanPath(Str(m, "@odata.id"))).OfType<string>().ToList() : [];

    /// <summary>The string items of an array (non-strings and placeholders skipped).</summary>
    public static List<string> Strings(JsonNode? node, params string[] path) =>
        At(node, path) is JsonArray a
            ? a.OfType<JsonValue>().Where(v => v.GetValueKind() == JsonValueKind.String).Select(v => v.GetValue<string>().Trim())
                .Where(s => !RedfishValues.IsPlaceholder(s)).ToList()
            : [];

    /// <summary>A resource path (<c>/redfish/v1/...</c> or an absolute http(s) URL), trailing slash removed; anything else is absent.</summary>
    public static string? CleanPath(string? path)
    {
        if (string.IsNullOrWhiteSpace(path)) return null;
        path = path.Trim();
        if (!RedfishValues.IsLink(path)) return null;
        return path.Length > 1 ? path.TrimEnd('/') : path;
    }

    public static string Invariant(double value) => value.ToString(CultureInfo.InvariantCulture);
}
