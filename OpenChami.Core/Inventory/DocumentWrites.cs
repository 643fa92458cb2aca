using OpenChami.Core.Serialization;
using OpenChami.Core.Storage;

namespace OpenChami.Core.Inventory;

/// <summary>Writes that say what they did, for the per-object reports of ingestion and import.</summary>
internal static class DocumentWrites
{
    /// <summary>Writes <paramref name="wanted"/> unless it equals what is stored; returns what happened.</summary>
    internal static ChangeAction WriteIfChanged<T>(this IDocumentCollection<T> collection, T? existing, T wanted, Func<T, T>? comparable = null) where T : class
    {
        if (existing is null)
        {
            collection.Insert(wanted);
            return ChangeAction.Added;
        }
        comparable ??= x => x;
        if (ChamiJson.Serialize(comparable(existing)) == ChamiJson.Serialize(comparable(wanted))) return ChangeAction.Unchanged;
        collection.Update(wanted);
        return ChangeAction.Updated;
    }
}
