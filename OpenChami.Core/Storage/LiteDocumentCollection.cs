using System.Linq.Expressions;
using LiteDB;
using OpenChami.Core.Audit;

namespace OpenChami.Core.Storage;

/// <summary>A LiteDB collection seen through <see cref="IDocumentCollection{T}"/>; the shared rules are in <see cref="DocumentCollection{T}"/>.</summary>
internal sealed class LiteDocumentCollection<T>(ILiteCollection<T> collection, CollectionDefinition definition, AuditRecorder audit, IStoreSession session)
    : DocumentCollection<T>(definition, audit, session)
    where T : class
{
    public override T? Get(string id) => collection.FindById(new BsonValue(id));

    // A primary-key lookup, not Query.EQ: LiteDB parses and compiles a new expression per distinct value,
    // which made every insert (Insert checks Exists) cost milliseconds.
    public override bool Exists(string id) => collection.FindById(new BsonValue(id)) is not null;

    // Materialized: results must not outlive the unit of work that read them.
    public override IReadOnlyList<T> All() => collection.FindAll().ToList();

    public override IReadOnlyList<T> Find(Expression<Func<T, bool>> predicate) => collection.Find(predicate).ToList();

    public override T? FindOne(Expression<Func<T, bool>> predicate) => collection.FindOne(predicate);

    public override int Count() => collection.Count();

    // One bulk call: LiteDB inserts a batch far faster than the same documents one call at a time.
    protected override void InsertRaw(IReadOnlyList<T> documents)
    {
        if (documents.Count == 1) collection.Insert(documents[0]);
        else collection.Insert(documents);
    }

    protected override bool UpsertRaw(T document) => collection.Upsert(document);

    protected override bool UpdateRaw(T document) => collection.Update(document);

    protected override bool DeleteRaw(string id) => collection.Delete(new BsonValue(id));

    protected override int DeleteManyRaw(Expression<Func<T, bool>> predicate) => collection.DeleteMany(predicate);

    protected override int DeleteAllRaw() => collection.DeleteAll();
}
