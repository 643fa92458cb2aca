using System.Collections.Concurrent;
using System.Linq.Expressions;
using LiteDB;

namespace OpenChami.Core.Storage;

// The read cache's invariants. Whoever changes this file, ChangeStamps or the stores' Read/Write keeps them true;
// tests/OpenChami.Core.Tests/Storage/ReadAfterWriteTests.cs and ReadCacheTests.cs check them.
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
internal sealed class ReadCache(ChangeStamps changeStamps, BsonMapper bsonMapper) : IDisposable
{
    // Swapped whole when the stamps file is replaced (Replace): what was remembered under the old stamps goes with them.
    private volatile Generation generation = new(changeStamps);
    private readonly List<ChangeStamps> retired = [];
    private readonly BsonMapper mapper = bsonMapper;

    /// <summary>Per collection; past it the collection's entries are dropped (hostile lookups of random keys can't grow memory).</summary>
    public const int MaxEntriesPerCollection = 100_000;

    /// <summary>Read-mostly collections up to this size are held whole (about 1 kB of memory per document).</summary>
    public const int MaxSnapshotDocuments = 50_000;

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
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<BsonDocument, object> shared = new();

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

    /// <summary>
    /// <paramref name="compute"/>'s result, remembered under <paramref name="key"/> for as long as every collection
    /// it read (through this store, on this thread) is unchanged. The key must name every input that is not in the
    /// store; the result must not be changed by its users, and <paramref name="compute"/> must not change what it reads
    /// (inside it, documents served from memory are shared objects, which spares a boot storm's first requests the copying).
    /// <paramref name="keep"/> can refuse to remember a result.
    /// </summary>
    public T Remember<T>(string key, Func<T> compute, Func<T, bool>? keep) where T : class
    {
        if (!Enabled) return compute();
        var current = generation;
        var (stamps, memos) = (current.Stamps, current.Memos);
        var outer = recorder.Value;
        if (memos.TryGetValue(key, out var memo) && memo.IsCurrent(stamps))
        {
            outer?.Add(memo.Dependencies);
            return (T)memo.Value;
        }

        var recording = new Recorder();
        recorder.Value = recording;
        T value;
        try
        {
            value = compute();
        }
        finally
        {
            recorder.Value = outer;
        }
        var dependencies = recording.Dependencies();
        if (outer is not null)
        {
            // Nested: what this computation read, the outer one read too.
            outer.Add(dependencies);
            if (!recording.Valid) outer.Valid = false;
        }
        if (recording.Valid && dependencies.All(d => stamps.Read(d.Slot) == d.Stamp) && (keep?.Invoke(value) ?? true))
        {
            if (memos.Count >= MaxEntriesPerCollection) memos.Clear();
            memos[key] = new Memo(value, dependencies);
        }
        return value;
    }

    /// <summary>A write while remembering: what was computed depends on what it wrote; don't remember it.</summary>
    public void NoteWrite()
    {
        if (recorder.Value is { } recording) recording.Valid = false;
    }

    private sealed record Memo(object Value, (int Slot, long Stamp)[] Dependencies)
    {
        public bool IsCurrent(ChangeStamps stamps)
        {
            foreach (var (slot, stamp) in Dependencies)
            {
                if (stamps.Read(slot) != stamp) return false;
            }
            return true;
        }
    }

    /// <summary>The collections (and their stamps) a computation read, across all its units of work.</summary>
    private sealed class Recorder
    {
        private readonly Dictionary<int, long> seen = [];

        public bool Valid { get; set; } = true;

        public void Add(IEnumerable<KeyValuePair<int, long>> observed)
        {
            foreach (var (slot, stamp) in observed) Add(slot, stamp);
        }

        public void Add((int Slot, long Stamp)[] observed)
        {
            foreach (var (slot, stamp) in observed) Add(slot, stamp);
        }

        private void Add(int slot, long stamp)
        {
            if (seen.TryGetValue(slot, out var earlier) && earlier != stamp) Valid = false;
            seen[slot] = stamp;
        }

        public (int Slot, long Stamp)[] Dependencies() => seen.Select(p => (p.Key, p.Value)).ToArray();
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
    private IEnumerable<BsonDocument>? EqualFromSnapshot(Snapshot whole, CollectionCache collection, LambdaExpression predicate)
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

