using LiteDB;
using Npgsql;
using OpenChami.Core.Boot;
using OpenChami.Core.Inventory;
using OpenChami.Core.Storage;
using OpenChami.Core.Storage.Postgres;
using OpenChami.Core.Tests.Support;

namespace OpenChami.Core.Tests.BootService;

/// <summary>
/// Schema 4 → 5 (spec/boot-service.md §6): a database written by the schema-4 code (one BSS entry per identity, no
/// configurations) opens with every entry turned into a configuration, and <c>/boot/v1</c> answers exactly as before.
/// </summary>
public sealed class BootConfigurationMigrationTests
{
    private static readonly BootRequest[] Requests =
    [
        new() { Name = "x1000c0s0b0n0" }, new() { Mac = "52:54:00:be:ef:02" }, new() { Name = "x1000c0s0b0n2" }, new() { Nid = 4 },
        new() { Name = "x1000c0s0b0n3", Arch = "arm64" }, new() { Mac = "52:54:00:00:00:99", Arch = "x86_64", Ts = 1 },
    ];

    /// <summary>Nodes and BSS entries of every identity kind, written the BSS way.</summary>
    private static void Seed(IChamiStore store)
    {
        var services = new ChamiServices(store);
        services.Nodes.Create(new NewNodeRequest { Xname = "x1000c0s0b0n0", Nid = 1, MacAddress = ["52:54:00:be:ef:01"] });
        services.Nodes.Create(new NewNodeRequest { Xname = "x1000c0s0b0n1", Nid = 2, MacAddress = ["52:54:00:be:ef:02"] });
        services.Nodes.Create(new NewNodeRequest { Xname = "x1000c0s0b0n2", Nid = 3, Group = ["compute"] });
        services.Nodes.Create(new NewNodeRequest { Xname = "x1000c0s0b0n3", Nid = 4, Role = "Compute" });
        void Put(string json) => services.BootParams.Replace(Serialization.ChamiJson.Deserialize<BootParams>(json)!);
        Put("""{"hosts":["x1000c0s0b0n0"],"kernel":"http://k/host","params":"a=1","cloud-init":{"meta-data":{"k":"v"}}}""");
        Put("""{"macs":["52:54:00:be:ef:02"],"kernel":"http://k/mac","initrd":"http://k/i"}""");
        Put("""{"groups":["compute"],"kernel":"http://k/group"}""");
        Put("""{"nids":[4],"kernel":"http://k/nid"}""");
        Put("""{"hosts":["Compute"],"kernel":"http://k/role"}""");
        Put("""{"hosts":["Default"],"kernel":"http://k/default"}""");
        Put("""{"hosts":["Default"],"arch":"arm64","kernel":"http://k/default-arm"}""");
        Put("""{"hosts":["Unknown-x86_64"],"kernel":"http://k/discovery"}""");
    }

    private static (List<string> Scripts, string Params) Answers(IChamiStore store)
    {
        var scripts = new BootScriptService(store);
        var texts = Requests.Select(r => scripts.GetScript(new BootRequest { Name = r.Name, Mac = r.Mac, Nid = r.Nid, Arch = r.Arch, Ts = r.Ts, RecordAccess = false }).Script).ToList();
        return (texts, Serialization.ChamiJson.Serialize(new BootParamsService(store).Get().OrderBy(p => Serialization.ChamiJson.Serialize(p), StringComparer.Ordinal)));
    }

    private static void AssertMigrated(IChamiStore store, (List<string> Scripts, string Params) before)
    {
        Assert.Equal(5, store.SchemaVersion);
        var after = Answers(store);
        Assert.Equal(before.Scripts, after.Scripts);
        Assert.Equal(before.Params, after.Params);
        var services = new ChamiServices(store);
        var configs = services.BootConfigurations.Documents();
        Assert.Equal(8, configs.Count);
        Assert.All(configs, c => Assert.StartsWith("bss-", c.Name));
        Assert.All(configs, c => Assert.Matches("^bootconfiguration-[0-9a-f]{8}$", c.Uid));
        Assert.Equal("""{"meta-data":{"k":"v"}}""", configs.Single(c => c.Hosts.SequenceEqual(["x1000c0s0b0n0"])).CloudInit);
        Assert.Equal("arm64", configs.Single(c => c.Kernel == "http://k/default-arm").Arch);
        // Later BSS writes change the migrated configuration, not a second one.
        services.BootParams.Update(new BootParams { Hosts = ["x1000c0s0b0n0"], Params = "b=2" });
        Assert.Equal(8, services.BootConfigurations.Documents().Count);
        Assert.Equal("b=2", services.BootConfigurations.Documents().Single(c => c.Hosts.SequenceEqual(["x1000c0s0b0n0"])).Params);
        Assert.Contains("http://k/host b=2", services.BootScripts.GetServiceScript(new BootRequest { Name = "x1000c0s0b0n0", RecordAccess = false }).Script);
    }

    [Trait("Backend", TestStores.LiteDbOnly)]
    [Fact]
    public void A_schema_4_LiteDB_file_migrates_without_loss()
    {
        using var temp = new TempDirectory();
        var path = temp.File("v4.db");
        (List<string>, string) before;
        using (var store = LiteDbStore.OpenFile(path))
        {
            Seed(store);
            before = Answers(store);
        }
        // What the schema-4 code left: entries without the index fields, no configurations.
        using (var raw = new LiteDatabase(new ConnectionString { Filename = path, Connection = ConnectionType.Shared }))
        {
            raw.DropCollection("boot_configurations");
            var entries = raw.GetCollection("boot_params");
            foreach (var doc in entries.FindAll().ToList())
            {
                foreach (var field in new[] { "Configs", "Config", "Name", "Priority" }) doc.Remove(field);
                entries.Update(doc);
            }
            Assert.Equal(8, entries.Count());
            raw.UserVersion = 4;
        }
        using (var reopened = LiteDbStore.OpenFile(path)) AssertMigrated(reopened, before);
    }

    [Trait("Backend", TestStores.PostgresOnly)]
    [Fact]
    public void A_schema_4_PostgreSQL_database_migrates_without_loss()
    {
        var schema = TestStores.NewSchema();
        (List<string>, string) before;
        using (var store = PostgresStore.Open(TestStores.OptionsFor(schema)))
        {
            Seed(store);
            before = Answers(store);
        }
        using (var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(TestStores.ServerConnectionString) { SearchPath = schema }.ConnectionString))
        {
            connection.Open();
            using var downgrade = new NpgsqlCommand("""
                DROP TABLE chami_boot_configurations;
                UPDATE chami_boot_params SET doc = doc - 'Configs' - 'Config' - 'Name' - 'Priority';
                UPDATE chami_schema SET version = 4;
                """, connection);
            downgrade.ExecuteNonQuery();
        }
        using (var reopened = PostgresStore.Open(TestStores.OptionsFor(schema))) AssertMigrated(reopened, before);
    }
}
