using System.Net;
using Npgsql;
using OpenChami.Core.Audit;
using OpenChami.Core.Errors;
using OpenChami.Core.Model;
using OpenChami.Core.Security;
using OpenChami.Core.Storage;
using OpenChami.Core.Storage.Postgres;
using OpenChami.Core.Tests.Support;
using OpenChami.Core.Xnames;

namespace OpenChami.Core.Tests.Storage;

/// <summary>What only a shared PostgreSQL database brings: several servers, migrations racing, credentials.</summary>
[Trait("Backend", TestStores.PostgresOnly)]
public sealed class PostgresStoreTests
{
    [Fact]
    public async Task Two_servers_incrementing_the_same_document_never_lose_an_update()
    {
        var schema = TestStores.NewSchema();
        // Two stores = two connection pools = two servers on one database.
        using var first = PostgresStore.Open(TestStores.OptionsFor(schema));
        using var second = PostgresStore.Open(TestStores.OptionsFor(schema));
        first.Write(s => s.Collection<Component>().Insert(new Component { ID = "x1000c0s0b0n0", Type = HmsType.Node, NID = 0 }));
        const int perWriter = 40;
        void Increment(IChamiStore store)
        {
            for (var i = 0; i < perWriter; i++)
            {
                store.Write(s =>
                {
                    var components = s.Collection<Component>();
                    var node = components.Get("x1000c0s0b0n0")!;
                    node.NID += 1;
                    components.Update(node);
                });
            }
        }
        var writers = new[] { first, second, first, second }.Select(store => Task.Run(() => Increment(store))).ToArray();
        await Task.WhenAll(writers).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(4 * perWriter, second.Read(s => s.Collection<Component>().Get("x1000c0s0b0n0")!.NID));
        Assert.Equal(4 * perWriter, first.Read(s => s.Collection<AuditEntry>().Find(a => a.Operation == AuditOperation.Update).Count));
    }

