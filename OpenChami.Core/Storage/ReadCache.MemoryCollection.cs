using System.Linq.Expressions;
using LiteDB;

namespace OpenChami.Core.Storage;

// A collection as a MemoryScope sees it: every answer from memory, or a miss.
internal sealed partial class ReadCache
{
    private sealed class MemoryCollection<T>(MemoryScope scope, CollectionCache cache) : IDocumentCollection<T>, IVerbatimCollection where T : class
    {
        // A whole-store copy (StoreCopier) reads the database itself.
        IReadOnlyList<object> IVerbatimCollection.AllDocuments() => throw new CacheMissException();

        void IVerbatimCollection.InsertVerbatim(IReadOnlyList<object> documents) => throw new CacheMissException();

        int IVerbatimCollection.DeleteAllVerbatim() => throw new CacheMissException();

        // Entries hold BsonDocuments, snapshots BSON bytes: Materialize takes either.
        private T? One(object? value) => value is BsonDocument or byte[] ? scope.Materialize<T>(value) : null;

        private IReadOnlyList<T> Many(object? value) => ((IEnumerable<object>)value!).Select(scope.Materialize<T>).ToList();

        public T? Get(string id) => One(Document(id));

        public bool Exists(string id) => Document(id) is not null;

        private object? Document(string id) =>
            scope.TryWholeFor(cache, id, out var whole) ? whole.Find(id) : scope.Lookup(cache, GetKey(id));

        public IReadOnlyList<T> All() => scope.TryWhole(cache, out var whole) ? Many(whole.All) : Many(scope.Lookup(cache, "a"));

        public IReadOnlyList<T> Find(Expression<Func<T, bool>> predicate) =>
            scope.TryWhole(cache, out var whole) && scope.Equal(whole, cache, predicate) is { } found
                ? found.Select(scope.Materialize<T>).ToList()
                : Many(scope.Lookup(cache, PredicateKey('f', predicate)));

        public T? FindOne(Expression<Func<T, bool>> predicate) =>
            scope.TryWhole(cache, out var whole) && scope.Equal(whole, cache, predicate) is { } found
                ? One(found.FirstOrDefault())
                : One(scope.Lookup(cache, PredicateKey('o', predicate)));

        public int Count() => scope.TryWhole(cache, out var whole) ? whole.Count : (int)scope.Lookup(cache, "c")!;

        // A read unit of work never writes; if one does, let the database handle it.
        public void Insert(T document) => throw new CacheMissException();

        public void InsertMany(IEnumerable<T> documents) => throw new CacheMissException();

        public bool Upsert(T document) => throw new CacheMissException();

        public bool Update(T document) => throw new CacheMissException();

        public bool Delete(string id) => throw new CacheMissException();

        public int DeleteMany(Expression<Func<T, bool>> predicate) => throw new CacheMissException();

        public int DeleteAll() => throw new CacheMissException();
    }
}
