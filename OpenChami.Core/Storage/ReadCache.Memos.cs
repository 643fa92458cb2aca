namespace OpenChami.Core.Storage;

// Remember: results computed from several reads, kept while every collection they read is unchanged.
internal sealed partial class ReadCache
{
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
}
