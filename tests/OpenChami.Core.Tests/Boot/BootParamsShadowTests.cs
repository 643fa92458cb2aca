using OpenChami.Core.Boot;
using OpenChami.Core.Inventory;
using OpenChami.Core.Model;
using OpenChami.Core.Storage;
using OpenChami.Core.Tests.Support;
using static OpenChami.Core.Tests.Boot.BssTestData;

namespace OpenChami.Core.Tests.Boot;

/// <summary>Set-ChamiBootParams reports the nodes a written entry does not reach because a more specific one outranks it.</summary>
public sealed class BootParamsShadowTests
{
    /// <summary>A store on the test backend and the services over it.</summary>
    private sealed class Lab : IDisposable
    {
        public Lab(IChamiStore? store = null)
        {
            Store = store ?? TestStores.Create();
            Services = new ChamiServices(Store);
        }

        public IChamiStore Store { get; }
        public ChamiServices Services { get; }

        public void Dispose() => Store.Dispose();
    }

    private static BootParamsEdit Kernel(string kernel) => new() { Kernel = kernel };

    private static void Node(ChamiServices services, string xname, long nid, string mac, string role = "Compute", HmsArch? arch = null, params string[] groups) =>
        services.Nodes.Create(new NewNodeRequest { Xname = xname, Nid = nid, Role = role, MacAddress = [mac], Group = groups, Arch = arch });

    [Fact]
    public void A_mac_entry_under_a_node_entry_names_the_node_entry()
    {
        using var lab = new Lab();
        var services = lab.Services;
        Node(services, Xname, 1, Mac);
        services.BootParams.Apply([BootIdentity.Host(Xname)], Kernel("http://k/node"));

        var change = Assert.Single(services.BootParams.Apply([BootIdentity.Mac(Mac)], Kernel("http://k/mac")));

        var shadow = Assert.Single(change.Shadows);
        Assert.Equal(Xname, shadow.Xname);
        Assert.Equal(BootIdentity.Mac(Mac), shadow.Written);
        Assert.Equal(BootIdentity.Host(Xname), shadow.Winner);
        Assert.Equal("x1000c0s0b0n0: the boot parameters set for MAC 52:54:00:be:ef:01 do not apply: the node-level entry for x1000c0s0b0n0 outranks them", shadow.Message);
        // The entry is written all the same (a warning, not a refusal), and the node still boots its own.
        Assert.Single(services.BootParams.GetEntries(), e => e.Kind == BootIdentityKind.Mac);
        Assert.Equal("host:x1000c0s0b0n0", services.BootScripts.Resolve(new BootRequest { Mac = Mac }).Source);
    }

    [Fact]
    public void A_group_entry_warns_only_for_the_members_with_closer_entries()
    {
        using var lab = new Lab();
        var services = lab.Services;
        Node(services, "x1000c0s0b0n0", 1, Mac, groups: "compute");
        Node(services, "x1000c0s0b0n1", 2, Mac2, groups: "compute");
        Node(services, "x1000c0s0b0n2", 3, "52:54:00:be:ef:03", groups: "compute");
        Node(services, "x1000c0s0b0n3", 4, "52:54:00:be:ef:04"); // not a member: never reported
        services.BootParams.Apply([BootIdentity.Host("x1000c0s0b0n1")], Kernel("http://k/node"));
        services.BootParams.Apply([BootIdentity.Host("x1000c0s0b0n3")], Kernel("http://k/node"));
        services.BootParams.Apply([BootIdentity.Nid(3)], Kernel("http://k/nid"));

        var change = Assert.Single(services.BootParams.Apply([BootIdentity.Group("compute")], Kernel("http://k/group")));

        Assert.Equal(
            ["x1000c0s0b0n1 <- host:x1000c0s0b0n1", "x1000c0s0b0n2 <- nid:3"],
            change.Shadows.Select(s => $"{s.Xname} <- {BootIdentity.KindName(s.Winner.Kind)}:{s.Winner.Value}").Order(StringComparer.Ordinal));
        Assert.Contains("the boot parameters set for group compute do not apply: the entry for NID 3 outranks them", change.Shadows.Single(s => s.Xname == "x1000c0s0b0n2").Message);
    }

