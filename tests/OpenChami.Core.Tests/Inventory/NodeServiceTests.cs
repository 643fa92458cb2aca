using OpenChami.Core.Tests.Support;
using OpenChami.Core.Errors;
using OpenChami.Core.Inventory;
using OpenChami.Core.Model;
using OpenChami.Core.Storage;

namespace OpenChami.Core.Tests.Inventory;

public sealed class NodeServiceTests
{
    private readonly IChamiStore store = TestStores.Create();

    private NodeService Nodes => new(store);

    [Fact]
    public void Create_registers_component_nics_and_groups_with_node_defaults()
    {
        var node = Nodes.Create(new NewNodeRequest
        {
            Xname = "X1000C0S0B0N0", MacAddress = ["52-54-00-BE-EF-01"], IPAddress = ["172.16.0.1"], Group = ["Compute"],
        });
        Assert.Equal("x1000c0s0b0n0", node.Xname);
        Assert.Equal(16400384, node.Nid);
        Assert.Equal("Compute", node.Role);
        Assert.Equal("x1000c0s0b0", node.Bmc);
        Assert.Equal(["52:54:00:be:ef:01"], node.MacAddress);
        Assert.Equal(["172.16.0.1"], node.IPAddress);
        Assert.Equal(["compute"], node.Groups);
        Assert.Equal("525400beef01", node.Interfaces[0].ID);
    }

    [Theory]
    [InlineData("x1000c0s0b0", "InvalidXnameType")]
    [InlineData("nonsense", "InvalidXname")]
    public void Create_refuses_what_is_not_a_node_xname(string xname, string errorId)
    {
        var ex = Assert.Throws<ChamiException>(() => Nodes.Create(new NewNodeRequest { Xname = xname }));
        Assert.Equal(errorId, ex.ErrorId);
        Assert.Equal(ChamiErrorKind.InvalidArgument, ex.Kind);
    }

    [Fact]
    public void A_duplicate_mac_is_a_conflict_and_writes_nothing()
    {
        Nodes.Create(new NewNodeRequest { Xname = "x1c0s0b0n0", MacAddress = ["aa:bb:cc:dd:ee:01"] });
        var ex = Assert.Throws<ChamiException>(() =>
            Nodes.Create(new NewNodeRequest { Xname = "x1c0s0b0n1", MacAddress = ["AA:BB:CC:DD:EE:01"], Group = ["new"] }));
        Assert.Equal("DuplicateMacAddress", ex.ErrorId);
        Assert.Null(Nodes.Find("x1c0s0b0n1"));
        Assert.Null(new GroupService(store).Find("new"));
    }

    [Theory]
    [InlineData("52:54:00:zz:ef:01")]
    [InlineData("52:54:00:be:ef")]
    public void Malformed_macs_are_refused(string mac)
    {
        var ex = Assert.Throws<ChamiException>(() => Nodes.Create(new NewNodeRequest { Xname = "x1c0s0b0n0", MacAddress = [mac] }));
        Assert.Equal("InvalidMacAddress", ex.ErrorId);
        Assert.Null(Nodes.Find("x1c0s0b0n0"));
    }

    [Theory]
    [InlineData("300.1.1.1")]
    [InlineData("10.1")]
    [InlineData("host.example")]
    public void Malformed_ips_are_refused(string ip)
    {
        var ex = Assert.Throws<ChamiException>(() => Nodes.Create(new NewNodeRequest { Xname = "x1c0s0b0n0", MacAddress = ["aa:bb:cc:dd:ee:01"], IPAddress = [ip] }));
        Assert.Equal("InvalidIPAddress", ex.ErrorId);
    }

    [Fact]
    public void Query_filters_by_wildcard_nid_mac_role_state_and_group()
    {
        Nodes.Create(new NewNodeRequest { Xname = "x1c0s0b0n0", Nid = 1, MacAddress = ["aa:bb:cc:dd:ee:01"], Group = ["compute"] });
        Nodes.Create(new NewNodeRequest { Xname = "x1c0s1b0n0", Nid = 2, Role = "Service", MacAddress = ["aa:bb:cc:dd:ee:02"] });
        Nodes.Create(new NewNodeRequest { Xname = "x1c0s10b0n0", Nid = 3, State = HmsState.Off, Group = ["compute"] });

        IReadOnlyList<string> Find(Action<NodeQuery> build)
        {
            var q = new NodeQuery();
            build(q);
            return Nodes.Query(q).Select(n => n.Xname).ToList();
        }

        Assert.Equal(["x1c0s0b0n0", "x1c0s1b0n0", "x1c0s10b0n0"], Find(_ => { }));
        Assert.Equal(["x1c0s1b0n0", "x1c0s10b0n0"], Find(q => q.Xname.Add("x1c0s1*")));
        Assert.Equal(["x1c0s1b0n0"], Find(q => q.Nid.Add(2)));
        Assert.Equal(["x1c0s1b0n0"], Find(q => q.MacAddress.Add("AABBCCDDEE02")));
        Assert.Equal(["x1c0s1b0n0"], Find(q => q.Role.Add("service")));
        Assert.Equal(["x1c0s10b0n0"], Find(q => q.State.Add(HmsState.Off)));
        Assert.Equal(["x1c0s0b0n0", "x1c0s10b0n0"], Find(q => q.Group.Add("compute")));
        Assert.Equal(["x1c0s0b0n0"], Find(q => { q.Group.Add("compute"); q.State.Add(HmsState.On); }));
    }

    [Fact]
    public void Remove_takes_the_nics_and_memberships_with_the_node()
    {
        Nodes.Create(new NewNodeRequest { Xname = "x1c0s0b0n0", MacAddress = ["aa:bb:cc:dd:ee:01"], Group = ["compute"] });
        var removed = Nodes.Remove("x1c0s0b0n0");
        Assert.Equal(["compute"], removed.Groups);
        Assert.Null(new EthernetInterfaceService(store).FindByMac("aa:bb:cc:dd:ee:01"));
        Assert.Empty(new GroupService(store).Get("compute").Members.Ids);
        Assert.Equal("NodeNotFound", Assert.Throws<ChamiException>(() => Nodes.Remove("x1c0s0b0n0")).ErrorId);
    }
}
