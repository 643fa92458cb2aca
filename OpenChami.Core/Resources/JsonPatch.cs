using System.Globalization;
using System.Text.Json.Nodes;
using OpenChami.Core.Errors;

namespace OpenChami.Core.Resources;

/// <summary>
/// The two patch formats resource PATCH routes take (spec/boot-service.md §2): JSON Merge Patch (RFC 7386) and
/// JSON Patch (RFC 6902). Both work on a copy; a failed operation throws Invalid and leaves the target as it was.
/// </summary>
public static class JsonPatch
{
    /// <summary>RFC 7386: objects merge member by member, null removes a member, anything else replaces.</summary>
    public static JsonNode? Merge(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject) return patch?.DeepClone();
        var result = target is JsonObject targetObject ? (JsonObject)targetObject.DeepClone() : [];
        foreach (var (name, value) in patchObject)
        {
            if (value is null) result.Remove(name);
            else result[name] = Merge(result[name], value);
        }
        return result;
    }

    /// <summary>RFC 6902: add, remove, replace, move, copy and test, applied in order, all or nothing.</summary>
    public static JsonNode? Apply(JsonNode? target, JsonArray operations)
    {
        var document = target?.DeepClone();
        foreach (var operation in operations)
        {
            if (operation is not JsonObject op) throw Invalid("each JSON Patch operation must be an object");
            var name = Text(op, "op");
            var path = Pointer(Text(op, "path"));
            switch (name)
            {
                case "add": document = Add(document, path, Value(op)); break;
                case "remove": document = Remove(document, path, out _); break;
                case "replace":
                    document = Remove(document, path, out _);
                    document = Add(document, path, Value(op));
                    break;
                case "move":
                {
                    var from = Pointer(Text(op, "from"));
                    document = Remove(document, from, out var moved);
                    document = Add(document, path, moved);
                    break;
                }
                case "copy": document = Add(document, path, Find(document, Pointer(Text(op, "from")))?.DeepClone()); break;
                case "test":
                    if (!JsonNode.DeepEquals(Find(document, path), op["value"])) throw Invalid($"test failed at '{op["path"]}'");
                    break;
                default: throw Invalid($"unknown JSON Patch operation '{name}'");
            }
        }
        return document;
    }

    private static ChamiException Invalid(string message) => ChamiException.Invalid("InvalidPatch", message);

    private static string Text(JsonObject op, string member) =>
        op[member] is JsonValue v && v.TryGetValue<string>(out var s) ? s : throw Invalid($"JSON Patch operation needs a string '{member}'");

    private static JsonNode? Value(JsonObject op) =>
        op.ContainsKey("value") ? op["value"]?.DeepClone() : throw Invalid($"JSON Patch '{op["op"]}' needs a 'value'");

    /// <summary>RFC 6901 pointer into its reference tokens ("" is the whole document).</summary>
    private static string[] Pointer(string pointer)
    {
        if (pointer.Length == 0) return [];
        if (pointer[0] != '/') throw Invalid($"'{pointer}' is not a JSON pointer");
        return [.. pointer[1..].Split('/').Select(t => t.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal))];
    }

    private static JsonNode? Find(JsonNode? document, string[] path)
    {
        var node = document;
        foreach (var token in path)
        {
            node = node switch
            {
                JsonObject o when o.TryGetPropertyValue(token, out var child) => child,
                JsonArray a when Index(a, token, allowEnd: false) is var i => a[i],
                _ => throw Invalid($"path '/{string.Join('/', path)}' does not exist"),
            };
        }
        return node;
    }

    private static JsonNode? Add(JsonNode? document, string[] path, JsonNode? value)
    {
        if (path.Length == 0) return value;
        var parent = Find(document, path[..^1]);
        var last = path[^1];
        switch (parent)
        {
            case JsonObject o: o[last] = value; break;
            case JsonArray a:
                var i = last == "-" ? a.Count : Index(a, last, allowEnd: true);
                a.Insert(i, value);
                break;
            default: throw Invalid($"cannot add below '/{string.Join('/', path[..^1])}'");
        }
        return document;
    }

    private static JsonNode? Remove(JsonNode? document, string[] path, out JsonNode? removed)
    {
        if (path.Length == 0) { removed = document; return null; }
        var parent = Find(document, path[..^1]);
        var last = path[^1];
        switch (parent)
        {
            case JsonObject o when o.TryGetPropertyValue(last, out removed):
                o.Remove(last);
                break;
            case JsonArray a:
                var i = Index(a, last, allowEnd: false);
                removed = a[i];
                a.RemoveAt(i);
                break;
            default: throw Invalid($"path '/{string.Join('/', path)}' does not exist");
        }
        return document;
    }

    private static int Index(JsonArray array, string token, bool allowEnd)
    {
        if (!int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var i) || (token.Length > 1 && token[0] == '0')
            || i > array.Count || (!allowEnd && i == array.Count))
        {
            throw Invalid($"'{token}' is not an index of an array of {array.Count}");
        }
        return i;
    }
}
