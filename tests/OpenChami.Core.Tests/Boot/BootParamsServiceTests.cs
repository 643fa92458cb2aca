using OpenChami.Core.Boot;
using OpenChami.Core.Errors;
using OpenChami.Core.Inventory;
using OpenChami.Core.Storage;
using OpenChami.Core.Tests.Support;

namespace OpenChami.Core.Tests.Boot;

public sealed class BootParamsServiceTests
{
    [Theory]
    [InlineData("a b=1 c", new[] { "d", "b=2" }, new string[0], "a b=2 c d")]
    [InlineData("a b=1 console=tty0 console=ttyS0", new string[0], new[] { "console" }, "a b=1")]
    [InlineData("a b=1 b=2", new string[0], new[] { "b=1" }, "a b=2")]
    [InlineData("quiet", new[] { "quiet" }, new string[0], "quiet")]
    public void Kernel_arguments_are_edited_by_token(string line, string[] add, string[] remove, string expected) =>
        Assert.Equal(expected, KernelParams.Edit(line, add, remove));

    [Fact]
    public void Building_a_command_line_without_stored_params_has_no_stray_spaces() =>
        Assert.Equal("initrd=initrd xname=x1c0s0b0n0 BOOTIF=01-aa-bb-cc-dd-ee-ff ds=nocloud-net;s=http://h/cloud-init/",
            KernelParams.Build("  ", "x1c0s0b0n0", null, "aa:bb:cc:dd:ee:ff", "http://h/cloud-init/", hasInitrd: true));

    [Fact]
    public void Ten_thousand_nodes_are_one_transaction_and_one_bad_node_applies_none()
    {
        using var store = TestStores.Create();
        var services = new ChamiServices(store);
        store.Write(s =>
        {
            for (var i = 0; i < 10_000; i++) NodeService.Create(s, NodeService.Prepare(new NewNodeRequest { Xname = BssTestData.XnameOf(i), Nid = i + 1 }));
        });
        services.BootParams.Replace(new BootParams { Hosts = ["Default"], Kernel = "http://k/old", Params = "quiet" });
        var ids = services.Nodes.Query(new NodeQuery()).Select(n => BootIdentity.Host(n.Xname)).ToList();
        Assert.Equal(10_000, ids.Count);
        var before = services.BootParams.WriteTransactions;
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var edit = new BootParamsEdit { Kernel = "http://k/new" };
        edit.AddParams.Add("debug");
        var changes = services.BootParams.Apply(ids, edit);
        Assert.Equal(10_000, changes.Count);
        Assert.Equal(before + 1, services.BootParams.WriteTransactions);
        Console.WriteLine($"10,000-node boot parameter edit: {clock.Elapsed.TotalSeconds:F2} s");
        Assert.All(changes, c => Assert.Equal("tag:Default", c.InheritedFrom));
        Assert.Equal(10_001, services.BootParams.GetEntries().Count);
        Assert.Equal("quiet debug", services.BootParams.GetEntries().First(e => e.Kind == BootIdentityKind.Host).Params);

        // An identity that can't be edited (no kernel anywhere) makes the whole batch fail: nothing changes.
        var withBad = ids.Take(5000).Append(BootIdentity.Group("nokernel")).Concat(ids.Skip(5000)).ToList();
        var failing = new BootParamsEdit();
        failing.AddParams.Add("loglevel=7");
        var ex = Assert.Throws<ChamiException>(() => services.BootParams.Apply(withBad, failing));
        Assert.Equal("BootKernelRequired", ex.ErrorId);
        Assert.DoesNotContain(services.BootParams.GetEntries(), e => e.Params.Contains("loglevel"));
    }
}
