namespace OpenChami.Core.Storage;

/// <summary>
/// The storage boundary. Services express every read and write as one unit of work:
/// <see cref="Write{T}"/> is one transaction (all or nothing), <see cref="Read{T}"/> one
/// consistent snapshot. <see cref="LiteDbStore"/> (one embedded file, the default) and
/// <see cref="Postgres.PostgresStore"/> (several servers sharing one database) implement it.
/// </summary>
public interface IChamiStore : IDisposable
{
    /// <summary>Full path of the database file, <c>:memory:</c>, or a redacted <c>postgresql://user@host:port/database</c>.</summary>
    string Location { get; }

    bool IsInMemory { get; }

    /// <summary>Schema version stored in the file.</summary>
    int SchemaVersion { get; }

    /// <summary>Short backend name for status routes (<c>litedb</c>, <c>postgresql</c>).</summary>
    string BackendName { get; }

    /// <summary>
    /// Folder of the key ring (JWT, CA and secret-protector keys), or null when keys live only in memory.
    /// Keys stay out of the database on purpose: a dump or copied file must not carry them.
    /// </summary>
    string? KeyDirectory { get; }

    T Read<T>(Func<IStoreSession, T> read);

    T Write<T>(Func<IStoreSession, T> write);

    /// <summary>
    /// <paramref name="compute"/>'s result, or the one it returned before while nothing it read through this store has
    /// changed (in any process). For hot read paths (a boot storm asks the same answers thousands of times).
    /// <paramref name="key"/> must name every input not in the store; callers must not modify the result;
    /// <paramref name="keep"/> can refuse to remember one. A store without change tracking simply computes.
    /// </summary>
    T Remember<T>(string key, Func<T> compute, Func<T, bool>? keep = null) where T : class => compute();

    /// <summary>Changes this store committed, for watchers (<see cref="CommitFeed"/>); null when the store publishes none.</summary>
    CommitFeed? Commits => null;
}

public static class ChamiStoreExtensions
{
    public static void Write(this IChamiStore store, Action<IStoreSession> write) =>
        store.Write<bool>(session => { write(session); return true; });
}

/// <summary>The collections visible inside one unit of work.</summary>
public interface IStoreSession
{
    IDocumentCollection<T> Collection<T>() where T : class;
}
