using System.Data;
using System.Net.Sockets;
using Npgsql;
using OpenChami.Core.Errors;

namespace OpenChami.Core.Storage.Postgres;

/// <summary>
/// PostgreSQL implementation of <see cref="IChamiStore"/>, so several servers can share one inventory.
/// A write is one transaction that first takes a transaction-scoped advisory lock: writers are
/// serialized across every server on the database exactly as LiteDB's single writer serializes them in
/// one file (no lost updates, no retry loops). Read committed under that lock means every statement of
/// the writer sees all earlier commits. A read is one REPEATABLE READ READ ONLY transaction (one snapshot).
/// Nothing is cached between units of work, so no server can see a stale copy of another's change.
/// </summary>
public sealed class PostgresStore : IChamiStore
{
    private readonly NpgsqlDataSource dataSource;
    private readonly NpgsqlDataSource readSource;
    private readonly ThreadLocal<PostgresSession?> current = new();
    // Writers of this process queue here, as in LiteDbStore, instead of each holding a pooled connection
    // while it waits for the database-wide writer lock (64 power tasks would otherwise take 64 connections).
    private readonly object writeGate = new();
    private readonly string? password;
    private bool disposed;

    private PostgresStore(NpgsqlDataSource dataSource, NpgsqlDataSource readSource, string location, string keyDirectory, string? password)
    {
        this.dataSource = dataSource;
        this.readSource = readSource;
        Location = location;
        KeyDirectory = keyDirectory;
        this.password = password;
    }

    /// <summary><c>postgresql://user@host:port/database</c> (plus <c>?search_path=</c> when set); never a password.</summary>
    public string Location { get; }

    public bool IsInMemory => false;

    public string BackendName => "postgresql";

    public string? KeyDirectory { get; }

    public int SchemaVersion => Read(s =>
    {
        using var command = ((PostgresSession)s).Command("SELECT version FROM chami_schema");
        return command.ExecuteScalar() is int version ? version : 0;
    });

    /// <summary>Connects, creating or migrating the schema. Prefer <see cref="StoreRegistry.AcquirePostgres"/>: one instance per database per process.</summary>
    public static PostgresStore Open(PostgresStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = ConnectionSettings(options);
        var location = RedactedLocation(builder);
        var keyDirectory = options.KeyDirectory ?? DefaultKeyDirectory(builder);
        var dataSource = new NpgsqlDataSourceBuilder(builder.ConnectionString).Build();
        // Reads get their own pool whose sessions default to READ ONLY, so a read's BEGIN travels with its
        // first query instead of needing a SET TRANSACTION round trip of its own.
        var readSourceBuilder = new NpgsqlDataSourceBuilder(builder.ConnectionString);
        readSourceBuilder.UsePhysicalConnectionInitializer(
            connection => InitializeReader(connection),
            connection => { InitializeReader(connection); return Task.CompletedTask; });
        var store = new PostgresStore(dataSource, readSourceBuilder.Build(), location, keyDirectory, builder.Password);
        try
        {
            using var connection = store.OpenConnection(openFailure: true);
            using (var check = new NpgsqlCommand("SELECT current_schema()", connection))
            {
                if (check.ExecuteScalar() is not string)
                {
                    throw ChamiException.Unavailable("DatabaseOpenFailed",
                        $"Cannot open database '{location}': no schema on the search path exists (create it first).", location);
                }
            }
            store.Translate(() => PostgresSchema.Migrate(connection, location), openFailure: true);
            return store;
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    /// <summary>The Npgsql settings: URI or keyword form, then the credential override. Unset values fall to PG* variables and .pgpass.</summary>
    internal static NpgsqlConnectionStringBuilder ConnectionSettings(PostgresStoreOptions options)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(FromUri(options.ConnectionString));
        }
        catch (ArgumentException ex)
        {
            // The message of a bad keyword names the keyword, never the value.
            throw ChamiException.Invalid("InvalidConnectionString", $"The PostgreSQL connection string is not valid: {ex.Message}");
        }
        if (options.Credential is { } credential)
        {
            if (!string.IsNullOrEmpty(credential.UserName)) builder.Username = credential.UserName;
            if (!string.IsNullOrEmpty(credential.Password)) builder.Password = credential.Password;
        }
        builder.Host ??= Environment.GetEnvironmentVariable("PGHOST") is { Length: > 0 } host ? host : "localhost";
        if (string.IsNullOrEmpty(builder.Username) && Environment.GetEnvironmentVariable("PGUSER") is { Length: > 0 } user) builder.Username = user;
        if (string.IsNullOrEmpty(builder.Database) && Environment.GetEnvironmentVariable("PGDATABASE") is { Length: > 0 } database) builder.Database = database;
        // Statements repeat with different values: let Npgsql prepare the frequent ones on each connection.
        if (builder.MaxAutoPrepare == 0) builder.MaxAutoPrepare = 64;
        // Units of work leave no session state behind (SET TRANSACTION is transaction-scoped): skip the reset round trip.
        builder.NoResetOnClose = true;
        builder.ApplicationName ??= "OpenChami";
        return builder;
    }

