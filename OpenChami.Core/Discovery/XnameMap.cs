using System.Globalization;
using System.Net;
using System.Text.Json;
using OpenChami.Core.Errors;
using OpenChami.Core.Model;
using OpenChami.Core.Xnames;

namespace OpenChami.Core.Discovery;

/// <summary>
/// The operator's BMC naming (spec/discovery-power.md §2.5 priority 1): keys are a BMC IP, <c>IP:port</c>,
/// a BMC MAC or a chassis/system serial number; values are NodeBMC/ChassisBMC/RouterBMC xnames.
/// </summary>
public sealed class XnameMap
{
    private readonly Dictionary<string, string> entries = new(StringComparer.OrdinalIgnoreCase);

    public int Count => entries.Count;

    public IReadOnlyDictionary<string, string> Entries => entries;

    /// <summary>Builds a map, validating every entry; all problems are reported together.</summary>
    public static XnameMap FromPairs(IEnumerable<KeyValuePair<string, string>> pairs)
    {
        var map = new XnameMap();
        var problems = new List<string>();
        foreach (var (rawKey, rawValue) in pairs)
        {
            var key = NormalizeKey(rawKey);
            if (key.Length == 0)
            {
                problems.Add("an entry has an empty key");
                continue;
            }
            if (!Xname.TryParse(rawValue, out var xname, out var type) || type is not (HmsType.NodeBMC or HmsType.ChassisBMC or HmsType.RouterBMC))
            {
                problems.Add($"'{rawKey}' → '{rawValue}' is not a NodeBMC, ChassisBMC or RouterBMC xname");
                continue;
            }
            if (map.entries.TryGetValue(key, out var existing) && existing != xname)
            {
                problems.Add($"'{rawKey}' is mapped twice ({existing}, {xname})");
                continue;
            }
            map.entries[key] = xname;
        }
        if (problems.Count > 0)
        {
            throw ChamiException.Invalid("InvalidXnameMap", "Xname map is invalid: " + string.Join("; ", problems));
        }
        return map;
    }

    /// <summary>
    /// Loads a JSON object (<c>{"10.0.0.5":"x1000c0s0b0"}</c>, or magellan's <c>{"map_key":..,"id_map":{..}}</c>),
    /// the same as YAML (<c>.yaml</c>/<c>.yml</c>), or a CSV file of <c>key,xname</c> lines (a header line is
    /// allowed, <c>#</c> starts a comment).
    /// </summary>
    public static XnameMap Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw ChamiException.Invalid("XnameMapUnreadable", $"Cannot read xname map '{path}': {e.Message}", path);
        }
        if (text.TrimStart().StartsWith('{')) return ParseJson(text, path);
        return Path.GetExtension(path).ToLowerInvariant() is ".yaml" or ".yml" ? ParseYaml(text, path) : ParseCsv(text);
    }

    private static XnameMap ParseJson(string text, string path)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            var map = root.TryGetProperty("id_map", out var idMap) && idMap.ValueKind == JsonValueKind.Object ? idMap : root;
            return FromPairs(map.EnumerateObject()
                .Where(p => p.Value.ValueKind == JsonValueKind.String)
                .Select(p => KeyValuePair.Create(p.Name, p.Value.GetString()!)));
        }
        catch (JsonException e)
        {
            throw ChamiException.Invalid("InvalidXnameMap", $"Xname map '{path}' is not valid JSON: {e.Message}", path);
        }
    }

    private static XnameMap ParseYaml(string text, string path)
    {
        Dictionary<string, object?>? root;
        try
        {
            root = new YamlDotNet.Serialization.DeserializerBuilder().Build().Deserialize<Dictionary<string, object?>>(text);
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            throw ChamiException.Invalid("InvalidXnameMap", $"Xname map '{path}' is not valid YAML: {e.Message}", path);
        }
        var map = root is not null && root.TryGetValue("id_map", out var idMap) && idMap is IDictionary<object, object> nested
            ? nested.Select(p => KeyValuePair.Create(p.Key?.ToString() ?? string.Empty, p.Value?.ToString() ?? string.Empty))
            : (root ?? []).Select(p => KeyValuePair.Create(p.Key, p.Value?.ToString() ?? string.Empty));
        return FromPairs(map.ToList());
    }

    private static XnameMap ParseCsv(string text)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var parts = line.Split(',', 2, StringSplitOptions.TrimEntries);
            if (parts.Length == 2 && pairs.Count == 0 && !Xname.IsValid(parts[1])) continue; // header line
            pairs.Add(KeyValuePair.Create(parts[0], parts.Length == 2 ? parts[1] : string.Empty));
        }
        return FromPairs(pairs);
    }

    /// <summary>The xname for a BMC: by IP:port, IP, BMC MAC, then chassis/system serials; null when unmapped.</summary>
    public string? Find(DiscoveryTarget target, string? bmcMac, IEnumerable<string?> serials)
    {
        foreach (var key in Keys())
        {
            if (key is not null && entries.TryGetValue(NormalizeKey(key), out var xname)) return xname;
        }
        return null;

        IEnumerable<string?> Keys()
        {
            yield return $"{target.Host}:{target.Port.ToString(CultureInfo.InvariantCulture)}";
            yield return target.Host;
            yield return bmcMac;
            foreach (var s in serials) yield return s;
        }
    }

    private static string NormalizeKey(string? key)
    {
        var k = key?.Trim() ?? string.Empty;
        if (MacAddress.TryNormalize(k, out var mac) && (k.Contains(':') || k.Contains('-') || k.Contains('.'))) return mac;
        if (IPAddress.TryParse(k, out var ip) && k.Count(c => c == '.') == 3) return ip.ToString();
        var colon = k.LastIndexOf(':');
        if (colon > 0 && IPAddress.TryParse(k[..colon], out var ip2) && k[..colon].Count(c => c == '.') == 3) return $"{ip2}{k[colon..]}";
        return k;
    }
}
