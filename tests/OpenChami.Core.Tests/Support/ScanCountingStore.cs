using System.Collections.Concurrent;
using System.Linq.Expressions;
using OpenChami.Core.Storage;

namespace OpenChami.Core.Tests.Support;

/// <summary>
/// A real store that counts, per document type, the reads that cost the whole collection (<c>All</c>, <c>Count</c>).
/// Growth tests use it to show a per-item path never reads the cluster: structural, no timing.
/// </summary>
public sealed class ScanCountingStore(IChamiStore inner) : IChamiStore
{
    private readonly ConcurrentDictionary<Type, int> scans = new();

    /// <summary>Whole-collection reads since the last <see cref="Reset"/>, by type name (e.g. "Component").</summary>
    public IReadOnlyDictionary<string, int> Scans => scans.ToDictionary(p => p.Key.Name, p => p.Value);

    public void Reset() => scans.Clear();

    public string Location => inner.Location;

    public bool IsInMemory => inner.IsInMemory;

    public int SchemaVersion => inner.SchemaVersion;

    public string BackendName => inner.BackendName;

    public string? KeyDirectory => inner.KeyDirectory;

    public T Read<T>(Func<IStoreSession, T> read) => inner.Read(s => read(new Session(s, this)));

    public T Write<T>(Func<IStoreSession, T> write) => inner.Write(s => write(new Session(s, this)));

    public T Remember<T>(string key, Func<T> compute, Func<T, bool>? keep = null) where T : class => inner.Remember(key, compute, keep);

    public void Dispose() => inner.Dispose();

    private void Scanned(Type type) => scans.AddOrUpdate(type, 1, (_, n) => n + 1);

    private sealed class Session(IStoreSession session, ScanCountingStore owner) : IStoreSession
    {
        public IDocumentCollection<T> Collection<T>() where T : class => new Counting<T>(session.Collection<T>(), owner);
    }

    private sealed class Counting<T>(IDocumentCollection<T> inner, ScanCountingStore owner) : IDocumentCollection<T> where T : class
    {
        public T? Get(string id) => inner.Get(id);

        public bool Exists(string id) => inner.Exists(id);

        public IReadOnlyList<T> All()
        {
            owner.Scanned(typeof(T));
            return inner.All();
        }

        public IReadOnlyList<T> Find(Expression<Func<T, bool>> predicate) => inner.Find(predicate);

        public T? FindOne(Expression<Func<T, bool>> predicate) => inner.FindOne(predicate);

        public int Count()
        {
            owner.Scanned(typeof(T));
            return inner.Count();
        }

        public void Insert(T document) => inner.Insert(document);

        public void InsertMany(IEnumerable<T> documents) => inner.InsertMany(documents);

        public bool Upsert(T document) => inner.Upsert(document);

        public bool Update(T document) => inner.Update(document);

        public bool Delete(string id) => inner.Delete(id);

        public int DeleteMany(Expression<Func<T, bool>> predicate) => inner.DeleteMany(predicate);

        public int DeleteAll() => inner.DeleteAll();
    }
}