    // postgresql://user[:password]@host[:port]/database[?key=value&...] → keyword form.
    private static string FromUri(string connectionString)
    {
        var text = connectionString.Trim();
        if (!text.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase) && !text.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)) return text;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri)) throw new ArgumentException("the postgresql:// URI is malformed");
        var builder = new NpgsqlConnectionStringBuilder();
        if (!string.IsNullOrEmpty(uri.Host)) builder.Host = uri.Host.Trim('[', ']');
        if (!uri.IsDefaultPort && uri.Port > 0) builder.Port = uri.Port;
        var database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        if (database.Length > 0) builder.Database = database;
        if (uri.UserInfo.Length > 0)
        {
            var parts = uri.UserInfo.Split(':', 2);
            builder.Username = Uri.UnescapeDataString(parts[0]);
            if (parts.Length == 2) builder.Password = Uri.UnescapeDataString(parts[1]);
        }
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = pair.Split('=', 2);
            var key = Uri.UnescapeDataString(kv[0]).Replace('_', ' ');
            builder[key] = kv.Length == 2 ? Uri.UnescapeDataString(kv[1]) : string.Empty;
        }
        return builder.ConnectionString;
    }

    internal static string RedactedLocation(NpgsqlConnectionStringBuilder builder)
    {
        var user = string.IsNullOrEmpty(builder.Username) ? Environment.UserName : builder.Username;
        var database = string.IsNullOrEmpty(builder.Database) ? user : builder.Database;
        var host = builder.Host ?? "localhost";
        if (host.Contains(':') && !host.StartsWith('[')) host = $"[{host}]";
        var location = $"postgresql://{Uri.EscapeDataString(user)}@{host}:{builder.Port}/{Uri.EscapeDataString(database)}";
        return string.IsNullOrEmpty(builder.SearchPath) ? location : $"{location}?search_path={Uri.EscapeDataString(builder.SearchPath)}";
    }

    private static string DefaultKeyDirectory(NpgsqlConnectionStringBuilder builder)
    {
        var dataHome = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
        if (string.IsNullOrWhiteSpace(dataHome)) dataHome = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share");
        var user = string.IsNullOrEmpty(builder.Username) ? Environment.UserName : builder.Username;
        var name = $"{builder.Host}_{builder.Port}_{(string.IsNullOrEmpty(builder.Database) ? user : builder.Database)}";
        if (!string.IsNullOrEmpty(builder.SearchPath)) name += "_" + builder.SearchPath;
        var safe = new string(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_').ToArray());
        return Path.Combine(dataHome, "openchami", "keys", safe);
    }

    private static void InitializeReader(NpgsqlConnection connection)
    {
        using var command = new NpgsqlCommand("SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY", connection);
        command.ExecuteNonQuery();
    }

    public T Read<T>(Func<IStoreSession, T> read)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (current.Value is { } active) return read(active);
        return Translate(() =>
        {
            using var connection = OpenConnection(openFailure: false, readSource);
            // REPEATABLE READ: one snapshot; READ ONLY comes from the pool's session characteristics.
            using var transaction = connection.BeginTransaction(IsolationLevel.RepeatableRead);
            var session = new PostgresSession(connection, transaction, Commits.Begin());
            current.Value = session;
            try
            {
                var result = read(session);
                transaction.Commit();
                return result;
            }
            finally
            {
                current.Value = null;
            }
        }, openFailure: false);
    }

    /// <inheritdoc />
    public CommitFeed Commits { get; } = new();

    public T Write<T>(Func<IStoreSession, T> write)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (current.Value is { } active) return write(active);
        lock (writeGate) return Translate(() =>
        {
            using var connection = OpenConnection(openFailure: false);
            // Read committed: after the lock every statement sees everything committed before it
            // (a repeatable-read snapshot would be taken before the wait and miss those commits).
            using var transaction = connection.BeginTransaction(IsolationLevel.ReadCommitted);
            var session = new PostgresSession(connection, transaction, Commits.Begin());
            using (var writeLock = session.Command($"SELECT pg_advisory_xact_lock({PostgresSchema.WriteLockClass}, hashtext(current_schema()))"))
            {
                // Wait as long as the writer ahead takes (a 100,000-node import), like LiteDB's writer lock;
                // a server that dies releases the lock with its connection.
                writeLock.CommandTimeout = 0;
                writeLock.ExecuteNonQuery();
            }
            current.Value = session;
            try
            {
                var result = write(session);
                transaction.Commit();
                session.Commits?.Publish();
                return result;
            }
            finally
            {
                // Disposing an uncommitted transaction rolls it back: a failed unit of work changes nothing.
                current.Value = null;
            }
        }, openFailure: false);
    }

    private NpgsqlConnection OpenConnection(bool openFailure, NpgsqlDataSource? source = null)
    {
        try
        {
            return (source ?? dataSource).OpenConnection();
        }
        catch (Exception ex) when (ex is NpgsqlException or SocketException or TimeoutException or InvalidOperationException or ArgumentException)
        {
            throw ChamiException.Unavailable(openFailure ? "DatabaseOpenFailed" : "DatabaseError",
                $"Cannot connect to database '{Location}': {Scrub(ex.Message)}", Location, new ScrubbedException(Scrub(ex.ToString())));
        }
    }

    private T Translate<T>(Func<T> work, bool openFailure)
    {
        try
        {
            return work();
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw ChamiException.Conflict("ResourceExists", "a document with that ID already exists");
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.ProgramLimitExceeded)
        {
            // An indexed value over the btree row limit (about 2.7 kB) is bad input, not a store failure.
            throw ChamiException.Invalid("ValueTooLong", "a name, id or indexed value is too long (at most about 2,000 bytes)");
        }
        catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.UntranslatableCharacter or PostgresErrorCodes.CharacterNotInRepertoire)
        {
            throw ChamiException.Invalid("InvalidCharacter", "a value contains a character the database cannot store (NUL)");
        }
        catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.InvalidPassword or PostgresErrorCodes.InvalidAuthorizationSpecification
            or PostgresErrorCodes.InvalidCatalogName or PostgresErrorCodes.InsufficientPrivilege)
        {
            throw ChamiException.Unavailable(openFailure ? "DatabaseOpenFailed" : "DatabaseError",
                $"Cannot open database '{Location}': {Scrub(ex.MessageText)}", Location, new ScrubbedException(Scrub(ex.ToString())));
        }
        catch (NpgsqlException ex)
        {
            throw ChamiException.Unavailable(openFailure ? "DatabaseOpenFailed" : "DatabaseError",
                $"Database '{Location}': {Scrub(ex.Message)}", Location, new ScrubbedException(Scrub(ex.ToString())));
        }
    }

    // Npgsql does not put passwords in messages; this makes sure nothing we pass on ever does.
    private string Scrub(string text) => string.IsNullOrEmpty(password) ? text : text.Replace(password, "********", StringComparison.Ordinal);

    /// <summary>Runs once after the store closed (tests hand its schema to the next test).</summary>
    internal Action? Closed { get; set; }

    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        dataSource.Dispose();
        readSource.Dispose();
        current.Dispose();
        Closed?.Invoke();
    }

    /// <summary>The driver's error, with anything secret removed, kept for diagnostics.</summary>
    private sealed class ScrubbedException(string message) : Exception(message);

    /// <summary>One unit of work: a connection and its transaction.</summary>
    internal sealed class PostgresSession : IStoreSession
    {
        private readonly Dictionary<Type, object> collections = [];
        private readonly NpgsqlConnection connection;
        private readonly NpgsqlTransaction transaction;
        private readonly Audit.AuditRecorder audit;

        public PostgresSession(NpgsqlConnection connection, NpgsqlTransaction transaction, CommitBatch? commits = null)
        {
            this.connection = connection;
            this.transaction = transaction;
            Commits = commits;
            audit = new Audit.AuditRecorder(this, commits);
        }

        /// <summary>The watched changes of this write, published after its commit (<see cref="CommitFeed"/>).</summary>
        public CommitBatch? Commits { get; }

        public IDocumentCollection<T> Collection<T>() where T : class
        {
            if (!collections.TryGetValue(typeof(T), out var collection))
            {
                collection = new PostgresDocumentCollection<T>(this, StoreSchema.Get(typeof(T)), audit);
                collections[typeof(T)] = collection;
            }
            return (IDocumentCollection<T>)collection;
        }

        /// <summary>A command in this unit of work; SQL text is built only from schema constants, values are parameters.</summary>
        public NpgsqlCommand Command(string sql, params NpgsqlParameter[] parameters)
        {
            var command = new NpgsqlCommand(sql, connection, transaction);
            command.Parameters.AddRange(parameters);
            return command;
        }
    }
}
