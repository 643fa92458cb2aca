using System.Linq.Expressions;

namespace OpenChami.Core.Storage;

/// <summary>
/// A typed collection of documents keyed by a string ID. Filters are typed expressions,
/// never query strings, so user input can't change a query's shape.
/// </summary>
public interface IDocumentCollection<T> where T : class
{
    T? Get(string id);

    bool Exists(string id);

    IReadOnlyList<T> All();

    IReadOnlyList<T> Find(Expression<Func<T, bool>> predicate);

    T? FindOne(Expression<Func<T, bool>> predicate);

    int Count();

    /// <summary>Inserts a new document; throws <c>ResourceExists</c> (Conflict) if the ID is taken.</summary>
    void Insert(T document);

    void InsertMany(IEnumerable<T> documents);

    /// <summary>Inserts or replaces; true when inserted.</summary>
    bool Upsert(T document);

    /// <summary>Replaces an existing document; false when it doesn't exist.</summary>
    bool Update(T document);

    bool Delete(string id);

    int DeleteMany(Expression<Func<T, bool>> predicate);

    int DeleteAll();
}
