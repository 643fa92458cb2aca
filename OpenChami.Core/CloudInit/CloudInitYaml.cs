using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace OpenChami.Core.CloudInit;

/// <summary>
/// Writes a JSON tree as block YAML the way go-yaml did for upstream (map keys in insertion order,
/// sequences under a key at the key's indent). Strings are written plain only when a YAML 1.1 reader
/// (PyYAML in cloud-init) reads them back as the same string; otherwise double-quoted.
/// </summary>
public static partial class CloudInitYaml
{
    public static string Write(JsonObject root)
    {
        var text = new StringBuilder();
        WriteMap(text, root, 0);
        return text.ToString();
    }

    private static void WriteMap(StringBuilder text, JsonObject map, int indent)
    {
        foreach (var (key, value) in map)
        {
            text.Append(' ', indent).Append(Scalar(key)).Append(':');
            WriteValueAfterKey(text, value, indent);
        }
    }

    private static void WriteValueAfterKey(StringBuilder text, JsonNode? value, int indent)
    {
        switch (value)
        {
            case JsonObject { Count: 0 }:
                text.Append(" {}\n");
                break;
            case JsonObject child:
                text.Append('\n');
                WriteMap(text, child, indent + 2);
                break;
            case JsonArray { Count: 0 }:
                text.Append(" []\n");
                break;
            case JsonArray list:
                text.Append('\n');
                WriteSequence(text, list, indent);
                break;
            default:
                text.Append(' ').Append(Scalar(value)).Append('\n');
                break;
        }
    }

    private static void WriteSequence(StringBuilder text, JsonArray list, int indent)
    {
        foreach (var item in list)
        {
            text.Append(' ', indent).Append('-');
            switch (item)
            {
                case JsonObject { Count: > 0 } child:
                    // "- first: 1\n  second: 2": the first entry shares the dash's line.
                    var nested = new StringBuilder();
                    WriteMap(nested, child, indent + 2);
                    text.Append(' ').Append(nested.ToString(indent + 2, nested.Length - indent - 2));
                    break;
                case JsonArray { Count: > 0 } inner:
                    text.Append('\n');
                    WriteSequence(text, inner, indent + 2);
                    break;
                case JsonObject:
                    text.Append(" {}\n");
                    break;
                case JsonArray:
                    text.Append(" []\n");
                    break;
                default:
                    text.Append(' ').Append(Scalar(item)).Append('\n');
                    break;
            }
        }
    }

    private static string Scalar(JsonNode? node)
    {
        if (node is null) return "null";
        var element = node.GetValueKind();
        return element switch
        {
            JsonValueKind.String => Scalar(node.GetValue<string>()),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            JsonValueKind.Number => node.ToJsonString(),
            _ => "null",
        };
    }

    /// <summary>A string as a YAML scalar: plain when unambiguous, double-quoted otherwise.</summary>
    public static string Scalar(string value) => IsPlainSafe(value) ? value : Quote(value);

    private static readonly HashSet<string> Keywords = new(StringComparer.OrdinalIgnoreCase)
    {
        "y", "yes", "n", "no", "true", "false", "on", "off", "null", "~", "=", "<<",
    };

    [GeneratedRegex(@"\A[A-Za-z0-9_/.][A-Za-z0-9 _\-./@:+=,()%^~]*\z", RegexOptions.CultureInvariant)]
    private static partial Regex PlainCharacters();

    // Anything a YAML 1.1/1.2 resolver could read as a number, date or special float.
    [GeneratedRegex(@"\A[-+]?(\.[0-9]|[0-9])|\A[-+]?\.(inf|nan)\z", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex NumberLike();

    [GeneratedRegex(@"\A([-+]?[0-9][0-9_]*|[-+]?0x[0-9a-f_]+|[-+]?0b[01_]+|[-+]?0o[0-7]+|[-+]?([0-9][0-9_]*)?\.[0-9_]*([e][-+]?[0-9]+)?|[-+]?[0-9][0-9_]*[e][-+]?[0-9]+|[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}.*)\z", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex NumberOrDate();

    private static bool IsPlainSafe(string value)
    {
        if (value.Length == 0 || Keywords.Contains(value)) return false;
        if (!PlainCharacters().IsMatch(value)) return false;
        if (value.EndsWith(' ') || value.EndsWith(':') || value.Contains(": ", StringComparison.Ordinal)) return false;
        if (NumberLike().IsMatch(value) && NumberOrDate().IsMatch(value)) return false;
        return true;
    }

    private static string Quote(string value)
    {
        var text = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\t': text.Append("\\t"); break;
                default:
                    if (char.IsControl(c) || c is '\u2028' or '\u2029' or '\u0085' or '\uFEFF')
                    {
                        text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        text.Append(c);
                    }
                    break;
            }
        }
        return text.Append('"').ToString();
    }
}