    private T Materialize<T>(BsonDocument document) =>
        recorder.Value is null ? mapper.ToObject<T>(document) : (T)shared.GetValue(document, d => mapper.ToObject<T>(d)!);

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

    /// <summary>A whole read-mostly collection at one stamp: a cold node's first request finds everything here.</summary>
    /// <remarks>
    /// Whole-collection answers (All, Count, queries) need the collection stamp unchanged; one document's answer only
    /// needs that document's stamp and the bulk stamp unchanged since the snapshot (<see cref="Documents"/>, <see cref="Bulk"/>),
    /// so a snapshot keeps answering for every node while other nodes' documents are written.
    /// </remarks>
    private sealed record Snapshot(long Stamp, long Bulk, long[] Documents, Dictionary<string, BsonDocument> ById, BsonDocument[] All)
    {
        private readonly ConcurrentDictionary<string, ILookup<string, BsonDocument>> byField = new(StringComparer.Ordinal);

        /// <summary>
        /// Documents whose <paramref name="field"/> equals <paramref name="value"/>, as LiteDB compares them (strings
        /// ignoring case); null when the value is of a kind this doesn't compare (the caller asks the database).
        /// </summary>
        public IEnumerable<BsonDocument>? Equal(string field, BsonValue value)
        {
            if (EqualityKey(value) is not { } key) return null;
            var index = byField.GetOrAdd(field, f => All.Select(d => (Key: EqualityKey(d[f]), Document: d)).Where(p => p.Key is not null).ToLookup(p => p.Key!, p => p.Document, StringComparer.Ordinal));
            return index[key];
        }

        private static string? EqualityKey(BsonValue value) => value switch
        {
            { IsNull: true } => "null",
            { IsString: true } => "s:" + value.AsString.ToLowerInvariant(),
            { IsNumber: true } => "n:" + value.AsDecimal.ToString(System.Globalization.CultureInfo.InvariantCulture),
            { IsBoolean: true } => value.AsBoolean ? "b:1" : "b:0",
            _ => null,
        };
    }

    private sealed class CollectionCache(CollectionDefinition definition)
    {
        public readonly int Slot = definition.StampSlot;
        public readonly int[] SlotOnly = [definition.StampSlot];
        public readonly string? IdMember = definition.IdMember;
        public readonly CollectionDefinition Definition = definition;

        /// <summary>A document entry is current while its document and the collection's bulk stamp haven't moved.</summary>
        public int[] DocumentSlots(string id) => [Definition.DocumentStampSlot(id), Definition.BulkStampSlot];
        public readonly ConcurrentDictionary<string, Entry> Entries = new(StringComparer.Ordinal);
        public volatile Snapshot? Whole;
        public volatile bool TooLargeForSnapshot;

        private int misses;

        /// <summary>Counts a miss; true once the collection is worth reading whole (again: the cost of a read must be earned by misses).</summary>
        public bool WantsSnapshot()
        {
            if (!Definition.IsReadMostly || TooLargeForSnapshot) return false;
            var threshold = Math.Max(SnapshotAfterMisses, (Whole?.All.Length ?? 0) / 4);
            return Interlocked.Increment(ref misses) >= threshold;
        }

        public void Took(Snapshot snapshot)
        {
            Whole = snapshot;
            Interlocked.Exchange(ref misses, 0);
        }

        public void Put(string key, Entry entry)
        {
            if (Entries.Count >= MaxEntriesPerCollection) Entries.Clear();
            Entries[key] = entry;
        }

        public Snapshot? CurrentSnapshot(long stamp) => Whole is { } whole && whole.Stamp == stamp ? whole : null;

        /// <summary>
        /// The snapshot if it still answers for document <paramref name="id"/>: that document's stamp and the bulk stamp
        /// are where they were when it was taken (see <see cref="Snapshot"/>); with the two stamps it depends on.
        /// </summary>
        public Snapshot? AnswersFor(string id, ChangeStamps stamps, out (int Slot, long Stamp) document, out (int Slot, long Stamp) bulk)
        {
            var documentSlot = Definition.DocumentStampSlot(id);
            document = default;
            bulk = (Definition.BulkStampSlot, 0);
            if (Whole is not { } whole) return null;
            document = (documentSlot, whole.Documents[documentSlot - Definition.DocumentStampRegion]);
            bulk = (Definition.BulkStampSlot, whole.Bulk);
            return ChangeStamps.IsSettled(document.Stamp) && stamps.Read(document.Slot) == document.Stamp && stamps.Read(bulk.Slot) == bulk.Stamp ? whole : null;
        }
    }

