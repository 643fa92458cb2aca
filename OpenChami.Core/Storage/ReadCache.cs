using System.Collections.Concurrent;
using System.Linq.Expressions;
using LiteDB;

namespace OpenChami.Core.Storage;

// The read cache's invariants. Whoever changes the ReadCache*.cs files, ChangeStamps, StampTrackingCollection or the
// stores' Read/Write keeps them true; tests/OpenChami.Core.Tests/Storage/ReadAfterWriteTests.cs and ReadCacheTests.cs
// check them.
//
// 1. Writers: every write unit of work moves the stamps of what it changes (the collection's, and each document's or
//    the bulk stamp) with Begin BEFORE its commit and End AFTER it, and End runs before the write is acknowledged.
//    A stamp with a writer count is unsettled: nothing read under it is kept or trusted.
// 2. Fills: an entry, snapshot or memo is stored only with stamps read BEFORE the database snapshot its data came
//    from, and only if no stamp it records moved until after the data was read. LiteDB takes a collection's
//    snapshot at the unit of work's first look at that collection and keeps it to the end (in memory the direct
//    engine lets a writer commit meanwhile), so a fill also checks that the collection's stamp is still the one
//    it read before that first look (FillScope.opened); otherwise it neither stores nor remembers anything.
// 3. Memory reads: an answer from memory is served only if every stamp it depends on equals the stamp now, and is
//    the same for every read of the unit of work (one committed state); any doubt goes to the database.
// 4. Stamps are never reused: change counts only grow while any process has the stamps mapped, so an entry tagged
//    with an old value can never match again. Replacing the stamps file or the database under a running process
//    breaks that: every process checks the identity of both (ChangeStamps generation, see LiteDbStore) and drops
//    its memory when either is no longer the one it mapped.
// 5. Entries hold BSON copies or values their users never change: no caller can alter what another caller gets.

/// <summary>
/// Serves repeated reads from memory without ever serving a stale one: every entry is tagged with its
/// collection's <see cref="ChangeStamps">change stamp</see>, which every writer in every process bumps in the
/// same breath as its commit. A read unit of work runs first against memory alone; if anything it needs is
/// missing or out of date, or a stamp moved while it ran, it runs again against the database, filling memory
/// on the way. So a change is visible to the next request, in this process or any other, and a boot storm
/// that asks the same few thousand documents again and again stops paying for the file each time.
/// Read delegates may therefore run twice: they must not have side effects (none in this code base do).
/// Entries hold BSON copies, so no caller can alter what another caller gets.
/// </summary>
internal sealed partial class ReadCache(ChangeStamps changeStamps, BsonMapper bsonMapper) : IDisposable
{
    // Swapped whole when the stamps file is replaced (Replace): what was remembered under the old stamps goes with them.
    private volatile Generation generation = new(changeStamps);
    private readonly List<ChangeStamps> retired = [];
    private readonly BsonMapper mapper = bsonMapper;

    /// <summary>Per collection; past it the collection's entries are dropped (hostile lookups of random keys can't grow memory).</summary>
    public const int MaxEntriesPerCollection = 100_000;

    /// <summary>
    /// Read-mostly collections up to this many documents, and <see cref="MaxSnapshotBytes"/>, are held whole (as BSON
    /// bytes: a few hundred bytes per component or NIC). A 100,000-node cluster's NICs (200,000 at two per node) fit:
    /// above the limit every cold read goes to the file, whose shared-mode open costs milliseconds.
    /// </summary>
    public const int MaxSnapshotDocuments = 1_000_000;

    /// <summary>The most BSON bytes one collection's snapshot may hold (past it, as past <see cref="MaxSnapshotDocuments"/>, the collection is not held whole).</summary>
    public const long MaxSnapshotBytes = 256L << 20;

    /// <summary>This cache's snapshot limits: <see cref="MaxSnapshotDocuments"/> and <see cref="MaxSnapshotBytes"/> (tests lower them).</summary>
    public int SnapshotDocumentLimit { get; set; } = MaxSnapshotDocuments;

    public long SnapshotByteLimit { get; set; } = MaxSnapshotBytes;

    /// <summary>Whether collection <typeparamref name="T"/> is held whole now (for tests and benchmarks).</summary>
    public bool HoldsWhole<T>() => generation.CacheOf<T>().Whole is not null;

    /// <summary>
    /// Misses at one stamp before a collection is read whole: a boot storm gets there in a moment, while a script
    /// that alternates writes and reads (New-ChamiNode in a loop) never pays for reading everything after each write.
    /// </summary>
    public const int SnapshotAfterMisses = 32;

    /// <summary>The stamps and everything remembered under them.</summary>
    private sealed class Generation(ChangeStamps stamps)
    {
        public readonly ChangeStamps Stamps = stamps;
        public readonly ConcurrentDictionary<Type, CollectionCache> Collections = new();
        public readonly ConcurrentDictionary<string, Memo> Memos = new(StringComparer.Ordinal);

        public CollectionCache CacheOf<T>() => Collections.GetOrAdd(typeof(T), t => new CollectionCache(StoreSchema.Get(t)));
    }

    /// <summary>The stamps in use (writers move these).</summary>
    public ChangeStamps Stamps => generation.Stamps;

