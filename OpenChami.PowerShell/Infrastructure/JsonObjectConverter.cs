using System.Collections;
using System.Management.Automation;
using System.Text.Json;
using System.Text.Json.Nodes;
using OpenChami.Core.Errors;

namespace OpenChami.PowerShell.Infrastructure;

/// <summary>Turns what a PowerShell user passes as structured data (hashtable, PSCustomObject or JSON text) into a JSON object.</summary>
internal static class JsonObjectConverter
{
    public static JsonObject ToJsonObject(object? value, string parameter)
    {
        var node = ToNode(value is PSObject ps ? ps.BaseObject : value, parameter, 0);
        return node as JsonObject ?? throw ChamiException.Invalid("InvalidMetaData", $"-{parameter} must be a hashtable, an object or a JSON object text");
    }

    /// <summary>
    /// A bound structured parameter as a JSON object (null for $null); false after reporting the error through
    /// <paramref name="report"/> (the cmdlet's non-terminating error), so the caller skips the item.
    /// </summary>
    public static bool TryToJsonObject(object? value, string parameter, Action<ChamiException> report, out JsonObject? result)
    {
        try
        {
            result = value is null ? null : ToJsonObject(value, parameter);
            return true;
        }
        catch (ChamiException ex)
        {
            report(ex);
            result = null;
            return false;
        }
    }

    private static JsonNode? ToNode(object? value, string parameter, int depth)
    {
        if (depth > 32) throw ChamiException.Invalid("InvalidMetaData", $"-{parameter} is nested too deeply");
        var raw = value is PSObject wrapped && wrapped.BaseObject is not PSCustomObject ? wrapped.BaseObject : value;
        switch (raw)
        {
            case null:
                return null;
            case string text when depth == 0:
                try
                {
                    return JsonNode.Parse(text);
                }
                catch (JsonException ex)
                {
                    throw ChamiException.Invalid("InvalidMetaData", $"-{parameter} is not valid JSON: {ex.Message}");
                }
            case string text:
                return JsonValue.Create(text);
            case bool b:
                return JsonValue.Create(b);
            case int or long or short or byte or sbyte or ushort or uint or ulong:
                return JsonValue.Create(Convert.ToInt64(raw, System.Globalization.CultureInfo.InvariantCulture));
            case double or float or decimal:
                return JsonValue.Create(Convert.ToDouble(raw, System.Globalization.CultureInfo.InvariantCulture));
            case IDictionary map:
                var obj = new JsonObject();
                foreach (DictionaryEntry entry in map) obj[Convert.ToString(entry.Key, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty] = ToNode(entry.Value, parameter, depth + 1);
                return obj;
            case PSObject custom:
                var props = new JsonObject();
                foreach (var property in custom.Properties) props[property.Name] = ToNode(property.Value, parameter, depth + 1);
                return props;
            case IEnumerable list:
                var array = new JsonArray();
                foreach (var item in list) array.Add(ToNode(item, parameter, depth + 1));
                return array;
            default:
                return JsonValue.Create(Convert.ToString(raw, System.Globalization.CultureInfo.InvariantCulture));
        }
    }
}
