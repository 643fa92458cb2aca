using LiteDB;
using OpenChami.Core.Errors;
using OpenChami.Core.Inventory;
using OpenChami.Core.Model;
using OpenChami.Core.Storage;
using OpenChami.Core.Tests.Support;

namespace OpenChami.Core.Tests.Storage;

public sealed class LiteDbStoreTests
{
    [Trait("Backend", TestStores.LiteDbOnly)]
    [Fact]
    public void Data_survives_closing_and_reopening_the_file()
    {
        using var temp = new TempDirectory();
        var path = temp.File("inventory.db");
        using (var store = LiteDbStore.OpenFile(path))
        {
            new NodeService(store).Create(new NewNodeRequest { Xname = "x1000c0s0b0n0", MacAddress = ["52:54:00:be:ef:01"], Group = ["compute"] });
        }
        using (var reopened = LiteDbStore.OpenFile(path))
        {
            var node = new NodeService(reopened).Get("x1000c0s0b0n0");
            Assert.Equal(["52:54:00:be:ef:01"], node.MacAddress);
            Assert.Equal(["compute"], node.Groups);
            Assert.Equal(StoreSchema.CurrentVersion, reopened.SchemaVersion);
        }
    }

    [Trait("Backend", TestStores.LiteDbOnly)]
    [Fact]
    public void A_file_with_a_newer_schema_is_refused_clearly()
    {
        using var temp = new TempDirectory();
        var path = temp.File("future.db");
        using (var raw = new LiteDatabase(path)) raw.UserVersion = StoreSchema.CurrentVersion + 1;
        var ex = Assert.Throws<ChamiException>(() => LiteDbStore.OpenFile(path));
        Assert.Equal("DatabaseSchemaTooNew", ex.ErrorId);
        Assert.Contains($"schema version {StoreSchema.CurrentVersion + 1}", ex.Message);
    }

    [Fact]
    public void A_failed_write_leaves_the_store_as_it_was()
    {
        using var store = TestStores.Create();
        var components = new ComponentService(store);
        components.Create(new Component { ID = "x1000c0s0b0n0", State = HmsState.On });
        Assert.Throws<ChamiException>(() => store.Write(s =>
        {
            s.Collection<Component>().Insert(new Component { ID = "x1000c0s0b0n1", Type = OpenChami.Core.Xnames.HmsType.Node });
            s.Collection<Component>().Insert(new Component { ID = "x1000c0s0b0n0", Type = OpenChami.Core.Xnames.HmsType.Node }); // duplicate
        }));
        Assert.Null(components.Find("x1000c0s0b0n1"));
        Assert.Single(components.Query(new ComponentQuery()));
    }

    [Trait("Backend", TestStores.LiteDbOnly)]
    [Fact]
    public void Two_stores_on_one_file_see_each_others_writes()
    {
        // Shared mode is what lets a server under systemd and an operator's prompt use one file.
        using var temp = new TempDirectory();
        var path = temp.File("shared.db");
        using var server = LiteDbStore.OpenFile(path);
        using var prompt = LiteDbStore.OpenFile(path);
        new NodeService(prompt).Create(new NewNodeRequest { Xname = "x1c0s0b0n0", MacAddress = ["aa:bb:cc:dd:ee:01"] });
        Assert.NotNull(new NodeService(server).Find("x1c0s0b0n0"));
        new NodeService(server).Remove("x1c0s0b0n0");
        Assert.Null(new NodeService(prompt).Find("x1c0s0b0n0"));
    }

    [Trait("Backend", TestStores.LiteDbOnly)]
    [Fact]
    public void The_registry_shares_one_store_per_file_and_closes_it_on_the_last_release()
    {
        using var temp = new TempDirectory();
        var path = temp.File("registry.db");
        var first = StoreRegistry.Acquire(path);
        var second = StoreRegistry.Acquire(Path.Combine(temp.Path, ".", "registry.db"));
        Assert.Same(first, second);
        StoreRegistry.Release(first);
        Assert.Contains(Path.GetFullPath(path), StoreRegistry.OpenPaths);
        StoreRegistry.Release(second);
        Assert.DoesNotContain(Path.GetFullPath(path), StoreRegistry.OpenPaths);
        Assert.Throws<ObjectDisposedException>(() => first.Read(_ => 0));
    }

    [Fact]
    public void Indexed_typed_queries_find_by_nested_list_members()
    {
        using var store = TestStores.Create();
        var nodes = new NodeService(store);
        nodes.Create(new NewNodeRequest { Xname = "x1c0s0b0n0", Group = ["compute", "slurm"] });
        nodes.Create(new NewNodeRequest { Xname = "x1c0s0b0n1", Group = ["compute"] });
        var groups = new GroupService(store);
        Assert.Equal(["compute", "slurm"], groups.LabelsOf("x1c0s0b0n0").Order());
        Assert.Equal(["compute"], groups.LabelsOf("x1c0s0b0n1"));
    }
}
