using Npgsql;
using OpenChami.Core.Errors;

namespace OpenChami.Core.Storage.Postgres;

/// <summary>
/// Tables and indexes for <see cref="StoreSchema"/>: one table <c>chami_&lt;name&gt;</c> per collection
/// (<c>id text PRIMARY KEY, doc jsonb</c>), expression indexes from the collection's index expressions,
/// and <c>chami_schema</c> holding the version. Names come only from <see cref="StoreSchema"/> constants.
/// </summary>
internal static class PostgresSchema
{
    /// <summary>Advisory lock class (first key) taken by every write unit of work; the second key is the schema.</summary>
    public const int WriteLockClass = 0x43484D57; // "CHMW"

    /// <summary>Advisory lock class taken while creating or migrating the schema.</summary>
    public const int MigrationLockClass = 0x43484D4D; // "CHMM"

    /// <summary>The first schema version a PostgreSQL database can have (PostgreSQL support came with 3).</summary>
    public const int FirstVersion = 3;

    /// <summary>Migration steps: index i upgrades a database from version FirstVersion+i to FirstVersion+i+1.</summary>
    public static readonly IReadOnlyList<Action<NpgsqlConnection, NpgsqlTransaction>> Migrations =
    [
        MoveMembersOut, // 3 → 4
        Boot.BootConfigurationMigration.Postgres, // 4 → 5
    ];

    /// <summary>
    /// 3 → 4 (as <see cref="GroupMembershipIndex.MoveMembersOut"/> for LiteDB): member lists move out of the group and
    /// partition documents into one small row per member, in their listed order; the per-component label index is
    /// rebuilt from them. The tables of the new collections are created here (the schema pass after migrations would
    /// create them too, but the data has to go in first).
    /// </summary>
    private static void MoveMembersOut(NpgsqlConnection connection, NpgsqlTransaction transaction) => Execute(connection, transaction, """
        CREATE TABLE IF NOT EXISTS chami_group_members (id text COLLATE "C" PRIMARY KEY, doc jsonb NOT NULL);
        INSERT INTO chami_group_members (id, doc)
            SELECT g.id || '/' || m.value, jsonb_build_object('ID', g.id || '/' || m.value, 'Label', g.id, 'Member', m.value, 'Order', m.ordinality)
            FROM chami_groups g, jsonb_array_elements_text(COALESCE(g.doc->'Members'->'Ids', '[]'::jsonb)) WITH ORDINALITY AS m(value, ordinality)
            ON CONFLICT (id) DO NOTHING;
        UPDATE chami_groups SET doc = doc - 'Members' WHERE doc ? 'Members';
        CREATE TABLE IF NOT EXISTS chami_partition_members (id text COLLATE "C" PRIMARY KEY, doc jsonb NOT NULL);
        INSERT INTO chami_partition_members (id, doc)
            SELECT m.value, jsonb_build_object('ID', m.value, 'Partition', p.id, 'Order', m.ordinality)
            FROM chami_partitions p, jsonb_array_elements_text(COALESCE(p.doc->'Members'->'Ids', '[]'::jsonb)) WITH ORDINALITY AS m(value, ordinality)
            ON CONFLICT (id) DO NOTHING;
        UPDATE chami_partitions SET doc = doc - 'Members' WHERE doc ? 'Members';
        DELETE FROM chami_group_memberships;
        INSERT INTO chami_group_memberships (id, doc)
            SELECT doc->>'Member', jsonb_build_object('ID', doc->>'Member', 'Labels', jsonb_agg(doc->>'Label' ORDER BY doc->>'Label' COLLATE "C"))
            FROM chami_group_members GROUP BY doc->>'Member';
        DROP INDEX IF EXISTS gin_chami_groups;
        DROP INDEX IF EXISTS gin_chami_partitions;
        """);

    public static string TableOf(CollectionDefinition definition) => "chami_" + CheckIdentifier(definition.Name);