    /// <summary>
    /// Another stamps file from now on (the one this process mapped was deleted or replaced): forgets everything
    /// remembered under the old one, whose values mean nothing in the new one. The old mapping stays open until
    /// Dispose, as units of work that began before still read it.
    /// </summary>
    public void Replace(ChangeStamps fresh)
    {
        lock (retired)
        {
            retired.Add(generation.Stamps);
            generation = new Generation(fresh);
        }
    }

    private readonly ThreadLocal<Scope?> scope = new();
    private readonly ThreadLocal<Recorder?> recorder = new();

    // Objects shared by Remember computations, one per cached document (those computations only read what they read).
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<object, object> shared = new();

    /// <summary>Off: every read goes to the database (stamps are still kept, for the other processes' caches).</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>Whether this thread is inside a cached read unit of work.</summary>
    public bool InScope => scope.Value is not null;

    public T Read<T>(Func<IStoreSession, T> read, Func<Func<IStoreSession, T>, T> readFromStore)
    {
        if (scope.Value is { } active) return read(active);

        var current = generation;
        var memory = new MemoryScope(this, current);
        scope.Value = memory;
        try
        {
            var result = read(memory);
            if (memory.StillCurrent())
            {
                recorder.Value?.Add(memory.Seen);
                return result;
            }
        }
        catch (CacheMissException)
        {
        }
        catch (Exception) when (memory.StillCurrent())
        {
            throw; // the answer of a current view, e.g. NotFound
        }
        catch (Exception)
        {
            // The view changed under the delegate: its exception may be an artefact; ask the database.
        }
        finally
        {
            scope.Value = null;
        }

        FillScope? filled = null;
        var fromStore = readFromStore(session =>
        {
            var fill = filled = new FillScope(this, current, session);
            scope.Value = fill;
            try
            {
                return read(fill);
            }
            finally
            {
                scope.Value = null;
            }
        });
        if (recorder.Value is { } recording)
        {
            if (filled is { Poisoned: false, Unsettled: false }) recording.Add(filled.Seen);
            else recording.Valid = false;
        }
        return fromStore;
    }

    /// <summary>A write nested in a read on this thread: what the read sees next is uncommitted, so stop filling.</summary>
    public void NestedWrite()
    {
        if (scope.Value is FillScope fill) fill.Poisoned = true;
        if (scope.Value is MemoryScope) throw new CacheMissException();
    }

    /// <summary>Before a commit; returns the stamps to pass to <see cref="End"/> (the same ones, even if replaced meanwhile).</summary>
    public ChangeStamps Begin(IEnumerable<int> slots)
    {
        var stamps = generation.Stamps;
        foreach (var slot in slots) stamps.Begin(slot);
        return stamps;
    }

    public static void End(ChangeStamps stamps, IEnumerable<int> slots)
    {
        foreach (var slot in slots) stamps.End(slot);
    }

    /// <summary>A simple equality predicate answered from a snapshot, or null (see <see cref="ExpressionKey.TryEquality"/>).</summary>
    private IEnumerable<byte[]>? EqualFromSnapshot(Snapshot whole, CollectionCache collection, LambdaExpression predicate)
    {
        if (!ExpressionKey.TryEquality(predicate, out var member, out var value)) return null;
        var field = member == collection.IdMember ? "_id" : member;
        BsonValue bson;
        try
        {
            bson = value is null ? BsonValue.Null : mapper.Serialize(value.GetType(), value);
        }
        catch (Exception ex) when (ex is LiteException or NotSupportedException or InvalidCastException)
        {
            return null;
        }
        return whole.Equal(field, bson);
    }

    /// <summary>An object from a cached document: a BsonDocument (entries) or BSON bytes (snapshots).</summary>
    private T Materialize<T>(object stored) =>
        recorder.Value is null ? ToObject<T>(stored) : (T)shared.GetValue(stored, d => ToObject<T>(d)!);

    private T ToObject<T>(object stored) => mapper.ToObject<T>(stored as BsonDocument ?? Decode((byte[])stored));

    public void Dispose()
    {
        scope.Dispose();
        lock (retired)
        {
            generation.Stamps.Dispose();
            foreach (var old in retired) old.Dispose();
        }
    }

    private sealed class CacheMissException : Exception;

    private sealed record Entry((int Slot, long Stamp)[] Stamps, object? Value);

    private abstract class Scope(ReadCache owner, Generation generation) : IStoreSession
    {
        protected readonly ReadCache cache = owner;
        protected readonly Generation current = generation;

        public abstract IDocumentCollection<T> Collection<T>() where T : class;

        public T Materialize<T>(object stored) => cache.Materialize<T>(stored);

        public IEnumerable<byte[]>? Equal(Snapshot whole, CollectionCache collection, LambdaExpression predicate) =>
            cache.EqualFromSnapshot(whole, collection, predicate);
    }

    // Keys: "g" id (Get/Exists), "a" (All), "c" (Count), "f"/"o" predicate (Find/FindOne).
    private static string GetKey(string id) => "g" + id;

    private static string? PredicateKey(char kind, Expression predicate) =>
        ExpressionKey.Of(predicate) is { } key ? kind + key : null;
}