    [Fact]
    public async Task Servers_starting_at_once_on_an_empty_database_create_the_schema_once()
    {
        var schema = TestStores.NewSchema();
        var stores = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => PostgresStore.Open(TestStores.OptionsFor(schema))))).WaitAsync(TimeSpan.FromSeconds(60));
        try
        {
            Assert.All(stores, s => Assert.Equal(StoreSchema.CurrentVersion, s.SchemaVersion));
            using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(TestStores.ServerConnectionString) { SearchPath = schema }.ConnectionString);
            connection.Open();
            using var count = new NpgsqlCommand("SELECT count(*) FROM information_schema.tables WHERE table_schema = $1", connection) { Parameters = { new() { Value = schema } } };
            Assert.Equal(StoreSchema.Collections.Count + 1, Convert.ToInt32(count.ExecuteScalar()));
        }
        finally
        {
            foreach (var store in stores) store.Dispose();
        }
    }

    [Fact]
    public void A_database_with_a_newer_schema_is_refused_clearly()
    {
        var schema = TestStores.NewSchema();
        using (var store = PostgresStore.Open(TestStores.OptionsFor(schema))) { }
        using (var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(TestStores.ServerConnectionString) { SearchPath = schema }.ConnectionString))
        {
            connection.Open();
            using var bump = new NpgsqlCommand($"UPDATE chami_schema SET version = {StoreSchema.CurrentVersion + 1}", connection);
            bump.ExecuteNonQuery();
        }
        var ex = Assert.Throws<ChamiException>(() => PostgresStore.Open(TestStores.OptionsFor(schema)));
        Assert.Equal("DatabaseSchemaTooNew", ex.ErrorId);
        Assert.Equal(ChamiErrorKind.NotSupported, ex.Kind);
    }

    [Fact]
    public void Opening_a_schema_3_database_moves_members_into_their_own_rows()
    {
        var schema = TestStores.NewSchema();
        using (var store = PostgresStore.Open(TestStores.OptionsFor(schema)))
        {
            var services = new ChamiServices(store);
            foreach (var n in new[] { 0, 1, 2 }) services.Nodes.Create(new OpenChami.Core.Inventory.NewNodeRequest { Xname = $"x1c0s{n}b0n0" });
        }
        // What a schema-3 database held: member lists inside the group and partition documents, the label index beside them.
        using (var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(TestStores.ServerConnectionString) { SearchPath = schema }.ConnectionString))
        {
            connection.Open();
            using var downgrade = new NpgsqlCommand("""
                DROP TABLE chami_group_members; DROP TABLE chami_partition_members;
                INSERT INTO chami_groups (id, doc) VALUES
                    ('compute', '{"Label":"compute","Description":"","Members":{"Ids":["x1c0s2b0n0","x1c0s0b0n0","x1c0s1b0n0"]}}'),
                    ('gpu', '{"Label":"gpu","Description":"","ExclusiveGroup":"kind","Members":{"Ids":["x1c0s0b0n0"]}}'),
                    ('cpu', '{"Label":"cpu","Description":"","ExclusiveGroup":"kind","Members":{"Ids":[]}}');
                INSERT INTO chami_partitions (id, doc) VALUES ('p1', '{"Name":"p1","Members":{"Ids":["x1c0s1b0n0","x1c0s0b0n0"]}}');
                INSERT INTO chami_group_memberships (id, doc) VALUES ('x1c0s0b0n0', '{"ID":"x1c0s0b0n0","Labels":["compute","gpu"]}');
                UPDATE chami_schema SET version = 3;
                """, connection);
            downgrade.ExecuteNonQuery();
        }
        using (var store = PostgresStore.Open(TestStores.OptionsFor(schema)))
        {
            var services = new ChamiServices(store);
            Assert.Equal(StoreSchema.CurrentVersion, store.SchemaVersion);
            Assert.Equal(["x1c0s2b0n0", "x1c0s0b0n0", "x1c0s1b0n0"], services.Groups.Get("compute").Members.Ids);
            Assert.Equal(["compute", "gpu"], services.Groups.LabelsOf("x1c0s0b0n0"));
            Assert.Equal(["compute"], services.Groups.LabelsOf("x1c0s2b0n0"));
            Assert.Equal(["x1c0s1b0n0", "x1c0s0b0n0"], services.Partitions.Get("p1").Members.Ids);
            Assert.Equal("ExclusiveGroupConflict", Assert.Throws<ChamiException>(() => services.Groups.AddMember("cpu", "x1c0s0b0n0")).ErrorId);
            Assert.Equal("PartitionMemberConflict", Assert.Throws<ChamiException>(() =>
            {
                services.Partitions.Create(new Partition { Name = "p2" });
                services.Partitions.AddMember("p2", "x1c0s0b0n0");
            }).ErrorId);
            services.Groups.AddMember("cpu", "x1c0s2b0n0");
            Assert.Equal(["x1c0s2b0n0"], services.Groups.Get("cpu").Members.Ids);
        }
        using (var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(TestStores.ServerConnectionString) { SearchPath = schema }.ConnectionString))
        {
            connection.Open();
            using var left = new NpgsqlCommand("SELECT (SELECT count(*) FROM chami_groups WHERE doc ? 'Members') + (SELECT count(*) FROM chami_partitions WHERE doc ? 'Members')", connection);
            Assert.Equal(0L, Convert.ToInt64(left.ExecuteScalar()));
        }
    }

    [Fact]
    public void A_duplicate_is_ResourceExists_and_the_failed_write_changes_nothing()
    {
        using var store = TestStores.CreatePostgres();
        store.Write(s => s.Collection<Component>().Insert(new Component { ID = "x1000c0s0b0n0", Type = HmsType.Node }));
        var ex = Assert.Throws<ChamiException>(() => store.Write(s =>
        {
            s.Collection<Component>().Insert(new Component { ID = "x1000c0s0b0n1", Type = HmsType.Node });
            s.Collection<Component>().InsertMany([new Component { ID = "x1000c0s0b0n2", Type = HmsType.Node }, new Component { ID = "x1000c0s0b0n0", Type = HmsType.Node }]);
        }));
        Assert.Equal("ResourceExists", ex.ErrorId);
        Assert.Equal(ChamiErrorKind.Conflict, ex.Kind);
        Assert.Equal(["x1000c0s0b0n0"], store.Read(s => s.Collection<Component>().All()).Select(c => c.ID));
        Assert.Single(store.Read(s => s.Collection<AuditEntry>().All()));
    }

    [Fact]
    public void A_unique_violation_from_the_database_itself_maps_to_ResourceExists()
    {
        var schema = TestStores.NewSchema();
        using var store = PostgresStore.Open(TestStores.OptionsFor(schema));
        using var other = PostgresStore.Open(TestStores.OptionsFor(schema));
        store.Write(s => s.Collection<Component>().Insert(new Component { ID = "x1000c0s0b0n0", Type = HmsType.Node }));
        // The copier inserts without the Exists check: the primary key is what refuses it.
        var ex = Assert.Throws<ChamiException>(() => other.Write(s =>
            ((IVerbatimCollection)s.Collection<Component>()).InsertVerbatim([new Component { ID = "x1000c0s0b0n0", Type = HmsType.Node }])));
        Assert.Equal("ResourceExists", ex.ErrorId);
    }

    [Fact]
    public void The_password_never_appears_in_the_location_or_in_errors()
    {
        var server = new NpgsqlConnectionStringBuilder(TestStores.ServerConnectionString);
        var secret = "S3cret-" + Guid.NewGuid().ToString("N");
        var schema = TestStores.NewSchema();
        var uri = $"postgresql://{server.Username}:{secret}@{server.Host}:{server.Port}/{server.Database}?search_path={schema}";
        var ex = Assert.Throws<ChamiException>(() => PostgresStore.Open(new PostgresStoreOptions { ConnectionString = uri }));
        Assert.Equal("DatabaseOpenFailed", ex.ErrorId);
        Assert.Equal(ChamiErrorKind.Unavailable, ex.Kind);
        Assert.DoesNotContain(secret, ex.ToString(), StringComparison.Ordinal);
        Assert.Contains($"postgresql://{server.Username}@{server.Host}:{server.Port}/{server.Database}", ex.Message, StringComparison.Ordinal);

        // The same URI with the right password given as a credential (a PSCredential's NetworkCredential) connects.
        using var store = PostgresStore.Open(new PostgresStoreOptions
        {
            ConnectionString = uri,
            Credential = new NetworkCredential(server.Username, server.Password),
            KeyDirectory = TestStores.OptionsFor(schema).KeyDirectory,
        });
        Assert.Equal($"postgresql://{server.Username}@{server.Host}:{server.Port}/{server.Database}?search_path={schema}", store.Location);
        Assert.DoesNotContain(server.Password!, store.Location, StringComparison.Ordinal);
        Assert.Equal("postgresql", store.BackendName);
        Assert.False(store.IsInMemory);
    }

    [Fact]
    public void Without_a_password_in_the_connection_string_the_pgpass_file_supplies_it()
    {
        var server = new NpgsqlConnectionStringBuilder(TestStores.ServerConnectionString);
        var schema = TestStores.NewSchema();
        using var temp = new TempDirectory();
        var passfile = temp.File("pgpass");
        File.WriteAllText(passfile, $"{server.Host}:{server.Port}:{server.Database}:{server.Username}:{server.Password}\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(passfile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var withoutPassword = $"Host={server.Host};Port={server.Port};Database={server.Database};Username={server.Username};Search Path={schema}";

        using (var store = PostgresStore.Open(new PostgresStoreOptions { ConnectionString = withoutPassword + $";Passfile={passfile}", KeyDirectory = temp.File("keys") }))
        {
            Assert.Equal(StoreSchema.CurrentVersion, store.SchemaVersion);
        }
        File.WriteAllText(passfile, $"{server.Host}:{server.Port}:{server.Database}:{server.Username}:wrong\n");
        var ex = Assert.Throws<ChamiException>(() => PostgresStore.Open(new PostgresStoreOptions { ConnectionString = withoutPassword + $";Passfile={passfile}" }));
        Assert.Equal("DatabaseOpenFailed", ex.ErrorId);
    }

    [Fact]
    public void A_server_that_is_not_there_is_DatabaseOpenFailed()
    {
        var ex = Assert.Throws<ChamiException>(() => PostgresStore.Open(new PostgresStoreOptions
        {
            ConnectionString = "Host=127.0.0.1;Port=1;Username=nobody;Password=pw-not-shown;Timeout=3",
        }));
        Assert.Equal("DatabaseOpenFailed", ex.ErrorId);
        Assert.DoesNotContain("pw-not-shown", ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Keys_live_in_a_folder_outside_the_database()
    {
        var schema = TestStores.NewSchema();
        using var temp = new TempDirectory();
        var options = TestStores.OptionsFor(schema, temp.File("keys"));
        using var store = PostgresStore.Open(options);
        Assert.Equal(temp.File("keys"), store.KeyDirectory);
        var key = KeyRing.For(store).GetOrCreateKey("test.key");
        Assert.True(File.Exists(Path.Combine(temp.File("keys"), "test.key")));
        using var again = PostgresStore.Open(options);
        Assert.Equal(key, KeyRing.For(again).GetOrCreateKey("test.key"));
    }

    [Fact]
    public void The_registry_shares_one_store_per_database_and_user()
    {
        var options = TestStores.OptionsFor(TestStores.NewSchema());
        var a = StoreRegistry.AcquirePostgres(options);
        var b = StoreRegistry.AcquirePostgres(options);
        Assert.Same(a, b);
        StoreRegistry.Release(a);
        Assert.Equal(StoreSchema.CurrentVersion, b.SchemaVersion);
        StoreRegistry.Release(b);
        Assert.Throws<ObjectDisposedException>(() => b.SchemaVersion);
    }

    [Fact]
    public void A_read_sees_one_snapshot_while_another_server_writes()
    {
        var schema = TestStores.NewSchema();
        using var reader = PostgresStore.Open(TestStores.OptionsFor(schema));
        using var writer = PostgresStore.Open(TestStores.OptionsFor(schema));
        var (before, after) = reader.Read(s =>
        {
            using (var characteristics = ((PostgresStore.PostgresSession)s).Command("SELECT current_setting('transaction_isolation') || ',' || current_setting('transaction_read_only')"))
            {
                Assert.Equal("repeatable read,on", characteristics.ExecuteScalar());
            }
            var first = s.Collection<Component>().Count();
            writer.Write(w => w.Collection<Component>().Insert(new Component { ID = "x1000c0s0b0n0", Type = HmsType.Node }));
            return (first, s.Collection<Component>().Count());
        });
        Assert.Equal(0, before);
        Assert.Equal(0, after);
        Assert.Equal(1, reader.Read(s => s.Collection<Component>().Count()));
        // A write inside a read is refused by the database, never silently half-applied.
        var ex = Assert.Throws<ChamiException>(() => reader.Read(s =>
        {
            s.Collection<Component>().Insert(new Component { ID = "x1000c0s0b0n1", Type = HmsType.Node });
            return 0;
        }));
        Assert.Equal("DatabaseError", ex.ErrorId);
        Assert.Equal(1, writer.Read(s => s.Collection<Component>().Count()));
    }
}

/// <summary>Two servers (two Kestrels, two stores) on one PostgreSQL database, edited at once over HTTP.</summary>
[Trait("Backend", TestStores.PostgresOnly)]
public sealed class PostgresTwoServerTests
{
    [Fact]
    public async Task Concurrent_member_additions_through_two_servers_never_lose_an_update()
    {
        var schema = TestStores.NewSchema();
        await using var first = await TestServer.StartAsync(PostgresStore.Open(TestStores.OptionsFor(schema)));
        await using var second = await TestServer.StartAsync(PostgresStore.Open(TestStores.OptionsFor(schema)));
        var ids = Enumerable.Range(0, 60).Select(i => $"x1000c0s{i}b0n0").ToList();
        first.Services.Store.Write(s => s.Collection<Component>().InsertMany(ids.Select(id => new Component { ID = id, Type = HmsType.Node })));
        Assert.Equal(System.Net.HttpStatusCode.Created, (await first.SendJsonAsync(HttpMethod.Post, "/hsm/v2/groups", """{"label":"compute","members":{"ids":[]}}""")).StatusCode);

        // Each addition writes a member document and updates the per-node index: a lost update would drop an ID.
        async Task AddAll(TestServer server, IEnumerable<string> mine)
        {
            foreach (var id in mine)
            {
                using var response = await server.SendJsonAsync(HttpMethod.Post, "/hsm/v2/groups/compute/members", $$"""{"id":"{{id}}"}""");
                Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
            }
        }
        await Task.WhenAll(
            Task.Run(() => AddAll(first, ids.Where((_, i) => i % 2 == 0))),
            Task.Run(() => AddAll(second, ids.Where((_, i) => i % 2 == 1)))).WaitAsync(TimeSpan.FromSeconds(90));

        var members = await TestServer.ReadJsonAsync(await second.Client.GetAsync("/hsm/v2/groups/compute/members"));
        Assert.Equal(ids.Order(StringComparer.Ordinal), members["ids"]!.AsArray().Select(n => (string)n!).Order(StringComparer.Ordinal));
        // The derived index and the journal moved in step with every one of them.
        Assert.Equal(ids.Count, first.Services.Store.Read(s => s.Collection<GroupMembership>().Count()));
        Assert.Equal(ids.Count, first.Services.Store.Read(s => s.Collection<AuditEntry>().Find(a => a.Collection == "group_members" && a.Operation == AuditOperation.Insert).Count)); // one small "member added" entry each
    }
}