    /// <summary>Creates or migrates the schema; safe when several servers open the same database at once.</summary>
    public static int Migrate(NpgsqlConnection connection, string location)
    {
        using var transaction = connection.BeginTransaction();
        Execute(connection, transaction, $"SELECT pg_advisory_xact_lock({MigrationLockClass}, hashtext(current_schema()))");
        Execute(connection, transaction,
            "CREATE TABLE IF NOT EXISTS chami_schema (singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton), version integer NOT NULL)");
        int version;
        using (var read = new NpgsqlCommand("SELECT version FROM chami_schema", connection, transaction))
        {
            version = read.ExecuteScalar() is int stored ? stored : 0;
        }
        if (version > StoreSchema.CurrentVersion)
        {
            throw new ChamiException(ChamiErrorKind.NotSupported, "DatabaseSchemaTooNew",
                $"Database '{location}' has schema version {version}; this OpenChami understands up to {StoreSchema.CurrentVersion}. Upgrade OpenChami to open it.", location);
        }
        if (version != 0)
        {
            if (version < FirstVersion) throw ChamiException.Unavailable("DatabaseError", $"Database '{location}' has an unknown schema version {version}.", location);
            for (var v = version; v < StoreSchema.CurrentVersion; v++) Migrations[v - FirstVersion](connection, transaction);
        }
        // Only what is missing (DDL on an existing table would lock out writers of running servers),
        // all in one round trip (a fresh schema is dozens of statements).
        var existing = new HashSet<string>(StringComparer.Ordinal);
        using (var catalog = new NpgsqlCommand(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() UNION ALL SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()",
            connection, transaction))
        using (var reader = catalog.ExecuteReader())
        {
            while (reader.Read()) existing.Add(reader.GetString(0));
        }
        var ddl = new System.Text.StringBuilder();
        void Ensure(string name, string statement)
        {
            if (!existing.Contains(name)) ddl.Append(statement).Append(";\n");
        }
        foreach (var definition in StoreSchema.Collections)
        {
            var table = TableOf(definition);
            Ensure(table, $"CREATE TABLE IF NOT EXISTS {table} (id text COLLATE \"C\" PRIMARY KEY, doc jsonb NOT NULL)");
            var needsGin = false;
            foreach (var index in definition.Indexes)
            {
                if (index.Contains("[*]", StringComparison.Ordinal))
                {
                    needsGin = true;
                    continue;
                }
                var path = PathOf(index);
                var name = $"ix_{table}_{string.Join('_', path)}".ToLowerInvariant();
                Ensure(name, $"CREATE INDEX IF NOT EXISTS {CheckIdentifier(name)} ON {table} (({PostgresQueryTranslator.TextPath(path)} COLLATE \"C\"))");
            }
            // Array forms ($.Members.Ids[*], $.IPAddresses[*].IPAddress): containment (doc @> ...) over one GIN index.
            if (needsGin) Ensure($"gin_{table}", $"CREATE INDEX IF NOT EXISTS {CheckIdentifier($"gin_{table}")} ON {table} USING gin (doc jsonb_path_ops)");
        }
        if (version != StoreSchema.CurrentVersion)
        {
            ddl.Append($"INSERT INTO chami_schema (singleton, version) VALUES (true, {StoreSchema.CurrentVersion}) ON CONFLICT (singleton) DO UPDATE SET version = EXCLUDED.version");
        }
        if (ddl.Length > 0) Execute(connection, transaction, ddl.ToString());
        transaction.Commit();
        return StoreSchema.CurrentVersion;
    }

    // "$.A.B" → ["A", "B"]
    private static string[] PathOf(string index) =>
        index.StartsWith("$.", StringComparison.Ordinal) ? index[2..].Split('.') : throw new InvalidOperationException($"unsupported index expression '{index}'");

    private static string CheckIdentifier(string name) =>
        name.Length is > 0 and <= 63 && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_' || char.IsAsciiLetterUpper(c))
            ? name
            : throw new InvalidOperationException($"'{name}' is not a valid table or index name");

    private static void Execute(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection, transaction);
        command.ExecuteNonQuery();
    }
}
