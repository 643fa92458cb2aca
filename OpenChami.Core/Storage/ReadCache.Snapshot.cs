using System.Collections.Concurrent;
using LiteDB;

namespace OpenChami.Core.Storage;

// A read-mostly collection held whole.
internal sealed partial class ReadCache
{
    /// <summary>A whole read-mostly collection at one stamp: a cold node's first request finds everything here.</summary>
    /// <remarks>
    /// Whole-collection answers (All, Count, queries) need the collection stamp unchanged; one document's answer only
    /// needs that document's stamp and the bulk stamp unchanged since the snapshot (<see cref="Documents"/>, <see cref="Bulk"/>),
    /// so a snapshot keeps answering for every node while other nodes' documents are written.
    /// Documents are held as their BSON bytes (about a fifth of the memory of a <see cref="BsonDocument"/>, which a
    /// 100,000-node cluster's components and NICs would otherwise cost in hundreds of MB) and decoded when read:
    /// a few microseconds per document, against milliseconds for the file.
    /// </remarks>
    private sealed class Snapshot(long stamp, long bulk, long[] documents, Dictionary<string, int> byId, byte[][] items)
    {
        private readonly ConcurrentDictionary<string, Dictionary<string, int[]>> byField = new(StringComparer.Ordinal);

        /// <summary>The collection stamp it was taken at.</summary>
        public long Stamp { get; } = stamp;

        /// <summary>The bulk stamp it was taken at.</summary>
        public long Bulk { get; } = bulk;

        /// <summary>The collection's document stamps (its region) when it was taken.</summary>
        public long[] Documents { get; } = documents;

        /// <summary>Every document's BSON bytes.</summary>
        public IReadOnlyList<byte[]> All => items;

        public int Count => items.Length;

        /// <summary>The document with key <paramref name="id"/> (compared ignoring case, as LiteDB does), or null.</summary>
        public byte[]? Find(string id) => byId.TryGetValue(id, out var at) ? items[at] : null;

        /// <summary>
        /// Documents whose top-level <paramref name="field"/> equals <paramref name="value"/>, as LiteDB compares them
        /// (strings ignoring case); null when the value is of a kind this doesn't compare (the caller asks the database).
        /// Each field's index is built on its first use, decoding only that field of each document.
        /// </summary>
        public IEnumerable<byte[]>? Equal(string field, BsonValue value)
        {
            if (EqualityKey(value) is not { } key) return null;
            var index = byField.GetOrAdd(field, IndexOf);
            return index.TryGetValue(key, out var positions) ? positions.Select(p => items[p]) : [];
        }

        private Dictionary<string, int[]> IndexOf(string field)
        {
            var only = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { field };
            var positions = new Dictionary<string, List<int>>(StringComparer.Ordinal);
            for (var i = 0; i < items.Length; i++)
            {
                if (EqualityKey(Decode(items[i], only)[field]) is not { } key) continue;
                if (!positions.TryGetValue(key, out var list)) positions[key] = list = [];
                list.Add(i);
            }
            return positions.ToDictionary(p => p.Key, p => p.Value.ToArray(), StringComparer.Ordinal);
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

    /// <summary>BSON bytes of a snapshot back to a document; dates as the database gives them (UTC, see LiteDbStore).</summary>
    private static BsonDocument Decode(byte[] bytes, HashSet<string>? fields = null) => BsonSerializer.Deserialize(bytes, utcDate: true, fields);
}
