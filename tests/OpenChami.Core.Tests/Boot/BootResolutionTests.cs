using OpenChami.Core.Boot;
using OpenChami.Core.Model;
using OpenChami.Core.Tests.Support;
using static OpenChami.Core.Tests.Boot.BssTestData;

namespace OpenChami.Core.Tests.Boot;

public sealed class BootResolutionTests
{
    private static async Task<string> KernelLine(TestServer server, string query)
    {
        var script = await server.Client.GetStringAsync($"/boot/v1/bootscript?{query}");
        return script.Split('\n')[1];
    }

    private static Task Put(TestServer server, object body) =>
        server.SendJsonAsync(HttpMethod.Put, "/boot/v1/bootparameters", Json(body));

    [Fact]
    public async Task Each_level_wins_over_the_less_specific_ones_and_changes_show_on_the_next_request()
    {
        await using var server = await TestServer.StartAsync();
        server.Services.Nodes.Create(new Core.Inventory.NewNodeRequest { Xname = Xname, Nid = 1, Role = "Compute", MacAddress = [Mac, Mac2], Group = ["compute", "gpu"] });
        // Another node in the same groups, to prove the entries are not written onto nodes.
        AddNode(server, "x1000c0s0b0n1", 2, "52:54:00:00:00:02", "Compute", "compute");

        // Least specific first; after each step both ways of asking (MAC, name, NID) see the new winner.
        string[] levels = ["Default", "role", "group", "nid", "mac2", "mac", "host"];
        foreach (var level in levels)
        {
            object body = level switch
            {
                "Default" => new { hosts = new[] { "Default" }, kernel = "http://k/default" },
                "role" => new { hosts = new[] { "Compute" }, kernel = "http://k/role" },
                "group" => new { groups = new[] { "gpu" }, kernel = "http://k/group" },
                "nid" => new { nids = new[] { 1 }, kernel = "http://k/nid" },
                "mac2" => new { macs = new[] { Mac2 }, kernel = "http://k/mac2" },
                "mac" => new { macs = new[] { Mac }, kernel = "http://k/mac" },
                _ => new { hosts = new[] { Xname }, kernel = "http://k/host" },
            };
            await Put(server, body);
            var expected = level == "mac2" ? "http://k/mac2" : $"http://k/{level.ToLowerInvariant()}";
            Assert.StartsWith($"kernel --name kernel {expected} ", await KernelLine(server, $"mac={Mac}"));
            Assert.StartsWith($"kernel --name kernel {expected} ", await KernelLine(server, $"name={Xname}"));
            Assert.StartsWith($"kernel --name kernel {expected} ", await KernelLine(server, "nid=1"));
        }
        // The requesting MAC outranks the node's other MACs.
        await server.SendJsonAsync(HttpMethod.Delete, "/boot/v1/bootparameters", Json(new { hosts = new[] { Xname } }));
        Assert.StartsWith("kernel --name kernel http://k/mac2 ", await KernelLine(server, $"mac={Mac2}"));
        Assert.StartsWith("kernel --name kernel http://k/mac ", await KernelLine(server, $"mac={Mac}"));

        // The sibling only ever got the shared levels: its role (it is not in group gpu).
        Assert.StartsWith("kernel --name kernel http://k/role ", await KernelLine(server, "name=x1000c0s0b0n1"));
        var sources = server.Services.BootScripts.Resolve(new BootRequest { Name = Xname });
        Assert.Equal("mac:52:54:00:be:ef:01", sources.Source);
    }

    [Fact]
    public async Task Architecture_variants_are_preferred_at_each_level_from_ipxe_or_smd()
    {
        await using var server = await TestServer.StartAsync();
        server.Services.Nodes.Create(new Core.Inventory.NewNodeRequest { Xname = Xname, Nid = 1, MacAddress = [Mac], Arch = HmsArch.ARM });
        AddNode(server, "x1000c0s0b0n1", 2, Mac2);
        await Put(server, new { hosts = new[] { "Default" }, kernel = "http://k/x86" });
        await Put(server, new { hosts = new[] { "Default" }, arch = "aarch64", kernel = "http://k/arm" });

        // SMD says ARM; the firmware's ${buildarch} overrides it when sent.
        Assert.StartsWith("kernel --name kernel http://k/arm ", await KernelLine(server, $"mac={Mac}"));
        Assert.StartsWith("kernel --name kernel http://k/x86 ", await KernelLine(server, $"mac={Mac}&arch=x86_64"));
        Assert.StartsWith("kernel --name kernel http://k/x86 ", await KernelLine(server, $"mac={Mac2}"));
        Assert.StartsWith("kernel --name kernel http://k/arm ", await KernelLine(server, $"mac={Mac2}&arch=arm64"));
        // A node-level arch-less entry still beats a Default arch variant: most specific identity first.
        await Put(server, new { hosts = new[] { Xname }, kernel = "http://k/node" });
        Assert.StartsWith("kernel --name kernel http://k/node ", await KernelLine(server, $"mac={Mac}"));
        Assert.Equal("tag:Default|arm64", server.Services.BootScripts.Resolve(new BootRequest { Mac = Mac2, Arch = "arm64" }).Source);
    }
}
