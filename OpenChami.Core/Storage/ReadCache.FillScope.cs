using LiteDB;

namespace OpenChami.Core.Storage;

// The second try of a read unit of work: the database, remembering what is settled (invariant 2).
internal sealed partial class ReadCache
{
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
            if (documents.Count > cache.SnapshotDocumentLimit)
            {
                collection.TooLargeForSnapshot = true;
                return null;
            }
            if (!SnapshotCurrent(collection)) return null;
            // LiteDB compares ids case-insensitively; so does the snapshot.
            var byId = new Dictionary<string, int>(documents.Count, StringComparer.OrdinalIgnoreCase);
            var all = new byte[documents.Count][];
            long bytes = 0;
            for (var i = 0; i < all.Length; i++)
            {
                all[i] = BsonSerializer.Serialize(cache.mapper.ToDocument(documents[i]));
                if ((bytes += all[i].Length) > cache.SnapshotByteLimit)
                {
                    collection.TooLargeForSnapshot = true;
                    return null;
                }
                byId[collection.Definition.IdOf(documents[i])] = i;
            }
            var snapshot = new Snapshot(before, bulk, documentStamps, byId, all);
            collection.Took(snapshot);
            if (observe) Observe(collection.Slot, before, before);
            return snapshot;
        }
    }
}
