using System.Linq.Expressions;

namespace OpenChami.Core.Storage;

// A collection as a FillScope sees it: the database's answers, remembered on the way.
internal sealed partial class ReadCache
{
    private sealed class FillCollection<T>(FillScope scope, IDocumentCollection<T> inner, CollectionCache cache) : IDocumentCollection<T>, IVerbatimCollection where T : class
    {
        IReadOnlyList<object> IVerbatimCollection.AllDocuments() => ((IVerbatimCollection)inner).AllDocuments();

        void IVerbatimCollection.InsertVerbatim(IReadOnlyList<object> documents) => Mutate(() => { ((IVerbatimCollection)inner).InsertVerbatim(documents); return true; });

        int IVerbatimCollection.DeleteAllVerbatim() => Mutate(((IVerbatimCollection)inner).DeleteAllVerbatim);

        private object? Many(IReadOnlyList<T> documents) => documents.Select(d => scope.ToDocument(d)!).ToArray();

        public T? Get(string id) =>
            (scope.WholeFor(cache, id) ?? (scope.Whole(cache, inner, observe: false) is null ? null : scope.WholeFor(cache, id))) is { } whole
                ? whole.Find(id) is { } document ? scope.Materialize<T>(document) : null
                : scope.Remember(cache, cache.DocumentSlots(id), GetKey(id), () => inner.Get(id), d => scope.ToDocument(d));

        public bool Exists(string id) => Get(id) is not null;

        public IReadOnlyList<T> All() =>
            scope.Whole(cache, inner) is { } whole
                ? whole.All.Select(scope.Materialize<T>).ToList()
                : scope.Remember(cache, cache.SlotOnly, "a", inner.All, Many);

        // A miss like any other: enough of them and the collection is read whole (the NICs of each booting node).
        public IReadOnlyList<T> Find(Expression<Func<T, bool>> predicate) =>
            scope.Whole(cache, inner) is { } whole && scope.Equal(whole, cache, predicate) is { } found
                ? found.Select(scope.Materialize<T>).ToList()
                : scope.Remember(cache, cache.SlotOnly, PredicateKey('f', predicate), () => inner.Find(predicate), Many);

        public T? FindOne(Expression<Func<T, bool>> predicate) =>
            scope.Whole(cache, inner) is { } whole && scope.Equal(whole, cache, predicate) is { } found
                ? found.FirstOrDefault() is { } first ? scope.Materialize<T>(first) : null
                : scope.Remember(cache, cache.SlotOnly, PredicateKey('o', predicate), () => inner.FindOne(predicate), d => scope.ToDocument(d));

        public int Count() => scope.Remember(cache, cache.SlotOnly, "c", inner.Count, n => n);

        private TResult Mutate<TResult>(Func<TResult> change)
        {
            scope.Poisoned = true;
            return change();
        }

        public void Insert(T document) => Mutate(() => { inner.Insert(document); return true; });

        public void InsertMany(IEnumerable<T> documents) => Mutate(() => { inner.InsertMany(documents); return true; });

        public bool Upsert(T document) => Mutate(() => inner.Upsert(document));

        public bool Update(T document) => Mutate(() => inner.Update(document));

        public bool Delete(string id) => Mutate(() => inner.Delete(id));

        public int DeleteMany(Expression<Func<T, bool>> predicate) => Mutate(() => inner.DeleteMany(predicate));

        public int DeleteAll() => Mutate(() => inner.DeleteAll());
    }
}
