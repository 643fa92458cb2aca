using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OpenChami.RedfishFixture;

/// <summary>
/// A read-only Redfish mockup folder ("short form": <c>&lt;folder&gt;/index.json</c> is <c>/redfish/v1</c>,
/// <c>&lt;folder&gt;/&lt;path&gt;/index.json</c> is <c>/redfish/v1/&lt;path&gt;</c>; plain <c>*.json</c> files below
/// the root are resources too). Every resource is parsed once and kept as compact UTF-8, so hundreds of
/// simulated BMCs share one copy; per-BMC changes live in a <see cref="RedfishResourceTree"/>.
/// </summary>
public sealed class RedfishMockup
{
    /// <summary>The canonical path of the service root.</summary>
    public const string ServiceRootPath = "/redfish/v1";

    private static readonly ConcurrentDictionary<string, Lazy<RedfishMockup>> Cache = new(StringComparer.Ordinal);

    private readonly FrozenDictionary<string, byte[]> _resources;

    private RedfishMockup(string folder, FrozenDictionary<string, byte[]> resources)
    {
        Folder = folder;
        _resources = resources;
        TotalBytes = resources.Values.Sum(static b => (long)b.Length);
    }

    /// <summary>Absolute path of the mockup folder.</summary>
    public string Folder { get; }

    /// <summary>Canonical paths (<c>/redfish/v1/...</c>, no trailing slash) of every resource.</summary>
    public IReadOnlyCollection<string> Paths => _resources.Keys;

    /// <summary>Size of all resources as compact JSON.</summary>
    public long TotalBytes { get; }

    /// <summary>
    /// Loads a mockup folder. With <paramref name="useCache"/> the folder is read once per process,
    /// which is safe because a mockup is never modified; pass false after editing a copied tree.
    /// </summary>
    public static RedfishMockup Load(string folder, bool useCache = true)
    {
        var full = Path.GetFullPath(folder).TrimEnd(Path.DirectorySeparatorChar);
        if (!useCache)
        {
            return LoadFolder(full);
        }

        // Lazy so that parallel callers share one load instead of racing.
        var lazy = Cache.GetOrAdd(full, static f => new Lazy<RedfishMockup>(() => LoadFolder(f)));
        try
        {
            return lazy.Value;
        }
        catch
        {
            Cache.TryRemove(new KeyValuePair<string, Lazy<RedfishMockup>>(full, lazy));
            throw;
        }
    }

    /// <summary>
    /// Maps a request path or <c>@odata.id</c> to its canonical form: query string and fragment removed,
    /// trailing slashes removed, <c>/redfish/v1/</c> → <c>/redfish/v1</c>. Returns null outside <c>/redfish/v1</c>.
    /// </summary>
    public static string? NormalizePath(string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return null;
        }

        var cut = path.IndexOfAny(['?', '#']);
        var span = (cut >= 0 ? path.AsSpan(0, cut) : path.AsSpan()).TrimEnd('/');
        if (!span.StartsWith(ServiceRootPath, StringComparison.Ordinal))
        {
            return null;
        }

        // "/redfish/v10" is not below "/redfish/v1".
        if (span.Length > ServiceRootPath.Length && span[ServiceRootPath.Length] != '/')
        {
            return null;
        }

        return span.Length == path.Length ? path : span.ToString();
    }

    /// <summary>True when the mockup has a resource at <paramref name="path"/> (any accepted form).</summary>
    public bool Contains(string path) => NormalizePath(path) is { } key && _resources.ContainsKey(key);

    /// <summary>A fresh, mutable deep copy of the resource, or null when there is none.</summary>
    public JsonNode? GetResource(string path) =>
        NormalizePath(path) is { } key && _resources.TryGetValue(key, out var bytes) ? JsonNode.Parse(bytes) : null;

    /// <summary>A per-BMC mutable view of this mockup (copy-on-write, so it costs nothing until changed).</summary>
    public RedfishResourceTree CreateTree() => new(this);

    internal bool TryGetUtf8(string canonicalPath, out byte[] utf8) =>
        _resources.TryGetValue(canonicalPath, out utf8!);

    private static RedfishMockup LoadFolder(string folder)
    {
        if (!File.Exists(Path.Combine(folder, "index.json")))
        {
            throw new DirectoryNotFoundException($"'{folder}' is not a Redfish mockup: it has no index.json.");
        }

        var resources = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(folder, "*.json", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(folder, file).Replace(Path.DirectorySeparatorChar, '/');
            string resourcePath;
            if (Path.GetFileName(relative) == "index.json")
            {
                var dir = Path.GetDirectoryName(relative)?.Replace(Path.DirectorySeparatorChar, '/') ?? "";
                resourcePath = dir.Length == 0 ? ServiceRootPath : $"{ServiceRootPath}/{dir}";
            }
            else if (relative.Contains('/'))
            {
                // Plain resource file such as Registries/Base.1.5.0.json. Files at the top level
                // (explorer_config.json) are tooling metadata, not resources.
                resourcePath = $"{ServiceRootPath}/{relative}";
                if (resources.ContainsKey(resourcePath))
                {
                    continue; // the folder form <name>/index.json wins
                }
            }
            else
            {
                continue;
            }

            resources[resourcePath] = Compact(file);
        }

        return new RedfishMockup(folder, resources.ToFrozenDictionary(StringComparer.Ordinal));
    }

    private static byte[] Compact(string file)
    {
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(file));
            var buffer = new System.Buffers.ArrayBufferWriter<byte>();
            using (var writer = new Utf8JsonWriter(buffer, RedfishJson.WriterOptions))
            {
                doc.WriteTo(writer);
            }

            return buffer.WrittenSpan.ToArray();
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"Mockup file '{file}' is not valid JSON: {e.Message}", e);
        }
    }
}
