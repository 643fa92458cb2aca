using System.Text.Json;
using Microsoft.AspNetCore.Http;
using OpenChami.Core.Errors;
using OpenChami.Core.Inventory;
using OpenChami.Core.Model;
using OpenChami.Core.Xnames;

namespace OpenChami.Core.Http.Smd;

/// <summary>
/// Turns SMD query parameters (spec/smd.md §5) into a <see cref="ComponentQuery"/>.
/// Names are case-insensitive (ASP.NET Core's query collection already is), values repeat, commas are not split.
/// </summary>
public static class ComponentQueryParser
{
    public static ComponentQuery Parse(IQueryCollection query) =>
        Parse(query.Select(kv => new KeyValuePair<string, IEnumerable<string>>(kv.Key, kv.Value.Select(v => v ?? string.Empty))));

    public static ComponentQuery Parse(IEnumerable<KeyValuePair<string, IEnumerable<string>>> parameters)
    {
        var q = new ComponentQuery();
        var nidStarts = new List<long>();
        var nidEnds = new List<long>();
        foreach (var (rawName, values) in parameters)
        {
            var name = rawName.ToLowerInvariant();
            foreach (var value in values)
            {
                switch (name)
                {
                    case "id": q.Id.Add(value, v => ParseXname(v)); break;
                    case "type": q.Type.Add(value, ParseType); break;
                    case "state": q.State.Add(value, v => Enum<HmsState>(v, "State")); break;
                    case "flag": q.Flag.Add(value, v => Enum<HmsFlag>(v, "Flag")); break;
                    case "role": q.Role.Add(value, v => HmsValues.CanonicalRole(v) ?? throw Bad("Argument was not a valid HMS Role")); break;
                    case "subrole": q.SubRole.Add(value, v => HmsValues.CanonicalSubRole(v) ?? throw Bad("Argument was not a valid HMS SubRole")); break;
                    case "softwarestatus": q.SoftwareStatus.Add(value, v => v); break;
                    case "subtype": q.Subtype.Add(value, v => v); break;
                    case "arch": q.Arch.Add(value, v => Enum<HmsArch>(v, "Arch")); break;
                    case "class": q.Class.Add(value, v => Enum<HmsClass>(v, "Class")); break;
                    case "enabled": q.Enabled = Bool(value); break;
                    case "locked": q.Locked = Bool(value); break;
                    case "reservation_disabled": q.ReservationDisabled = Bool(value); break;
                    case "nid": q.Nids.Add(Integer(value)); break;
                    case "nid_start": nidStarts.Add(Integer(value)); break;
                    case "nid_end": nidEnds.Add(Integer(value)); break;
                    case "group": q.Groups.Add(value.Trim().ToLowerInvariant()); break;
                    case "partition": q.Partitions.Add(value.Trim().Equals("NULL", StringComparison.OrdinalIgnoreCase) ? "NULL" : Xname.Normalize(value)); break;
                    default: break; // unknown parameters are ignored, as upstream does
                }
            }
        }
        for (var i = 0; i < Math.Max(nidStarts.Count, nidEnds.Count); i++)
        {
            var start = i < nidStarts.Count ? nidStarts[i] : long.MinValue;
            var end = i < nidEnds.Count ? nidEnds[i] : long.MaxValue;
            if (i >= nidStarts.Count) start = 0;
            q.NidRanges.Add((start, end));
        }
        return q;
    }

    public static string ParseXname(string value) =>
        Xname.TryParse(value, out var id, out _) ? id : throw Bad("Argument was not a valid xname ID");

    public static HmsType ParseType(string value) =>
        Xname.TryParseTypeName(value, out var type) ? type : throw Bad("Argument was not a valid HMS Type");

    private static T Enum<T>(string value, string what) where T : struct, System.Enum =>
        HmsValues.TryParse<T>(value, out var result) ? result : throw Bad($"Argument was not a valid HMS {what}");

    private static long Integer(string value) =>
        long.TryParse(value, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var n)
            ? n
            : throw Bad("a required argument was not an integer");

    public static bool Bool(string value) => value.Trim().ToLowerInvariant() switch
    {
        "true" or "t" or "1" => true,
        "false" or "f" or "0" => false,
        _ => throw Bad("a required argument did not match any valid input"),
    };

    private static readonly string[] ProjectionNames = ["stateonly", "flagonly", "roleonly", "nidonly"];

    /// <summary>The projection flags (stateonly...) — the first true one in this order wins.</summary>
    public static string? Projection(IQueryCollection query) =>
        Projection(query.Select(kv => new KeyValuePair<string, IEnumerable<string>>(kv.Key, kv.Value.Select(v => v ?? string.Empty))));

    public static string? Projection(IEnumerable<KeyValuePair<string, IEnumerable<string>>> parameters)
    {
        var list = parameters.ToList();
        foreach (var name in ProjectionNames)
        {
            foreach (var (key, values) in list)
            {
                if (key.Equals(name, StringComparison.OrdinalIgnoreCase) && values.Any(Bool)) return name;
            }
        }
        return null;
    }

    /// <summary>
    /// The JSON body of <c>POST /State/Components/Query</c> and <c>ByNID/Query</c> as parameter pairs:
    /// keys as sent (matched case-insensitively later), arrays flattened, scalars as their text.
    /// </summary>
    public static List<KeyValuePair<string, IEnumerable<string>>> BodyParameters(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException($"expected a JSON object, got {body.ValueKind}");
        }
        var pairs = new List<KeyValuePair<string, IEnumerable<string>>>();
        foreach (var property in body.EnumerateObject())
        {
            var values = property.Value.ValueKind == JsonValueKind.Array
                ? property.Value.EnumerateArray().Select(Text).ToList()
                : property.Value.ValueKind == JsonValueKind.Null ? [] : [Text(property.Value)];
            pairs.Add(new(property.Name, values));
        }
        return pairs;

        static string Text(JsonElement e) => e.ValueKind switch
        {
            JsonValueKind.String => e.GetString() ?? string.Empty,
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            JsonValueKind.Number => e.GetRawText(),
            _ => throw new JsonException($"unexpected {e.ValueKind} in a query value"),
        };
    }

    /// <summary>Values of one body key (case-insensitive), e.g. <c>ComponentIDs</c>.</summary>
    public static List<string> Values(IEnumerable<KeyValuePair<string, IEnumerable<string>>> parameters, string name) =>
        parameters.Where(p => p.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).SelectMany(p => p.Value).ToList();

    /// <summary><c>"12"</c> or <c>"10-20"</c> (inclusive) → a NID range.</summary>
    public static (long Start, long End) NidRange(string text)
    {
        var parts = text.Trim().Split('-');
        if (parts.Length is 1 or 2
            && long.TryParse(parts[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var start))
        {
            if (parts.Length == 1) return (start, start);
            if (long.TryParse(parts[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var end) && end >= start)
            {
                return (start, end);
            }
        }
        throw Bad("argument was not a valid NID Range");
    }

    internal static ChamiException Bad(string reason) => ChamiException.Invalid("BadQueryParam", $"bad query param: {reason}");
}
