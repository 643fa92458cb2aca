using LiteDB;
using OpenChami.Core.Errors;

namespace OpenChami.Core.Storage;

/// <summary>
/// LiteDB implementation of <see cref="IChamiStore"/>.
/// Files are opened in LiteDB's <em>shared</em> connection mode: every unit of work takes a
/// cross-process lock and sees what other processes committed, so a server under systemd and an
/// operator's prompt can use the same file at once (bench/ measures the cost). Writers in this
/// process are also serialized here, which keeps LiteDB's per-collection locks deadlock-free.
/// </summary>
public sealed class LiteDbStore : IChamiStore
{
    private readonly LiteDatabase database;
    private readonly object writeLock = new();
    private readonly ThreadLocal<LiteSession?> current = new();
    private readonly ReadCache cache;
    private bool disposed;

    private LiteDbStore(LiteDatabase database, string location, bool inMemory, ChangeStamps stamps, bool cacheReads)
    {
        this.database = database;
        Location = location;
        IsInMemory = inMemory;
        cache = new ReadCache(stamps, database.Mapper) { Enabled = cacheReads };
    }

    /// <summary>Whether repeated reads are served from memory (see <see cref="ReadCache"/>).</summary>
    public bool CachesReads => cache.Enabled;

    public string Location { get; }

    public bool IsInMemory { get; }

    public string BackendName => "litedb";

    public string? KeyDirectory => IsInMemory ? null : Location + ".keys";

    public int SchemaVersion => Read(_ => database.UserVersion);

    /// <summary>
    /// Opens (creating if needed) a database file. Prefer <see cref="StoreRegistry"/>: one instance per file per process.
    /// <paramref name="cacheReads"/> off is for measuring the cache; every process on one file must keep the stamps
    /// (they always do: stamps are written by writers whether or not their own reads are cached).
    /// </summary>
    public static LiteDbStore OpenFile(string path, bool shared = true, bool cacheReads = true)
    {
        var fullPath = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(fullPath);
        if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
        var connection = new ConnectionString
        {
            Filename = fullPath,
            Connection = shared ? ConnectionType.Shared : ConnectionType.Direct,
        };
        LiteDatabase database;
        try
        {
            database = new LiteDatabase(connection, StoreSchema.CreateMapper());
        }
        catch (Exception ex) when (ex is LiteException or IOException or UnauthorizedAccessException)
        {
            throw ChamiException.Unavailable("DatabaseOpenFailed", $"Cannot open database '{fullPath}': {ex.Message}", fullPath, ex);
        }
        ChangeStamps stamps;
        try
        {
            stamps = ChangeStamps.ForFile(fullPath, StoreSchema.StampLayout);
        }
        catch
        {
            database.Dispose();
            throw;
        }
        return Initialize(new LiteDbStore(database, fullPath, inMemory: false, stamps, cacheReads));
    }

    public static LiteDbStore OpenInMemory(bool cacheReads = true) =>
        Initialize(new LiteDbStore(new LiteDatabase(new MemoryStream(), StoreSchema.CreateMapper()), ":memory:", inMemory: true, ChangeStamps.InProcess(), cacheReads));

