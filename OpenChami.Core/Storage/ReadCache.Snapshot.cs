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
}
