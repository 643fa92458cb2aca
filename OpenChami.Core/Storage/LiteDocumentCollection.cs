using System.Linq.Expressions;
using LiteDB;
using OpenChami.Core.Audit;
using OpenChami.Core.Errors;

namespace OpenChami.Core.Storage;

/// <summary>A LiteDB collection seen through <see cref="IDocumentCollection{T}"/>; every change is also journaled (see <see cref="AuditRecorder"/>).</summary>
internal sealed class LiteDocumentCollection<T>(ILiteCollection<T> collection, CollectionDefinition definition, AuditRecorder audit, IStoreSession session) : IDocumentCollection<T>
    where T : class
{
    public T? Get(string id) => collection.FindById(new BsonValue(id));

    // A primary-key lookup, not Query.EQ: LiteDB parses and compiles a new expression per distinct value,
    // which made every insert (Insert checks Exists) cost milliseconds.
    public bool Exists(string id) => collection.FindById(new BsonValue(id)) is not null;

    // Materialized: results must not outlive the unit of work that read them.
    public IReadOnlyList<T> All() => collection.FindAll().ToList();

    public IReadOnlyList<T> Find(Expression<Func<T, bool>> predicate) => collection.Find(predicate).ToList();

    public T? FindOne(Expression<Func<T, bool>> predicate) => collection.FindOne(predicate);

    public int Count() => collection.Count();

    public void Insert(T document)
    {
        var id = definition.IdOf(document);
        if (Exists(id)) throw ChamiException.Conflict("ResourceExists", $"{typeof(T).Name} '{id}' already exists", id);
        collection.Insert(document);
        Changed(id, AuditOperation.Insert, null, document);
    }

    // The journal entry and any derived collection, in the same transaction as the change itself.
    private void Changed(string id, AuditOperation operation, T? before, T? after)
    {
        audit.Record(definition, id, operation, before, after);
        definition.Derived?.Invoke(session, before, after);
    }

    public void InsertMany(IEnumerable<T> documents)
    {
        var list = documents.ToList();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var document in list)
        {
            var id = definition.IdOf(document);
            if (!ids.Add(id) || Exists(id)) throw ChamiException.Conflict("ResourceExists", $"{typeof(T).Name} '{id}' already exists", id);
        }
        // One bulk call: LiteDB inserts a batch far faster than the same documents one call at a time.
        if (list.Count > 0) collection.Insert(list);
        foreach (var document in list) Changed(definition.IdOf(document), AuditOperation.Insert, null, document);
    }

    public bool Upsert(T document)
    {
        var id = definition.IdOf(document);
        var before = definition.NeedsBefore ? Get(id) : null;
        var inserted = collection.Upsert(document);
        Changed(id, inserted ? AuditOperation.Insert : AuditOperation.Update, before, document);
        return inserted;
    }

    public bool Update(T document)
    {
        var id = definition.IdOf(document);
        var before = definition.NeedsBefore ? Get(id) : null;
        if (!collection.Update(document)) return false;
        Changed(id, AuditOperation.Update, before, document);
        return true;
    }

    public bool Delete(string id)
    {
        var before = definition.NeedsBefore ? Get(id) : null;
        if (!collection.Delete(new BsonValue(id))) return false;
        Changed(id, AuditOperation.Delete, before, null);
        return true;
    }

    public int DeleteMany(Expression<Func<T, bool>> predicate)
    {
        if (!definition.NeedsBefore) return collection.DeleteMany(predicate);
        var doomed = collection.Find(predicate).ToList();
        foreach (var document in doomed) Delete(definition.IdOf(document));
        return doomed.Count;
    }

    public int DeleteAll()
    {
        if (!definition.NeedsBefore) return collection.DeleteAll();
        var doomed = collection.FindAll().ToList();
        foreach (var document in doomed) Delete(definition.IdOf(document));
        return doomed.Count;
    }
}