    private static LiteDbStore Initialize(LiteDbStore store)
    {
        try
        {
            store.Migrate();
            return store;
        }
        catch (Exception ex) when (ex is LiteException or IOException or UnauthorizedAccessException)
        {
            // Shared mode opens the file lazily, so a path that can't be a database fails here, not in the constructor.
            store.Dispose();
            throw ChamiException.Unavailable("DatabaseOpenFailed", $"Cannot open database '{store.Location}': {ex.Message}", store.Location, ex);
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    private void Migrate()
    {
        lock (writeLock)
        {
            database.UtcDate = true;
            var version = database.UserVersion;
            if (version > StoreSchema.CurrentVersion)
            {
                throw new ChamiException(ChamiErrorKind.NotSupported, "DatabaseSchemaTooNew",
                    $"Database '{Location}' has schema version {version}; this OpenChami understands up to {StoreSchema.CurrentVersion}. Upgrade OpenChami to open it.", Location);
            }
            var fresh = version == 0;
            if (!fresh)
            {
                for (var v = version; v < StoreSchema.CurrentVersion; v++) StoreSchema.Migrations[v - 1](database);
            }
            foreach (var definition in StoreSchema.Collections)
            {
                var collection = database.GetCollection(definition.Name);
                foreach (var index in definition.Indexes)
                {
                    collection.EnsureIndex(IndexName(index), BsonExpression.Create(index), unique: false);
                }
            }
            if (database.UserVersion != StoreSchema.CurrentVersion) database.UserVersion = StoreSchema.CurrentVersion;
        }
    }

    // LiteDB index names are limited to word characters.
    private static string IndexName(string expression) =>
        "ix_" + new string(expression.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_').ToArray()).Trim('_');

    public T Read<T>(Func<IStoreSession, T> read)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (cache.InScope) return cache.Read(read, ReadFromFile); // nested in a cached read
        if (current.Value is { } active) return read(active);     // nested in a write: see its own changes
        return cache.Enabled ? cache.Read(read, ReadFromFile) : ReadFromFile(read);
    }

    private T ReadFromFile<T>(Func<IStoreSession, T> read)
    {
        var session = new LiteSession(database, changed: null);
        var began = database.BeginTrans();
        current.Value = session;
        try
        {
            return Translate(() => read(session));
        }
        finally
        {
            current.Value = null;
            if (began) database.Rollback();
        }
    }

    public T Write<T>(Func<IStoreSession, T> write)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        cache.NoteWrite();
        if (cache.InScope) cache.NestedWrite();
        if (current.Value is { } active) return write(active);
        lock (writeLock)
        {
            var session = new LiteSession(database, changed: []);
            database.BeginTrans();
            current.Value = session;
            var began = false;
            try
            {
                var result = Translate(() => write(session));
                // Stamps move before the commit and settle after it: no reader can trust memory across it.
                cache.Begin(session.Changed!);
                began = true;
                database.Commit();
                return result;
            }
            catch
            {
                database.Rollback();
                throw;
            }
            finally
            {
                current.Value = null;
                if (began) cache.End(session.Changed!);
            }
        }
    }

    public T Remember<T>(string key, Func<T> compute, Func<T, bool>? keep = null) where T : class
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        return current.Value is null ? cache.Remember(key, compute, keep) : compute();
    }

    private T Translate<T>(Func<T> work)
    {
        try
        {
            return work();
        }
        catch (LiteException ex) when (ex.ErrorCode == LiteException.INDEX_DUPLICATE_KEY)
        {
            throw ChamiException.Conflict("ResourceExists", ex.Message);
        }
        catch (LiteException ex) when (ex.Message.StartsWith("Index key must be less than", StringComparison.Ordinal))
        {
            // An id or indexed value over LiteDB's 1,023-byte key limit is bad input, not a store failure.
            throw ChamiException.Invalid("ValueTooLong", "a name, id or indexed value is too long (at most about 1,000 bytes)");
        }
        catch (LiteException ex)
        {
            throw ChamiException.Unavailable("DatabaseError", $"Database '{Location}': {ex.Message}", Location, ex);
        }
    }

    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        lock (writeLock)
        {
            database.Dispose();
        }
        current.Dispose();
        cache.Dispose();
    }

    private sealed class LiteSession : IStoreSession
    {
        private readonly Dictionary<Type, object> collections = [];
        private readonly LiteDatabase database;
        private readonly Audit.AuditRecorder audit;

        /// <param name="changed">For a write: collects the stamp slots of the collections it changes (journal and derived collections included, as they go through this session).</param>
        public LiteSession(LiteDatabase database, HashSet<int>? changed)
        {
            this.database = database;
            Changed = changed;
            audit = new Audit.AuditRecorder(this);
        }

        public HashSet<int>? Changed { get; }

        public IDocumentCollection<T> Collection<T>() where T : class
        {
            if (!collections.TryGetValue(typeof(T), out var collection))
            {
                var definition = StoreSchema.Get(typeof(T));
                IDocumentCollection<T> typed = new LiteDocumentCollection<T>(database.GetCollection<T>(definition.Name), definition, audit, this);
                if (Changed is not null) typed = new TrackingCollection<T>(typed, definition, Changed);
                collection = typed;
                collections[typeof(T)] = collection;
            }
            return (IDocumentCollection<T>)collection;
        }
    }
}
