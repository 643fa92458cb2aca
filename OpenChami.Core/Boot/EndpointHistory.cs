using System.Collections.Concurrent;
using OpenChami.Core.Errors;
using OpenChami.Core.Storage;
using OpenChami.Core.Xnames;

namespace OpenChami.Core.Boot;

/// <summary>The last time each node asked each boot endpoint (spec/bss.md §6.2), written behind the boot requests.</summary>
internal sealed class EndpointHistory(IChamiStore store)
{
    private readonly ConcurrentDictionary<string, EndpointAccess> pendingAccess = new();
    private Timer? flushTimer;

    /// <summary>
    /// Records a last access. Boot storms must not queue on the write lock, so accesses are kept in memory and written
    /// in one transaction per second, each (name, endpoint) at most once a minute while it keeps asking (a storm of
    /// retries would otherwise rewrite thousands of entries every second). <see cref="Read"/> writes everything
    /// first, so this server's API is exact; another process reading the file sees times up to a minute old.
    /// </summary>
    public void Record(string name, string endpoint)
    {
        var access = new EndpointAccess { Id = $"{name}|{endpoint}", Name = name, Endpoint = endpoint, LastEpoch = DateTimeOffset.UtcNow.ToUnixTimeSeconds() };
        pendingAccess[access.Id] = access;
        if (flushTimer is null)
        {
            var timer = new Timer(_ => Flush(force: false), null, Timeout.Infinite, Timeout.Infinite);
            if (Interlocked.CompareExchange(ref flushTimer, timer, null) is null) timer.Change(1000, 1000);
            else timer.Dispose();
        }
    }

    /// <summary>Seconds an access time may wait in memory while its entry was written recently.</summary>
    public const int AccessRewriteSeconds = 60;

    private readonly ConcurrentDictionary<string, long> writtenAccess = new(StringComparer.Ordinal);

    public void Flush() => Flush(force: true);

    private void Flush(bool force)
    {
        if (pendingAccess.IsEmpty) return;
        var batch = new List<EndpointAccess>();
        foreach (var (key, waiting) in pendingAccess)
        {
            if (!force && writtenAccess.TryGetValue(key, out var written) && waiting.LastEpoch - written < AccessRewriteSeconds) continue;
            if (pendingAccess.TryRemove(key, out var access)) batch.Add(access);
        }
        if (batch.Count == 0) return;
        try
        {
            store.Write(s =>
            {
                var history = s.Collection<EndpointAccess>();
                foreach (var access in batch) history.Upsert(access);
            });
            foreach (var access in batch) writtenAccess[access.Id] = access.LastEpoch;
        }
        catch (ObjectDisposedException)
        {
            // The store was closed (database disconnected): nothing left to record into.
            Interlocked.Exchange(ref flushTimer, null)?.Dispose();
        }
        catch (ChamiException)
        {
            // A busy or failing store loses access times, never a boot.
        }
    }

    public static readonly IReadOnlyList<string> HistoryEndpoints = ["bootscript", "user-data"];

    public IReadOnlyList<EndpointAccess> Read(string? name = null, string? endpoint = null)
    {
        if (endpoint is not null && !HistoryEndpoints.Contains(endpoint))
        {
            throw ChamiException.Invalid("InvalidEndpointType", $"Invalid endpoint type '{endpoint}'", endpoint);
        }
        Flush();
        var id = name is not null && Xname.TryParse(name, out var x, out _) ? x : name;
        return store.Read(s => s.Collection<EndpointAccess>().All()
            .Where(a => (id is null || a.Name == id) && (endpoint is null || a.Endpoint == endpoint))
            .OrderBy(a => a.Name, XnameComparer.Instance).ThenBy(a => a.Endpoint, StringComparer.Ordinal).ToList());
    }
}