    [Fact]
    public void A_default_entry_warns_per_outranked_node_and_counts_architecture_variants()
    {
        using var lab = new Lab();
        var services = lab.Services;
        for (var i = 0; i < 40; i++) Node(services, XnameOf(i), i + 1, $"52:54:00:00:01:{i:x2}", role: i < 30 ? "Compute" : "Service", arch: i == 39 ? HmsArch.ARM : HmsArch.X86);
        services.BootParams.Apply([BootIdentity.Host(XnameOf(0)), BootIdentity.Host(XnameOf(7))], Kernel("http://k/node"));
        services.BootParams.Apply([BootIdentity.Mac("52:54:00:00:01:05")], Kernel("http://k/mac"));
        services.BootParams.Apply([new BootIdentity(BootIdentityKind.Tag, "Service")], Kernel("http://k/service"));
        services.BootParams.Apply([new BootIdentity(BootIdentityKind.Tag, BootIdentity.DefaultTag, "arm64")], Kernel("http://k/arm"));

        var change = Assert.Single(services.BootParams.Apply([new BootIdentity(BootIdentityKind.Tag, BootIdentity.DefaultTag)], Kernel("http://k/default")));

        var winners = change.Shadows.ToDictionary(s => s.Xname, s => s.Winner);
        Assert.Equal(13, winners.Count); // 2 node entries, 1 MAC, 10 Service nodes (the ARM one by its role: role outranks Default|arm64)
        Assert.Equal(BootIdentity.Host(XnameOf(0)), winners[XnameOf(0)]);
        Assert.Equal(BootIdentity.Mac("52:54:00:00:01:05"), winners[XnameOf(5)]);
        Assert.Equal(new BootIdentity(BootIdentityKind.Tag, "Service"), winners[XnameOf(39)]);
        Assert.Contains("the boot parameters set for Default do not apply: the entry for role Service outranks them", change.Shadows.Single(s => s.Xname == XnameOf(30)).Message);
        Assert.DoesNotContain(XnameOf(1), winners.Keys);

        // Without the role entry the ARM node boots the Default arm64 variant rather than what was just written.
        services.BootParams.Remove([new BootIdentity(BootIdentityKind.Tag, "Service")], exactArch: false);
        var again = Assert.Single(services.BootParams.Apply([new BootIdentity(BootIdentityKind.Tag, BootIdentity.DefaultTag)], Kernel("http://k/default2")));
        var arm = Assert.Single(again.Shadows, s => s.Xname == XnameOf(39));
        Assert.Equal(new BootIdentity(BootIdentityKind.Tag, BootIdentity.DefaultTag, "arm64"), arm.Winner);
        Assert.EndsWith("do not apply: the Default entry (arm64) outranks them", arm.Message);
        Assert.Equal(4, again.Shadows.Count);
    }

    [Fact]
    public void Nothing_is_reported_when_nothing_outranks_the_written_entry()
    {
        using var lab = new Lab();
        var services = lab.Services;
        Node(services, "x1000c0s0b0n0", 1, Mac, groups: "compute");
        Node(services, "x1000c0s0b0n1", 2, Mac2, groups: "compute");
        services.BootParams.Apply([BootIdentity.Group("compute")], Kernel("http://k/group"));

        // More specific than what exists, or an architecture variant for nodes of another architecture: all reach their nodes.
        Assert.Empty(services.BootParams.Apply([BootIdentity.Mac(Mac)], Kernel("http://k/mac")).Single().Shadows);
        Assert.Empty(services.BootParams.Apply([BootIdentity.Host("x1000c0s0b0n1")], Kernel("http://k/node")).Single().Shadows);
        Assert.Empty(services.BootParams.Apply([BootIdentity.Nid(7)], Kernel("http://k/nobody")).Single().Shadows);
        Assert.Empty(services.BootParams.Apply([BootIdentity.UnknownTag("x86_64")], Kernel("http://k/discovery")).Single().Shadows);
        var defaultOnly = new BootIdentity(BootIdentityKind.Tag, BootIdentity.DefaultTag);
        using var fresh = new Lab();
        Node(fresh.Services, "x1000c0s0b0n0", 1, Mac);
        Assert.Empty(fresh.Services.BootParams.Apply([defaultOnly], Kernel("http://k/default")).Single().Shadows);
    }

    [Fact]
    public void A_preview_reports_what_the_batch_would_outrank_without_writing()
    {
        using var lab = new Lab();
        var services = lab.Services;
        Node(services, Xname, 1, Mac);

        // The node entry in the same batch outranks the MAC entry: the preview counts the batch as written.
        var ids = new[] { BootIdentity.Mac(Mac), BootIdentity.Host(Xname) };
        var preview = services.BootParams.Preview(ids, Kernel("http://k/new"), shadows: true);
        Assert.Equal(BootIdentity.Host(Xname), Assert.Single(preview.Single(c => c.Identity.Kind == BootIdentityKind.Mac).Shadows).Winner);
        Assert.Empty(preview.Single(c => c.Identity.Kind == BootIdentityKind.Host).Shadows);
        Assert.Empty(services.BootParams.GetEntries());
        Assert.All(services.BootParams.Preview(ids, Kernel("http://k/new")), c => Assert.Empty(c.Shadows)); // not asked: not computed

        var applied = services.BootParams.Apply(ids, Kernel("http://k/new"));
        Assert.Equal(preview.Select(c => c.Shadows.Count), applied.Select(c => c.Shadows.Count));
    }

    [Fact]
    public void Checking_a_small_write_reads_no_whole_collection()
    {
        using var lab = new Lab(new ScanCountingStore(TestStores.Create()));
        var store = (ScanCountingStore)lab.Store;
        var services = lab.Services;
        for (var i = 0; i < 200; i++) Node(services, XnameOf(i), i + 1, $"52:54:00:00:02:{i:x2}", groups: i < 3 ? ["small"] : []);
        services.BootParams.Apply([BootIdentity.Host(XnameOf(1))], Kernel("http://k/node"));
        store.Reset();

        // A new group with 3 members and a MAC: one resolution per affected node, no pass over nodes, NICs, memberships or entries.
        var changes = services.BootParams.Apply([BootIdentity.Group("small"), BootIdentity.Mac("52:54:00:00:02:05")], Kernel("http://k/g"));

        Assert.Equal(XnameOf(1), Assert.Single(changes.SelectMany(c => c.Shadows)).Xname);
        Assert.DoesNotContain(store.Scans, p => p.Value > 0 && p.Key is nameof(Component) or nameof(EthernetInterface) or nameof(GroupMembership) or nameof(GroupMember) or nameof(BootParamsEntry));
    }
}
