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
    private readonly TimeProvider time;
    private long nextIdentityCheck;
    private bool disposed;

    private LiteDbStore(LiteDatabase database, string location, bool inMemory, ChangeStamps stamps, bool cacheReads, TimeProvider? timeProvider)
    {
        this.database = database;
        Location = location;
        IsInMemory = inMemory;
        time = timeProvider ?? TimeProvider.System;
        cache = new ReadCache(stamps, database.Mapper) { Enabled = cacheReads };
        nextIdentityCheck = time.GetTimestamp() + IdentityCheckTicks;
    }

    /// <summary>
    /// How often a file's readers check that the stamps file at the path is still the one they mapped and that the
    /// database has not gone back (writers check on every write): the longest a process may serve what it
    /// remembered after an operator deletes the stamps file or restores the database under it.
    /// </summary>
    public static readonly TimeSpan IdentityCheckInterval = TimeSpan.FromSeconds(1);

    private long IdentityCheckTicks => (long)(IdentityCheckInterval.TotalSeconds * time.TimestampFrequency);

    /// <summary>Something an operator should know that is not an error of any one request (the server writes it to its log).</summary>
    public event Action<string>? Warning;

    // The database's record of which stamps its writers moved last, and how many commits it has (see RecordCommit).
    private const string IdentityCollection = "stamps_identity";
    private const string IdentityId = "stamps";

    /// <summary>The read cache itself (tests look at its limits and what it holds).</summary>
    internal ReadCache Cache => cache;

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
    public static LiteDbStore OpenFile(string path, bool shared = true, bool cacheReads = true, TimeProvider? timeProvider = null)
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
        return Initialize(new LiteDbStore(database, fullPath, inMemory: false, stamps, cacheReads, timeProvider));
    }

    public static LiteDbStore OpenInMemory(bool cacheReads = true) =>
        Initialize(new LiteDbStore(new LiteDatabase(new MemoryStream(), StoreSchema.CreateMapper()), ":memory:", inMemory: true, ChangeStamps.InProcess(), cacheReads, null));

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
        if (!cache.Enabled) return ReadFromFile(read);
        CheckNowAndThen();
        return cache.Read(read, ReadFromFile);
    }

    /// <summary>Now and then on reads: the stamps file and the database are still the ones the cache was filled from.</summary>
    private void CheckNowAndThen()
    {
        // A clock read per unit of work; the system calls only once per interval.
        if (IsInMemory || time.GetTimestamp() < Volatile.Read(ref nextIdentityCheck)) return;
        var due = Volatile.Read(ref nextIdentityCheck);
        if (Interlocked.CompareExchange(ref nextIdentityCheck, time.GetTimestamp() + IdentityCheckTicks, due) != due) return; // another thread checks
        lock (writeLock) CheckStampsFile();
        var record = Translate(() => database.GetCollection(IdentityCollection).FindById(IdentityId));
        // Gone back (restored or copied over): an empty write moves every stamp, in every process (see RecordCommit).
        if (!IsAsRecorded(record, cache.Stamps)) Write(_ => true);
    }

    /// <summary>
    /// The stamps writers move must be the ones at the path, which every process opening the database maps: once
    /// the file was deleted or replaced (an operator cleaning up, a backup restore) map the new one and forget
    /// what was remembered under the old. Called under the write lock.
    /// </summary>
    private void CheckStampsFile()
    {
        var mapped = cache.Stamps;
        if (mapped.FilePath is null || mapped.IsStillAtPath()) return;
        try
        {
            cache.Replace(ChangeStamps.ForFile(Location, StoreSchema.StampLayout));
            Warn($"'{mapped.FilePath}' is no longer the stamps file this process mapped (deleted or replaced while the database was open); mapped the one now at that path and dropped the read cache.");
        }
        catch (ChamiException ex)
        {
            // Another process may be creating it this instant: the next write or check tries again.
            Warn($"'{mapped.FilePath}' is no longer the stamps file this process mapped, and mapping the new one failed: {ex.Message}");
        }
    }

    private void Warn(string message) => Warning?.Invoke(message);

    // The database holds the generation of the stamps its writers moved and a commit number, which every writer also
    // raises in the stamps (HighestCommit): a database whose number is behind the stamps went back under them.
    private static bool IsAsRecorded(BsonDocument? record, ChangeStamps stamps) => record is null
        ? stamps.HighestCommit == 0
        : record["generation"].AsString == stamps.Generation.ToString("N") && record["commit"].AsInt64 >= stamps.HighestCommit;

    /// <summary>
    /// In a file write's transaction: numbers the commit and records the stamps generation in the database; if the
    /// database is not the one these stamps last saw (restored, copied over, or its stamps file recreated), the
    /// write moves every collection's stamps, so no process serves what it remembered of the database before.
    /// Returns the commit number (0: nothing to record).
    /// </summary>
    private long RecordCommit(HashSet<int> changed)
    {
        var stamps = cache.Stamps;
        var identity = database.GetCollection(IdentityCollection);
        var record = identity.FindById(IdentityId);
        var asRecorded = IsAsRecorded(record, stamps);
        if (asRecorded && changed.Count == 0) return 0;
        if (!asRecorded)
        {
            foreach (var definition in StoreSchema.Collections)
            {
                changed.Add(definition.StampSlot);
                changed.Add(definition.BulkStampSlot);
            }
            if (record is not null)
            {
                Warn($"'{Location}' is not the database its stamps last saw (restored or copied over while open, or its stamps file recreated): every process's read cache is dropped.");
            }
        }
        var commit = Math.Max(record?["commit"].AsInt64 ?? 0, stamps.HighestCommit) + 1;
        identity.Upsert(new BsonDocument { ["_id"] = IdentityId, ["generation"] = stamps.Generation.ToString("N"), ["commit"] = commit });
        return commit;
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

    /// <inheritdoc />
    public CommitFeed Commits { get; } = new();

    public T Write<T>(Func<IStoreSession, T> write)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        cache.NoteWrite();
        if (cache.InScope) cache.NestedWrite();
        if (current.Value is { } active) return write(active);
        lock (writeLock)
        {
            if (!IsInMemory) CheckStampsFile();
            var session = new LiteSession(database, changed: [], Commits.Begin());
            database.BeginTrans();
            current.Value = session;
            ChangeStamps? began = null;
            try
            {
                var result = Translate(() => write(session));
                var commit = IsInMemory ? 0 : Translate(() => RecordCommit(session.Changed!));
                // Stamps move before the commit and settle after it: no reader can trust memory across it.
                began = cache.Begin(session.Changed!);
                database.Commit();
                if (commit > 0) began.SawCommit(commit);
                session.Commits?.Publish();
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
                if (began is not null) ReadCache.End(began, session.Changed!);
            }
        }
    }

    public T Remember<T>(string key, Func<T> compute, Func<T, bool>? keep = null) where T : class
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (current.Value is not null) return compute();
        // A remembered answer never reads the store: the check for a replaced stamps file or database must run here too.
        if (!cache.InScope && cache.Enabled) CheckNowAndThen();
        return cache.Remember(key, compute, keep);
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
        public LiteSession(LiteDatabase database, HashSet<int>? changed, CommitBatch? commits = null)
        {
            this.database = database;
            Changed = changed;
            Commits = commits;
            audit = new Audit.AuditRecorder(this, commits);
        }

        /// <summary>The watched changes of this write, published after its commit (<see cref="CommitFeed"/>).</summary>
        public CommitBatch? Commits { get; }

        public HashSet<int>? Changed { get; }

        public IDocumentCollection<T> Collection<T>() where T : class
        {
            if (!collections.TryGetValue(typeof(T), out var collection))
            {
                var definition = StoreSchema.Get(typeof(T));
                IDocumentCollection<T> typed = new LiteDocumentCollection<T>(database.GetCollection<T>(definition.Name), definition, audit, this);
                if (Changed is not null) typed = new StampTrackingCollection<T>(typed, definition, Changed);
                collection = typed;
                collections[typeof(T)] = collection;
            }
            return (IDocumentCollection<T>)collection;
        }
    }
}
