using OpenChami.Core.Inventory;
using OpenChami.Core.Model;
using OpenChami.Core.Tests.Support;
using OpenChami.Core.Xnames;

namespace OpenChami.Core.Tests.Inventory;

/// <summary>
/// Per-item paths must not read the whole cluster (bench/Growth.Bench.ps1 flags them by time; these catch them by
/// structure): the store counts whole-collection reads while the path runs.
/// </summary>
public sealed class PerItemCostTests : IDisposable
{
    private readonly ScanCountingStore store = new(TestStores.Create());

    public PerItemCostTests()
    {
        var nodes = new NodeService(store);
        for (var i = 0; i < 12; i++)
        {
            nodes.Create(new NewNodeRequest
            {
                Xname = $"x1000c0s{i}b0n0",
                MacAddress = [$"02:00:00:00:00:{i:x2}"],
                IPAddress = [$"10.0.0.{i + 1}"],
                Group = i < 4 ? ["compute", "rack1"] : ["compute"],
            });
        }
        store.Reset();
    }

    public void Dispose() => store.Dispose();

    [Fact]
    public void Nodes_of_a_named_group_are_read_by_key_not_by_listing_the_cluster()
    {
        var query = new NodeQuery();
        query.Group.Add("Rack1");
        var found = new NodeService(store).Query(query);

        Assert.Equal(["x1000c0s0b0n0", "x1000c0s1b0n0", "x1000c0s2b0n0", "x1000c0s3b0n0"], found.Select(n => n.Xname));
        Assert.All(found, n => Assert.Equal(["compute", "rack1"], n.Groups.Order(StringComparer.Ordinal)));
        Assert.Equal(["02:00:00:00:00:02"], found[2].MacAddress);
        Assert.Equal(["10.0.0.3"], found[2].IPAddress);
        Assert.Empty(store.Scans);
    }

    [Fact]
    public void Component_query_by_group_reads_only_that_group_and_its_members()
    {
        var query = new ComponentQuery();
        query.Groups.Add("rack1");
        query.Type.AddValue(HmsType.Node);
        var found = new ComponentService(store).Query(query);

        Assert.Equal(4, found.Count);
        Assert.Empty(store.Scans);
    }

    [Fact]
    public void Group_NULL_still_means_members_of_no_group()
    {
        new ComponentService(store).Create(new Component { ID = "x1000c0s20b0n0", State = HmsState.Ready });
        var query = new ComponentQuery();
        query.Groups.Add("NULL");
        query.Type.AddValue(HmsType.Node);

        Assert.Equal(["x1000c0s20b0n0"], new ComponentService(store).Query(query).Select(c => c.ID));
    }

    [Fact]
    public void Nodes_by_exact_xname_are_read_by_key_not_by_listing_the_cluster()
    {
        var query = new NodeQuery();
        query.Xname.Add("X1000C0S3B0N0");
        query.Xname.Add("x1000c0s5b0n0");
        var found = new NodeService(store).Query(query);

        Assert.Equal(["x1000c0s3b0n0", "x1000c0s5b0n0"], found.Select(n => n.Xname));
        Assert.Empty(store.Scans);

        query.Xname.Add("x1000c0s1*");
        Assert.Equal(["x1000c0s1b0n0", "x1000c0s3b0n0", "x1000c0s5b0n0", "x1000c0s10b0n0", "x1000c0s11b0n0"], new NodeService(store).Query(query).Select(n => n.Xname));
    }
}
