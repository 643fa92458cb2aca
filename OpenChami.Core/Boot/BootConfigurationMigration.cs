using LiteDB;
using Npgsql;
using NpgsqlTypes;
using OpenChami.Core.Storage.Postgres;

namespace OpenChami.Core.Boot;

/// <summary>
/// Schema 4 → 5 (spec/boot-service.md §6): every stored BSS entry (one per identity key) becomes the single-selector
/// configuration BSS owns for that key, and the entry becomes its index entry. The entry's values are unchanged, so
/// <c>/boot/v1</c> answers exactly as before; <c>/boot-service</c> sees one configuration per former entry.
/// </summary>
internal static class BootConfigurationMigration
{
    /// <summary>The configurations for <paramref name="entries"/>; each entry is updated in place to index its configuration.</summary>
    public static List<BootConfiguration> FromEntries(IReadOnlyList<BootParamsEntry> entries)
    {
        var uids = new HashSet<string>(StringComparer.Ordinal);
        var names = new HashSet<string>(StringComparer.Ordinal);
        var configs = new List<BootConfiguration>(entries.Count);
        foreach (var entry in entries.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            string uid;
            do uid = BootConfigurationSpec.ResourceKind.NewUid(); while (!uids.Add(uid));
            var name = BootSelectorIndex.BssName(entry.Key);
            for (var n = 2; !names.Add(name); n++) name = $"{BootSelectorIndex.BssName(entry.Key)}-{n}";
            var updated = entry.Updated == default ? DateTime.UtcNow : entry.Updated;
            var config = new BootConfiguration
            {
                Uid = uid, Name = name, CreatedAt = updated, UpdatedAt = updated, BssKey = entry.Key, Priority = BootSelectorIndex.BssPriority,
                Hosts = entry.Kind is BootIdentityKind.Host or BootIdentityKind.Tag ? [entry.Value] : [],
                Macs = entry.Kind == BootIdentityKind.Mac ? [entry.Value] : [],
                Nids = entry.Kind == BootIdentityKind.Nid ? [long.Parse(entry.Value, System.Globalization.CultureInfo.InvariantCulture)] : [],
                Groups = entry.Kind == BootIdentityKind.Group ? [entry.Value] : [],
                Arch = entry.Arch, Kernel = entry.Kernel, Initrd = entry.Initrd, Params = entry.Params,
                CloudInit = entry.CloudInit, ReferralToken = entry.ReferralToken,
            };
            configs.Add(config);
            entry.Configs = [uid];
            entry.Config = uid;
            entry.Name = name;
            entry.Priority = config.Priority;
        }
        return configs;
    }

    public static void LiteDb(LiteDatabase database)
    {
        var entries = database.GetCollection<BootParamsEntry>("boot_params");
        var all = entries.FindAll().ToList();
        var configs = FromEntries(all);
        database.GetCollection<BootConfiguration>("boot_configurations").InsertBulk(configs);
        entries.Update(all);
    }

    public static void Postgres(NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        var all = new List<BootParamsEntry>();
        using (var create = new NpgsqlCommand("CREATE TABLE IF NOT EXISTS chami_boot_configurations (id text COLLATE \"C\" PRIMARY KEY, doc jsonb NOT NULL)", connection, transaction))
        {
            create.ExecuteNonQuery();
        }
        using (var read = new NpgsqlCommand("SELECT doc::text FROM chami_boot_params", connection, transaction))
        using (var reader = read.ExecuteReader())
        {
            while (reader.Read()) all.Add(StorageJson.Deserialize<BootParamsEntry>(reader.GetString(0)));
        }
        var configs = FromEntries(all);
        foreach (var config in configs) Write(connection, transaction, "INSERT INTO chami_boot_configurations (id, doc) VALUES (@id, @doc)", config.Uid, StorageJson.Serialize(config));
        foreach (var entry in all) Write(connection, transaction, "UPDATE chami_boot_params SET doc = @doc WHERE id = @id", entry.Key, StorageJson.Serialize(entry));
    }

    private static void Write(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, string id, string doc)
    {
        using var command = new NpgsqlCommand(sql, connection, transaction);
        command.Parameters.AddWithValue("id", id);
        command.Parameters.Add(new NpgsqlParameter("doc", NpgsqlDbType.Jsonb) { Value = doc });
        command.ExecuteNonQuery();
    }
}
