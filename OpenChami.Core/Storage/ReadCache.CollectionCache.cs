using System.Collections.Concurrent;

namespace OpenChami.Core.Storage;

// What is remembered of one collection: its entries, its snapshot, its miss count.
internal sealed partial class ReadCache
{
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
            var threshold = Math.Max(SnapshotAfterMisses, (Whole?.Count ?? 0) / 4);
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
}