    private abstract class Scope(ReadCache owner, Generation generation) : IStoreSession
    {
        protected readonly ReadCache cache = owner;
        protected readonly Generation current = generation;

        public abstract IDocumentCollection<T> Collection<T>() where T : class;

        public T Materialize<T>(BsonDocument document) => cache.Materialize<T>(document);

        public IEnumerable<BsonDocument>? Equal(Snapshot whole, CollectionCache collection, LambdaExpression predicate) =>
            cache.EqualFromSnapshot(whole, collection, predicate);
    }

    /// <summary>Memory only: a miss or a moved stamp ends it (the caller then asks the database).</summary>
    private sealed class MemoryScope(ReadCache owner, Generation generation) : Scope(owner, generation)
    {
        private readonly Dictionary<int, long> seen = [];
        private readonly Dictionary<Type, object> views = [];

        public IReadOnlyDictionary<int, long> Seen => seen;

        public override IDocumentCollection<T> Collection<T>()
        {
            if (!views.TryGetValue(typeof(T), out var view)) views[typeof(T)] = view = new MemoryCollection<T>(this, current.CacheOf<T>());
            return (IDocumentCollection<T>)view;
        }

        public object? Lookup(CollectionCache collection, string? key)
        {
            if (key is null || !collection.Entries.TryGetValue(key, out var entry)) throw new CacheMissException();
            foreach (var (slot, stamp) in entry.Stamps) Observe(slot, stamp);
            return entry.Value;
        }

        /// <summary>
        /// The snapshot, if it still answers for document <paramref name="id"/> (see <see cref="Snapshot"/>). Depends on
        /// that document's stamp, not the collection's: what is remembered from it survives changes of other documents.
        /// </summary>
        public bool TryWholeFor(CollectionCache collection, string id, out Snapshot whole)
        {
            whole = collection.AnswersFor(id, current.Stamps, out var document, out var bulk)!;
            if (whole is null) return false;
            Observe(document.Slot, document.Stamp);
            Observe(bulk.Slot, bulk.Stamp);
            return true;
        }

        public bool TryWhole(CollectionCache collection, out Snapshot whole)
        {
            whole = collection.Whole!;
            if (whole is null || current.Stamps.Read(collection.Slot) != whole.Stamp) return false;
            Observe(collection.Slot, whole.Stamp);
            return true;
        }

        // What was read must be what the store holds now, and the same at every read of this unit of work.
        private void Observe(int slot, long stamp)
        {
            var now = current.Stamps.Read(slot);
            if (stamp != now) throw new CacheMissException();
            if (seen.TryGetValue(slot, out var first) && first != now) throw new CacheMissException();
            seen[slot] = now;
        }

        /// <summary>True when nothing read has changed since: the whole view is one committed state.</summary>
        public bool StillCurrent()
        {
            foreach (var (slot, stamp) in seen)
            {
                if (current.Stamps.Read(slot) != stamp) return false;
            }
            return true;
        }

    }

    /// <summary>The database, with every settled answer remembered.</summary>
    private sealed class FillScope(ReadCache owner, Generation generation, IStoreSession session) : Scope(owner, generation)
    {
        private readonly Dictionary<Type, object> views = [];
        private readonly Dictionary<int, long> seen = [];

        // Each collection's stamp before the database first looked at it in this unit of work (invariant 2).
        private readonly Dictionary<CollectionCache, long> opened = [];

        public bool Poisoned { get; set; }

        /// <summary>Some collection read here had a writer in flight or moved meanwhile: the result can't be remembered.</summary>
        public bool Unsettled { get; private set; }

        public IReadOnlyDictionary<int, long> Seen => seen;

