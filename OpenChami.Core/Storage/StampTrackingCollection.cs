using System.Linq.Expressions;

namespace OpenChami.Core.Storage;

/// <summary>Records which stamps a write unit of work moves: its collections', and each changed document's.</summary>
internal sealed class StampTrackingCollection<T>(IDocumentCollection<T> inner, CollectionDefinition definition, ISet<int> changed) : IDocumentCollection<T>, IVerbatimCollection where T : class
{
    IReadOnlyList<object> IVerbatimCollection.AllDocuments() => ((IVerbatimCollection)inner).AllDocuments();

    void IVerbatimCollection.InsertVerbatim(IReadOnlyList<object> documents)
    {
        ChangingUnknown();
        ((IVerbatimCollection)inner).InsertVerbatim(documents);
    }

    int IVerbatimCollection.DeleteAllVerbatim()
    {
        ChangingUnknown();
        return ((IVerbatimCollection)inner).DeleteAllVerbatim();
    }

    public T? Get(string id) => inner.Get(id);

    public bool Exists(string id) => inner.Exists(id);

    public IReadOnlyList<T> All() => inner.All();

    public IReadOnlyList<T> Find(Expression<Func<T, bool>> predicate) => inner.Find(predicate);

    public T? FindOne(Expression<Func<T, bool>> predicate) => inner.FindOne(predicate);

    public int Count() => inner.Count();

    // Marked before the change: a change that throws half-way still moves the stamps (harmless), never the reverse.
    private void Changing(string id)
    {
        changed.Add(definition.StampSlot);
        changed.Add(definition.DocumentStampSlot(id));
    }

    private void ChangingUnknown()
    {
        changed.Add(definition.StampSlot);
        changed.Add(definition.BulkStampSlot);
    }

    public void Insert(T document)
    {
        Changing(definition.IdOf(document));
        inner.Insert(document);
    }

    public void InsertMany(IEnumerable<T> documents)
    {
        var list = documents.ToList();
        foreach (var document in list) Changing(definition.IdOf(document));
        inner.InsertMany(list);
    }

    public bool Upsert(T document)
    {
        Changing(definition.IdOf(document));
        return inner.Upsert(document);
    }

    public bool Update(T document)
    {
        Changing(definition.IdOf(document));
        return inner.Update(document);
    }

    public bool Delete(string id)
    {
        Changing(id);
        return inner.Delete(id);
    }

    public int DeleteMany(Expression<Func<T, bool>> predicate)
    {
        ChangingUnknown();
        return inner.DeleteMany(predicate);
    }

    public int DeleteAll()
    {
        ChangingUnknown();
        return inner.DeleteAll();
    }
}
