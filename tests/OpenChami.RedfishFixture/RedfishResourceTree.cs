using System.Text.Json.Nodes;

namespace OpenChami.RedfishFixture;

/// <summary>
/// One simulated BMC's resources. Reads fall through to the shared <see cref="RedfishMockup"/> until a
/// resource is changed; a change stores a private copy (copy-on-write), so a PowerState change on one
/// BMC never shows on another and 256 BMCs still cost one mockup's memory.
/// Every read returns a deep copy, so callers may mutate what they get without a lock.
/// </summary>
public sealed class RedfishResourceTree
{
    private readonly Lock _lock = new();

    // Changed resources as compact UTF-8; a null value means the resource was removed.
    private readonly Dictionary<string, byte[]?> _changes = new(StringComparer.Ordinal);

    internal RedfishResourceTree(RedfishMockup mockup) => Mockup = mockup;

    /// <summary>The mockup this tree starts from.</summary>
    public RedfishMockup Mockup { get; }

    /// <summary>True when the resource exists (paths in any form accepted by <see cref="RedfishMockup.NormalizePath"/>).</summary>
    public bool Contains(string path) => NormalizePath(path) is { } key && TryGetUtf8(key, out _);

    /// <summary>A mutable deep copy of the current resource, or null when there is none.</summary>
    public JsonNode? Get(string path) =>
        NormalizePath(path) is { } key && TryGetUtf8(key, out var utf8) ? JsonNode.Parse(utf8) : null;

    /// <summary>Changes a resource atomically. Throws <see cref="KeyNotFoundException"/> when it doesn't exist.</summary>
    public void Update(string path, Action<JsonObject> mutate)
    {
        var key = NormalizePath(path) ?? throw new ArgumentException($"'{path}' is not a /redfish/v1 path.", nameof(path));
        lock (_lock)
        {
            if (!TryGetUtf8Locked(key, out var utf8) || JsonNode.Parse(utf8) is not JsonObject node)
            {
                throw new KeyNotFoundException($"No resource at '{key}'.");
            }

            mutate(node);
            _changes[key] = RedfishJson.ToUtf8(node);
        }
    }

    /// <summary>Adds or replaces a resource (e.g. to build a variant of the mockup for one test).</summary>
    public void Set(string path, JsonNode resource)
    {
        var key = NormalizePath(path) ?? throw new ArgumentException($"'{path}' is not a /redfish/v1 path.", nameof(path));
        var utf8 = RedfishJson.ToUtf8(resource);
        lock (_lock)
        {
            _changes[key] = utf8;
        }
    }

    /// <summary>Removes a resource, so it answers 404. Returns false when it didn't exist.</summary>
    public bool Remove(string path)
    {
        var key = NormalizePath(path);
        if (key is null)
        {
            return false;
        }

        lock (_lock)
        {
            if (!TryGetUtf8Locked(key, out _))
            {
                return false;
            }

            _changes[key] = null;
            return true;
        }
    }

    /// <summary>Drops every change: the tree equals the mockup again.</summary>
    public void Reset()
    {
        lock (_lock)
        {
            _changes.Clear();
        }
    }

    internal bool TryGetUtf8(string canonicalPath, out byte[] utf8)
    {
        lock (_lock)
        {
            return TryGetUtf8Locked(canonicalPath, out utf8);
        }
    }

    private bool TryGetUtf8Locked(string key, out byte[] utf8)
    {
        if (_changes.TryGetValue(key, out var changed))
        {
            utf8 = changed!;
            return changed is not null;
        }

        return Mockup.TryGetUtf8(key, out utf8);
    }

    private static string? NormalizePath(string path) => RedfishMockup.NormalizePath(path);
}