        private void Observe(int slot, long before, long after)
        {
            if (before != after || !ChangeStamps.IsSettled(before) || (seen.TryGetValue(slot, out var first) && first != before)) Unsettled = true;
            seen.TryAdd(slot, before);
        }

        public override IDocumentCollection<T> Collection<T>()
        {
            if (!views.TryGetValue(typeof(T), out var view))
            {
                var collection = current.CacheOf<T>();
                opened[collection] = current.Stamps.Read(collection.Slot);
                views[typeof(T)] = view = new FillCollection<T>(this, session.Collection<T>(), collection);
            }
            return (IDocumentCollection<T>)view;
        }

        /// <summary>
        /// True while nothing was committed to the collection since before this unit of work first read it: what the
        /// database answers (from its snapshot of that moment, kept for the whole unit of work) is what it holds now.
        /// </summary>
        private bool SnapshotCurrent(CollectionCache collection)
        {
            var first = opened[collection];
            if (ChangeStamps.IsSettled(first) && current.Stamps.Read(collection.Slot) == first) return true;
            Unsettled = true;
            return false;
        }

        public TResult Remember<TResult>(CollectionCache collection, int[] slots, string? key, Func<TResult> read, Func<TResult, object?> toEntry)
        {
            var stamps = new (int Slot, long Stamp)[slots.Length];
            for (var i = 0; i < slots.Length; i++) stamps[i] = (slots[i], current.Stamps.Read(slots[i]));
            var result = read();
            var settled = true;
            foreach (var (slot, before) in stamps)
            {
                var after = current.Stamps.Read(slot);
                Observe(slot, before, after);
                settled &= after == before && ChangeStamps.IsSettled(before);
            }
            settled &= SnapshotCurrent(collection);
            if (key is null || Poisoned || !settled) return result;
            collection.Put(key, new Entry(stamps, toEntry(result)));
            return result;
        }

        public BsonDocument? ToDocument<T>(T? document) where T : class =>
            document is null ? null : cache.mapper.ToDocument(document);


        /// <summary>The snapshot if it still answers for document <paramref name="id"/> (never reads the collection).</summary>
        public Snapshot? WholeFor(CollectionCache collection, string id)
        {
            if (Poisoned || collection.AnswersFor(id, current.Stamps, out var document, out var bulk) is not { } whole) return null;
            Observe(document.Slot, document.Stamp, document.Stamp);
            Observe(bulk.Slot, bulk.Stamp, bulk.Stamp);
            return whole;
        }

        /// <summary>The collection's snapshot: the current one, or read whole now (null when it may not or cannot be held).</summary>
        public Snapshot? Whole<T>(CollectionCache collection, IDocumentCollection<T> inner, bool observe = true) where T : class
        {
            var before = current.Stamps.Read(collection.Slot);
            if (collection.CurrentSnapshot(before) is { } held)
            {
                if (observe) Observe(collection.Slot, before, before);
                return held;
            }
            if (Poisoned || !ChangeStamps.IsSettled(before) || before != opened[collection] || !collection.WantsSnapshot()) return null;
            var bulk = current.Stamps.Read(collection.Definition.BulkStampSlot);
            var documentStamps = current.Stamps.ReadRegion(collection.Definition.DocumentStampRegion);
            var documents = inner.All();
            if (documents.Count > MaxSnapshotDocuments)
            {
                collection.TooLargeForSnapshot = true;
                return null;
            }
            if (!SnapshotCurrent(collection)) return null;
            // LiteDB compares ids case-insensitively; so does the snapshot.
            var byId = new Dictionary<string, BsonDocument>(documents.Count, StringComparer.OrdinalIgnoreCase);
            var all = new BsonDocument[documents.Count];
            for (var i = 0; i < all.Length; i++)
            {
                all[i] = cache.mapper.ToDocument(documents[i]);
                byId[collection.Definition.IdOf(documents[i])] = all[i];
            }
            var snapshot = new Snapshot(before, bulk, documentStamps, byId, all);
            collection.Took(snapshot);
            if (observe) Observe(collection.Slot, before, before);
            return snapshot;
        }
    }

    // Keys: "g" id (Get/Exists), "a" (All), "c" (Count), "f"/"o" predicate (Find/FindOne).
    private static string GetKey(string id) => "g" + id;

