using Npgsql;
using OpenChami.Core.Storage;
using OpenChami.Core.Storage.Postgres;

namespace OpenChami.Core.Tests.Support;

/// <summary>
/// The store a test runs on. One suite, two backends: <c>OPENCHAMI_TEST_BACKEND=litedb</c> (default) gives
/// a fresh in-memory LiteDB store; <c>postgresql</c> gives a <see cref="PostgresStore"/> on a fresh schema of
/// the server in <c>OPENCHAMI_TEST_POSTGRES</c> (build.ps1 -Test starts a throwaway one, see
/// tests/postgres/TestPostgres.psm1). Tests about LiteDB itself carry <c>[Trait("Backend", "LiteDbOnly")]</c>;
/// tests that need PostgreSQL whatever the backend carry <c>[Trait("Backend", "PostgresOnly")]</c>.
/// </summary>
public static class TestStores
{
    public const string LiteDbOnly = "LiteDbOnly";
    public const string PostgresOnly = "PostgresOnly";

    private static readonly object Gate = new();
    private static readonly List<string> CreatedSchemas = [];
    private static NpgsqlDataSource? admin;

    // Key rings of this run's stores; removed at exit.
    private static readonly string KeysRoot = Path.Combine(Path.GetTempPath(), "openchami-test-keys", $"{Environment.ProcessId}-{Guid.NewGuid():N}");

    public static string Backend =>
        Environment.GetEnvironmentVariable("OPENCHAMI_TEST_BACKEND") is { Length: > 0 } backend ? backend.ToLowerInvariant() : "litedb";

    public static bool IsPostgres => Backend is "postgresql" or "postgres" or "pg";

    /// <summary>A fresh, empty store on the backend under test.</summary>
    public static IChamiStore Create() => IsPostgres ? CreatePostgres() : LiteDbStore.OpenInMemory();

    /// <summary>The test server's connection string (with its password: test-only).</summary>
    public static string ServerConnectionString =>
        Environment.GetEnvironmentVariable("OPENCHAMI_TEST_POSTGRES") is { Length: > 0 } connection
            ? connection
            : throw new InvalidOperationException(
                "OPENCHAMI_TEST_POSTGRES is not set: run the tests through ./build.ps1 -Test (it starts a throwaway PostgreSQL) " +
                "or point it at a PostgreSQL server you own (Npgsql connection string).");

    /// <summary>A new empty schema on the test server; stores opened with <see cref="OptionsFor"/> use only it.</summary>
    public static string NewSchema()
    {
        var schema = "t_" + Guid.NewGuid().ToString("N");
        using (var command = Admin.CreateCommand($"CREATE SCHEMA {schema}")) command.ExecuteNonQuery();
        lock (Gate) CreatedSchemas.Add(schema);
        return schema;
    }

    public static PostgresStoreOptions OptionsFor(string schema, string? keyDirectory = null) => new()
    {
        ConnectionString = new NpgsqlConnectionStringBuilder(ServerConnectionString) { SearchPath = schema }.ConnectionString,
        KeyDirectory = keyDirectory ?? Path.Combine(KeysRoot, schema),
    };

    /// <summary>
    /// A store on an empty schema of its own. Creating a schema (20 tables, 30 indexes) costs far more than
    /// emptying one, so the schema of a closed store is emptied and handed to the next test.
    /// </summary>
    public static PostgresStore CreatePostgres()
    {
        if (!Recycled.TryTake(out var schema)) schema = NewSchema();
        var keys = Path.Combine(KeysRoot, Guid.NewGuid().ToString("N"));
        var store = PostgresStore.Open(OptionsFor(schema, keys));
        store.Closed = () =>
        {
            if (Directory.Exists(keys)) Directory.Delete(keys, recursive: true);
            Recycle(schema);
        };
        return store;
    }

    private static readonly System.Collections.Concurrent.ConcurrentBag<string> Recycled = [];

    private static void Recycle(string schema)
    {
        var empty = string.Concat(StoreSchema.Collections.Select(c => $"DELETE FROM {schema}.{PostgresSchema.TableOf(c)};"));
        try
        {
            using var command = Admin.CreateCommand(empty);
            command.ExecuteNonQuery();
            Recycled.Add(schema);
        }
        catch (NpgsqlException)
        {
            // Not reused then; dropped at exit like the rest.
        }
    }

    private static NpgsqlDataSource Admin
    {
        get
        {
            lock (Gate)
            {
                if (admin is null)
                {
                    admin = NpgsqlDataSource.Create(ServerConnectionString);
                    AppDomain.CurrentDomain.ProcessExit += (_, _) => DropSchemas();
                }
                return admin;
            }
        }
    }

    // The throwaway server goes away with its folder; a server someone passed in gets its schemas back.
    private static void DropSchemas()
    {
        string[] schemas;
        lock (Gate) schemas = [.. CreatedSchemas];
        try
        {
            if (Directory.Exists(KeysRoot)) Directory.Delete(KeysRoot, recursive: true);
        }
        catch (IOException)
        {
            // Best effort at exit.
        }
        try
        {
            foreach (var chunk in schemas.Chunk(200))
            {
                using var command = admin!.CreateCommand($"DROP SCHEMA IF EXISTS {string.Join(", ", chunk)} CASCADE");
                command.CommandTimeout = 30;
                command.ExecuteNonQuery();
            }
        }
        catch (Exception ex) when (ex is NpgsqlException or IOException or InvalidOperationException)
        {
            // Best effort at exit: a server that is already gone has nothing left to clean.
        }
    }
}
