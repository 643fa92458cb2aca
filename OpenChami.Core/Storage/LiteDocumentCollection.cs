using System.Linq.Expressions;
using LiteDB;
using OpenChami.Core.Errors;

namespace OpenChami.Core.Storage;

internal sealed class LiteDocumentCollection<T>(ILiteCollection<T> collection, CollectionDefinition definition) : IDocumentCollection<T>
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
    }

    public bool Upsert(T document) => collection.Upsert(document);

    public bool Update(T document) => collection.Update(document);

    public bool Delete(string id) => collection.Delete(new BsonValue(id));

    public int DeleteMany(Expression<Func<T, bool>> predicate) => collection.DeleteMany(predicate);

    public int DeleteAll() => collection.DeleteAll();
}