    private static string? PredicateKey(char kind, Expression predicate) =>
        ExpressionKey.Of(predicate) is { } key ? kind + key : null;

    private sealed class MemoryCollection<T>(MemoryScope scope, CollectionCache cache) : IDocumentCollection<T>, IVerbatimCollection where T : class
    {
        // A whole-store copy (StoreCopier) reads the database itself.
        IReadOnlyList<object> IVerbatimCollection.AllDocuments() => throw new CacheMissException();

        void IVerbatimCollection.InsertVerbatim(IReadOnlyList<object> documents) => throw new CacheMissException();

        int IVerbatimCollection.DeleteAllVerbatim() => throw new CacheMissException();

        private T? One(object? value) => value is BsonDocument document ? scope.Materialize<T>(document) : null;

        private IReadOnlyList<T> Many(object? value) => ((BsonDocument[])value!).Select(scope.Materialize<T>).ToList();

        public T? Get(string id) => One(Document(id));

        public bool Exists(string id) => Document(id) is not null;

        private object? Document(string id) =>
            scope.TryWholeFor(cache, id, out var whole) ? whole.ById.GetValueOrDefault(id) : scope.Lookup(cache, GetKey(id));

        public IReadOnlyList<T> All() => scope.TryWhole(cache, out var whole) ? Many(whole.All) : Many(scope.Lookup(cache, "a"));

        public IReadOnlyList<T> Find(Expression<Func<T, bool>> predicate) =>
            scope.TryWhole(cache, out var whole) && scope.Equal(whole, cache, predicate) is { } found
                ? found.Select(scope.Materialize<T>).ToList()
                : Many(scope.Lookup(cache, PredicateKey('f', predicate)));

        public T? FindOne(Expression<Func<T, bool>> predicate) =>
            scope.TryWhole(cache, out var whole) && scope.Equal(whole, cache, predicate) is { } found
                ? One(found.FirstOrDefault())
                : One(scope.Lookup(cache, PredicateKey('o', predicate)));

        public int Count() => scope.TryWhole(cache, out var whole) ? whole.All.Length : (int)scope.Lookup(cache, "c")!;

        // A read unit of work never writes; if one does, let the database handle it.
        public void Insert(T document) => throw new CacheMissException();

        public void InsertMany(IEnumerable<T> documents) => throw new CacheMissException();

        public bool Upsert(T document) => throw new CacheMissException();

        public bool Update(T document) => throw new CacheMissException();

        public bool Delete(string id) => throw new CacheMissException();

        public int DeleteMany(Expression<Func<T, bool>> predicate) => throw new CacheMissException();

        public int DeleteAll() => throw new CacheMissException();
    }

    private sealed class FillCollection<T>(FillScope scope, IDocumentCollection<T> inner, CollectionCache cache) : IDocumentCollection<T>, IVerbatimCollection where T : class
    {
        IReadOnlyList<object> IVerbatimCollection.AllDocuments() => ((IVerbatimCollection)inner).AllDocuments();

        void IVerbatimCollection.InsertVerbatim(IReadOnlyList<object> documents) => Mutate(() => { ((IVerbatimCollection)inner).InsertVerbatim(documents); return true; });

        int IVerbatimCollection.DeleteAllVerbatim() => Mutate(((IVerbatimCollection)inner).DeleteAllVerbatim);

        private object? Many(IReadOnlyList<T> documents) => documents.Select(d => scope.ToDocument(d)!).ToArray();

        public T? Get(string id) =>
            (scope.WholeFor(cache, id) ?? (scope.Whole(cache, inner, observe: false) is null ? null : scope.WholeFor(cache, id))) is { } whole
                ? whole.ById.TryGetValue(id, out var document) ? scope.Materialize<T>(document) : null
                : scope.Remember(cache, cache.DocumentSlots(id), GetKey(id), () => inner.Get(id), d => scope.ToDocument(d));

        public bool Exists(string id) => Get(id) is not null;

        public IReadOnlyList<T> All() =>
            scope.Whole(cache, inner) is { } whole
                ? whole.All.Select(scope.Materialize<T>).ToList()
                : scope.Remember(cache, cache.SlotOnly, "a", inner.All, Many);

