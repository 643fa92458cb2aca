namespace OpenChami.Core.Storage;

// The first try of a read unit of work: memory only (invariant 3).
internal sealed partial class ReadCache
{
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
}
