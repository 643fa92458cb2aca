using System.Linq.Expressions;
using OpenChami.Core.Audit;
using OpenChami.Core.Errors;

namespace OpenChami.Core.Storage;

/// <summary>
/// The rules every backend shares: <c>ResourceExists</c> on Insert, the journal entry and derived
/// collections written in the same transaction as the change, and the "before" document read only
/// when the journal or a derived collection needs it. A backend supplies the raw operations.
/// </summary>
internal abstract class DocumentCollection<T>(CollectionDefinition definition, AuditRecorder audit, IStoreSession session) : IDocumentCollection<T>, IVerbatimCollection
    where T : class
{
    protected CollectionDefinition Definition => definition;

    public abstract T? Get(string id);

    public abstract bool Exists(string id);

    public abstract IReadOnlyList<T> All();

    public abstract IReadOnlyList<T> Find(Expression<Func<T, bool>> predicate);

    public abstract T? FindOne(Expression<Func<T, bool>> predicate);

    public abstract int Count();

    /// <summary>Inserts documents whose IDs are known to be free, in as few calls as the backend can.</summary>
    protected abstract void InsertRaw(IReadOnlyList<T> documents);

    /// <summary>Inserts one document unless its ID is taken; false (and nothing changed) when taken.</summary>
    protected virtual bool TryInsertRaw(string id, T document)
    {
        if (Exists(id)) return false;
        InsertRaw([document]);
        return true;
    }

    /// <summary>The first of <paramref name="ids"/> already stored, or null.</summary>
    protected virtual string? FirstExisting(IReadOnlyList<string> ids) => ids.FirstOrDefault(Exists);

    /// <summary>True when inserted, false when replaced.</summary>
    protected abstract bool UpsertRaw(T document);

    protected abstract bool UpdateRaw(T document);

    protected abstract bool DeleteRaw(string id);

    protected abstract int DeleteManyRaw(Expression<Func<T, bool>> predicate);

    protected abstract int DeleteAllRaw();

    public void Insert(T document)
    {
        var id = definition.IdOf(document);
        if (!TryInsertRaw(id, document)) throw ChamiException.Conflict("ResourceExists", $"{typeof(T).Name} '{id}' already exists", id);
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
        var ids = new List<string>(list.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var document in list)
        {
            var id = definition.IdOf(document);
            if (!seen.Add(id)) throw ChamiException.Conflict("ResourceExists", $"{typeof(T).Name} '{id}' already exists", id);
            ids.Add(id);
        }
        if (FirstExisting(ids) is { } taken) throw ChamiException.Conflict("ResourceExists", $"{typeof(T).Name} '{taken}' already exists", taken);
        // One bulk call: a backend inserts a batch far faster than the same documents one call at a time.
        if (list.Count > 0) InsertRaw(list);
        foreach (var document in list) Changed(definition.IdOf(document), AuditOperation.Insert, null, document);
    }

    public bool Upsert(T document)
    {
        var id = definition.IdOf(document);
        var before = definition.NeedsBefore ? Get(id) : null;
        var inserted = UpsertRaw(document);
        Changed(id, inserted ? AuditOperation.Insert : AuditOperation.Update, before, document);
        return inserted;
    }

    public bool Update(T document)
    {
        var id = definition.IdOf(document);
        var before = definition.NeedsBefore ? Get(id) : null;
        if (!UpdateRaw(document)) return false;
        Changed(id, AuditOperation.Update, before, document);
        return true;
    }

    public bool Delete(string id)
    {
        var before = definition.NeedsBefore ? Get(id) : null;
        if (!DeleteRaw(id)) return false;
        Changed(id, AuditOperation.Delete, before, null);
        return true;
    }

    public int DeleteMany(Expression<Func<T, bool>> predicate)
    {
        if (!definition.NeedsBefore) return DeleteManyRaw(predicate);
        var doomed = Find(predicate);
        foreach (var document in doomed) Delete(definition.IdOf(document));
        return doomed.Count;
    }

    public int DeleteAll()
    {
        if (!definition.NeedsBefore) return DeleteAllRaw();
        var doomed = All();
        foreach (var document in doomed) Delete(definition.IdOf(document));
        return doomed.Count;
    }

    IReadOnlyList<object> IVerbatimCollection.AllDocuments() => All();

    /// <summary>Copies documents in as they are: no journal entry, no derived collection (<see cref="StoreCopier"/> copies those too).</summary>
    void IVerbatimCollection.InsertVerbatim(IReadOnlyList<object> documents)
    {
        if (documents.Count > 0) InsertRaw(documents.Cast<T>().ToList());
    }

    /// <summary>Empties the collection without journaling (<see cref="StoreCopier"/> replacing a target).</summary>
    int IVerbatimCollection.DeleteAllVerbatim() => DeleteAllRaw();
}