        // A miss like any other: enough of them and the collection is read whole (the NICs of each booting node).
        public IReadOnlyList<T> Find(Expression<Func<T, bool>> predicate) =>
            scope.Whole(cache, inner) is { } whole && scope.Equal(whole, cache, predicate) is { } found
                ? found.Select(scope.Materialize<T>).ToList()
                : scope.Remember(cache, cache.SlotOnly, PredicateKey('f', predicate), () => inner.Find(predicate), Many);

        public T? FindOne(Expression<Func<T, bool>> predicate) =>
            scope.Whole(cache, inner) is { } whole && scope.Equal(whole, cache, predicate) is { } found
                ? found.FirstOrDefault() is { } first ? scope.Materialize<T>(first) : null
                : scope.Remember(cache, cache.SlotOnly, PredicateKey('o', predicate), () => inner.FindOne(predicate), d => scope.ToDocument(d));

        public int Count() => scope.Remember(cache, cache.SlotOnly, "c", inner.Count, n => n);

        private TResult Mutate<TResult>(Func<TResult> change)
        {
            scope.Poisoned = true;
            return change();
        }

        public void Insert(T document) => Mutate(() => { inner.Insert(document); return true; });

        public void InsertMany(IEnumerable<T> documents) => Mutate(() => { inner.InsertMany(documents); return true; });

        public bool Upsert(T document) => Mutate(() => inner.Upsert(document));

        public bool Update(T document) => Mutate(() => inner.Update(document));

        public bool Delete(string id) => Mutate(() => inner.Delete(id));

        public int DeleteMany(Expression<Func<T, bool>> predicate) => Mutate(() => inner.DeleteMany(predicate));

        public int DeleteAll() => Mutate(() => inner.DeleteAll());
    }
}

/// <summary>Records which stamps a write unit of work moves: its collections', and each changed document's.</summary>
internal sealed class TrackingCollection<T>(IDocumentCollection<T> inner, CollectionDefinition definition, ISet<int> changed) : IDocumentCollection<T>, IVerbatimCollection where T : class
{
    IReadOnlyList<object> IVerbatimCollection.AllDocuments() => ((IVerbatimCollection)inner).AllDocuments();

    void IVerbatimCollection.InsertVerbatim(IReadOnlyList<object> documents)
    {
        ChangingUnknown();
        ((IVerbatimCollection)inner).InsertVerbatim(documents);
    }

    int IVerbatimCollection.DeleteAllVerbatim()
    {
        ChangingUnknown();
        return ((IVerbatimCollection)inner).DeleteAllVerbatim();
    }

    public T? Get(string id) => inner.Get(id);

    public bool Exists(string id) => inner.Exists(id);

    public IReadOnlyList<T> All() => inner.All();

    public IReadOnlyList<T> Find(Expression<Func<T, bool>> predicate) => inner.Find(predicate);

    public T? FindOne(Expression<Func<T, bool>> predicate) => inner.FindOne(predicate);

    public int Count() => inner.Count();

    // Marked before the change: a change that throws half-way still moves the stamps (harmless), never the reverse.
    private void Changing(string id)
    {
        changed.Add(definition.StampSlot);
        changed.Add(definition.DocumentStampSlot(id));
    }

    private void ChangingUnknown()
    {
        changed.Add(definition.StampSlot);
        changed.Add(definition.BulkStampSlot);
    }

    public void Insert(T document)
    {
        Changing(definition.IdOf(document));
        inner.Insert(document);
    }

    public void InsertMany(IEnumerable<T> documents)
    {
        var list = documents.ToList();
        foreach (var document in list) Changing(definition.IdOf(document));
        inner.InsertMany(list);
    }

    public bool Upsert(T document)
    {
        Changing(definition.IdOf(document));
        return inner.Upsert(document);
    }

    public bool Update(T document)
    {
        Changing(definition.IdOf(document));
        return inner.Update(document);
    }

    public bool Delete(string id)
    {
        Changing(id);
        return inner.Delete(id);
    }

    public int DeleteMany(Expression<Func<T, bool>> predicate)
    {
        ChangingUnknown();
        return inner.DeleteMany(predicate);
    }

    public int DeleteAll()
    {
        ChangingUnknown();
        return inner.DeleteAll();
    }
}
