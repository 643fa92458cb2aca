using System.Linq.Expressions;
using Npgsql;
using NpgsqlTypes;
using OpenChami.Core.Audit;

namespace OpenChami.Core.Storage.Postgres;

/// <summary>A <c>chami_&lt;name&gt;</c> table seen through <see cref="IDocumentCollection{T}"/>; the shared rules are in <see cref="DocumentCollection{T}"/>.</summary>
internal sealed class PostgresDocumentCollection<T>(PostgresStore.PostgresSession session, CollectionDefinition definition, AuditRecorder audit)
    : DocumentCollection<T>(definition, audit, session)
    where T : class
{
    // Rows of one INSERT ... unnest: big enough to be one round trip for most imports, small enough for memory.
    private const int InsertBatch = 5000;

    private readonly string table = PostgresSchema.TableOf(definition);

    public override T? Get(string id)
    {
        using var command = session.Command($"SELECT doc FROM {table} WHERE id = $1", Text(id));
        return command.ExecuteScalar() is string json ? StorageJson.Deserialize<T>(json) : null;
    }

    public override bool Exists(string id)
    {
        using var command = session.Command($"SELECT EXISTS (SELECT 1 FROM {table} WHERE id = $1)", Text(id));
        return (bool)command.ExecuteScalar()!;
    }

    // Primary-key order (ordinal), so every listing is deterministic.
    public override IReadOnlyList<T> All() => Query($"SELECT doc FROM {table} ORDER BY id", []);

    public override IReadOnlyList<T> Find(Expression<Func<T, bool>> predicate)
    {
        if (PostgresQueryTranslator.TryTranslate(predicate) is not { } condition) return FilterInMemory(predicate);
        return Query($"SELECT doc FROM {table} WHERE {condition.Sql} ORDER BY id", condition.Parameters);
    }

    public override T? FindOne(Expression<Func<T, bool>> predicate)
    {
        if (PostgresQueryTranslator.TryTranslate(predicate) is not { } condition) return FilterInMemory(predicate).FirstOrDefault();
        return Query($"SELECT doc FROM {table} WHERE {condition.Sql} ORDER BY id LIMIT 1", condition.Parameters).FirstOrDefault();
    }

    // Correct for any predicate, only slower: the whole table is read and filtered here.
    private List<T> FilterInMemory(Expression<Func<T, bool>> predicate)
    {
        var test = predicate.Compile();
        return All().Where(test).ToList();
    }

    public override int Count()
    {
        using var command = session.Command($"SELECT count(*) FROM {table}");
        return Convert.ToInt32(command.ExecuteScalar());
    }

    protected override void InsertRaw(IReadOnlyList<T> documents)
    {
        if (documents.Count == 1)
        {
            using var single = session.Command($"INSERT INTO {table} (id, doc) VALUES ($1, $2)", Text(Definition.IdOf(documents[0])), Json(documents[0]));
            single.ExecuteNonQuery();
            return;
        }
        foreach (var chunk in documents.Chunk(InsertBatch))
        {
            var ids = chunk.Select(d => Definition.IdOf(d)).ToArray();
            var docs = chunk.Select(d => StorageJson.Serialize(d)).ToArray();
            using var batch = session.Command($"INSERT INTO {table} (id, doc) SELECT * FROM unnest($1, $2)",
                new NpgsqlParameter { Value = ids, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text },
                new NpgsqlParameter { Value = docs, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb });
            batch.ExecuteNonQuery();
        }
    }

    // One statement, and a taken ID leaves the transaction usable (an error would abort it).
    protected override bool TryInsertRaw(string id, T document)
    {
        using var command = session.Command($"INSERT INTO {table} (id, doc) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING", Text(id), Json(document));
        return command.ExecuteNonQuery() == 1;
    }

    protected override string? FirstExisting(IReadOnlyList<string> ids)
    {
        if (ids.Count == 0) return null;
        if (ids.Count == 1) return Exists(ids[0]) ? ids[0] : null;
        using var command = session.Command($"SELECT id FROM {table} WHERE id = ANY($1) LIMIT 1",
            new NpgsqlParameter { Value = ids.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        return command.ExecuteScalar() as string;
    }

    protected override bool UpsertRaw(T document)
    {
        // xmax is 0 only on a row this statement inserted.
        using var command = session.Command(
            $"INSERT INTO {table} AS t (id, doc) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET doc = EXCLUDED.doc RETURNING (t.xmax = 0)",
            Text(Definition.IdOf(document)), Json(document));
        return (bool)command.ExecuteScalar()!;
    }

    protected override bool UpdateRaw(T document)
    {
        using var command = session.Command($"UPDATE {table} SET doc = $2 WHERE id = $1", Text(Definition.IdOf(document)), Json(document));
        return command.ExecuteNonQuery() > 0;
    }

    protected override bool DeleteRaw(string id)
    {
        using var command = session.Command($"DELETE FROM {table} WHERE id = $1", Text(id));
        return command.ExecuteNonQuery() > 0;
    }

    protected override int DeleteManyRaw(Expression<Func<T, bool>> predicate)
    {
        if (PostgresQueryTranslator.TryTranslate(predicate) is { } condition)
        {
            using var command = session.Command($"DELETE FROM {table} WHERE {condition.Sql}", [.. condition.Parameters]);
            return command.ExecuteNonQuery();
        }
        var ids = FilterInMemory(predicate).Select(d => Definition.IdOf(d)).ToArray();
        if (ids.Length == 0) return 0;
        using var byIds = session.Command($"DELETE FROM {table} WHERE id = ANY($1)", new NpgsqlParameter { Value = ids, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        return byIds.ExecuteNonQuery();
    }

    protected override int DeleteAllRaw()
    {
        using var command = session.Command($"DELETE FROM {table}");
        return command.ExecuteNonQuery();
    }

    private List<T> Query(string sql, IReadOnlyList<NpgsqlParameter> parameters)
    {
        using var command = session.Command(sql, [.. parameters]);
        using var reader = command.ExecuteReader();
        var result = new List<T>();
        while (reader.Read()) result.Add(StorageJson.Deserialize<T>(reader.GetString(0)));
        return result;
    }

    private static NpgsqlParameter Text(string value) => new() { Value = value, NpgsqlDbType = NpgsqlDbType.Text };

    private static NpgsqlParameter Json(T document) => new() { Value = StorageJson.Serialize(document), NpgsqlDbType = NpgsqlDbType.Jsonb };
}
