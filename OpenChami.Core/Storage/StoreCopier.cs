using OpenChami.Core.Errors;

namespace OpenChami.Core.Storage;

/// <summary>Documents copied per collection by <see cref="StoreCopier.Copy"/>.</summary>
public sealed class StoreCopyResult
{
    public required string Source { get; init; }

    public required string Target { get; init; }

    /// <summary>Collection name → documents copied, in <see cref="StoreSchema"/> order.</summary>
    public required IReadOnlyDictionary<string, int> Collections { get; init; }

    public int Total => Collections.Values.Sum();

    public override string ToString() => $"{Total} documents from {Source} to {Target}";
}

/// <summary>
/// Moves a whole site between stores (LiteDB → PostgreSQL and back): every collection of
/// <see cref="StoreSchema"/>, the audit journal, derived collections, power transitions and cloud-init
/// keys included, document for document. One write transaction on the target, no new journal entries
/// (the copied journal is the history). Key rings are not copied: they live beside the store, not in it.
/// </summary>
public static class StoreCopier
{
    public static StoreCopyResult Copy(IChamiStore source, IChamiStore target, bool replace = false)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        if (ReferenceEquals(source, target) || source.BackendName == target.BackendName && source.Location == target.Location && !source.IsInMemory)
        {
            throw ChamiException.Invalid("SameDatabase", $"Source and target are the same database '{source.Location}'.", target.Location);
        }
        if (source.SchemaVersion != target.SchemaVersion)
        {
            throw ChamiException.Conflict("SchemaVersionMismatch",
                $"Source '{source.Location}' has schema version {source.SchemaVersion} and target '{target.Location}' {target.SchemaVersion}; open both with this OpenChami first so they migrate to the same version.",
                target.Location);
        }
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        // Read everything in one snapshot of the source, then write it in one transaction on the target.
        var documents = source.Read(s => StoreSchema.Collections.Select(d => (Definition: d, Documents: ReadAll(s, d))).ToList());
        target.Write(t =>
        {
            foreach (var definition in StoreSchema.Collections)
            {
                if (Collection(t, definition).Count() == 0) continue;
                if (!replace)
                {
                    throw ChamiException.Conflict("TargetNotEmpty",
                        $"Target '{target.Location}' already holds data ({definition.Name}); use -Replace to overwrite it.", target.Location);
                }
            }
            foreach (var (definition, list) in documents)
            {
                var collection = Collection(t, definition);
                if (replace) collection.DeleteAllVerbatim();
                collection.InsertVerbatim(list);
                counts[definition.Name] = list.Count;
            }
        });
        return new StoreCopyResult { Source = source.Location, Target = target.Location, Collections = counts };
    }

    private static IReadOnlyList<object> ReadAll(IStoreSession session, CollectionDefinition definition) => Collection(session, definition).AllDocuments();

    private static IVerbatimCollection Collection(IStoreSession session, CollectionDefinition definition) =>
        (IVerbatimCollection)typeof(IStoreSession).GetMethod(nameof(IStoreSession.Collection))!
            .MakeGenericMethod(definition.DocumentType).Invoke(session, null)!;
}

/// <summary>The untyped, unjournaled view of a collection <see cref="StoreCopier"/> needs.</summary>
internal interface IVerbatimCollection
{
    int Count();

    IReadOnlyList<object> AllDocuments();

    void InsertVerbatim(IReadOnlyList<object> documents);

    int DeleteAllVerbatim();
}
