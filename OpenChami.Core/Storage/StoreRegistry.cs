namespace OpenChami.Core.Storage;

/// <summary>
/// One store per database file (or PostgreSQL database and user) per process, shared by the cmdlets and any server in the process.
/// Reference-counted: every <see cref="Acquire"/>, <see cref="AcquireInMemory"/> or <see cref="Share"/>
/// is matched by one <see cref="Release"/>; the last release closes the store.
/// </summary>
public static class StoreRegistry
{
    private static readonly object Gate = new();
    private static readonly Dictionary<string, IChamiStore> ByPath = new(StringComparer.Ordinal);
    private static readonly Dictionary<IChamiStore, int> References = new(ReferenceEqualityComparer.Instance);

    /// <summary><c>$OPENCHAMI_DB</c>, else <c>$XDG_DATA_HOME/openchami/openchami.db</c>, else <c>~/.local/share/openchami/openchami.db</c>.</summary>
    public static string DefaultPath
    {
        get
        {
            var fromEnv = Environment.GetEnvironmentVariable("OPENCHAMI_DB");
            if (!string.IsNullOrWhiteSpace(fromEnv)) return Path.GetFullPath(fromEnv);
            var dataHome = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
            if (string.IsNullOrWhiteSpace(dataHome))
            {
                dataHome = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share");
            }
            return Path.Combine(dataHome, "openchami", "openchami.db");
        }
    }

    /// <summary>Opens the file's store, or shares the one already open in this process.</summary>
    public static IChamiStore Acquire(string path)
    {
        var fullPath = Path.GetFullPath(path);
        lock (Gate)
        {
            if (!ByPath.TryGetValue(fullPath, out var store))
            {
                store = LiteDbStore.OpenFile(fullPath);
                ByPath[fullPath] = store;
                References[store] = 0;
            }
            References[store]++;
            return store;
        }
    }

    /// <summary>
    /// Connects to a PostgreSQL database, or shares the store already connected in this process to the same
    /// database as the same user (keyed by the redacted location, so no password is kept as a key).
    /// </summary>
    public static IChamiStore AcquirePostgres(Postgres.PostgresStoreOptions options)
    {
        var settings = Postgres.PostgresStore.ConnectionSettings(options);
        var location = Postgres.PostgresStore.RedactedLocation(settings);
        lock (Gate)
        {
            if (!ByPath.TryGetValue(location, out var store))
            {
                store = Postgres.PostgresStore.Open(options);
                ByPath[location] = store;
                References[store] = 0;
            }
            References[store]++;
            return store;
        }
    }

    /// <summary>A new private in-memory store (demos and tests).</summary>
    public static IChamiStore AcquireInMemory()
    {
        var store = LiteDbStore.OpenInMemory();
        lock (Gate) References[store] = 1;
        return store;
    }

    /// <summary>Takes another reference to a store someone already holds (a server sharing the session's store).</summary>
    public static IChamiStore Share(IChamiStore store)
    {
        lock (Gate)
        {
            if (!References.TryGetValue(store, out var count)) throw new InvalidOperationException("The store is closed.");
            References[store] = count + 1;
            return store;
        }
    }

    public static void Release(IChamiStore store)
    {
        lock (Gate)
        {
            if (!References.TryGetValue(store, out var count)) return;
            if (count > 1)
            {
                References[store] = count - 1;
                return;
            }
            References.Remove(store);
            if (!store.IsInMemory) ByPath.Remove(store.Location);
        }
        store.Dispose();
    }

    public static IReadOnlyList<string> OpenPaths
    {
        get
        {
            lock (Gate) return ByPath.Keys.ToList();
        }
    }
}
