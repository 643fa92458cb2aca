using System.Net;
using OpenChami.Core.CloudInit;
using OpenChami.Core.Storage;
using OpenChami.Core.Tests.Support;
using static OpenChami.Core.Tests.CloudInit.CloudInitFixture;

namespace OpenChami.Core.Tests.CloudInit;

/// <summary>Per-node signed seed URLs (spec/cloud-init.md §3.0).</summary>
public sealed class CloudInitSeedTokenTests
{
    private static string PathOf(string seedUrl) => new Uri(seedUrl).AbsolutePath;

    [Fact]
    public async Task A_seed_url_serves_exactly_its_node_whatever_the_source_address()
    {
        await using var server = await TestServer.StartAsync();
        Populate(server.Services);
        var seedA = server.Services.CloudInitSeeds.SeedUrlFor(NodeA, server.Server.Url);
        Assert.StartsWith($"{server.Server.Url}/cloud-init/n/{NodeA}.", seedA);
        Assert.EndsWith("/", seedA);
        var prefix = PathOf(seedA);

        // Even with a forged header naming node B, the token decides.
        var (status, meta, _) = await SendAsync(server.Client, Get(prefix + "meta-data", forwardedFor: IpB));
        Assert.Equal(200, status);
        Assert.Contains("hostname: nid001\n", meta);
        Assert.Contains("local_ipv4: 172.16.0.1\n", meta);
        Assert.Equal("#cloud-config", (await SendAsync(server.Client, Get(prefix + "user-data"))).Body);
        Assert.Equal($"#include\nhttp://172.16.0.254:8081/cloud-init{prefix}compute.yaml\nhttp://172.16.0.254:8081/cloud-init{prefix}slurm.yaml\n"
            .Replace("/cloud-init/cloud-init/", "/cloud-init/"), (await SendAsync(server.Client, Get(prefix + "vendor-data"))).Body);
        Assert.Equal(ComputeConfig, (await SendAsync(server.Client, Get(prefix + "compute.yaml"))).Body);
        // Behind a reverse proxy that strips /cloud-init the same token routes answer at the root.
        Assert.Equal(ComputeConfig, (await SendAsync(server.Client, Get(prefix["/cloud-init".Length..] + "compute.yaml"))).Body);
        Assert.Equal(403, (await SendAsync(server.Client, Get("/n/x1000c0s0b0n0.00000000.AAAA/meta-data"))).Status);
    }

    [Theory]
    [InlineData("/cloud-init/n/x1.k.sig/meta-data", "/cloud-init/n/***/meta-data")]
    [InlineData("/n/x1.k.sig/compute.yaml", "/n/***/compute.yaml")]
    [InlineData("/cloud-init/n/x1.k.sig", "/cloud-init/n/***")]
    [InlineData("/cloud-init/meta-data", "/cloud-init/meta-data")]
    public void Log_paths_never_carry_a_token(string path, string logged) =>
        Assert.Equal(logged, CloudInitSeedService.RedactPath(path));

    [Fact]
    public async Task A_token_for_node_A_never_yields_node_B_data()
    {
        await using var server = await TestServer.StartAsync();
        Populate(server.Services);
        var prefixA = PathOf(server.Services.CloudInitSeeds.SeedUrlFor(NodeA, server.Server.Url));

        var (status, body, _) = await SendAsync(server.Client, Get(prefixA + "io.yaml", forwardedFor: IpB));

        Assert.Equal(404, status);
        Assert.Equal($"node {NodeA} is not a member of group io (node and/or group may not exist in SMD)\n", body);
        Assert.DoesNotContain("only-for-io", body);
        Assert.DoesNotContain(NodeB, (await SendAsync(server.Client, Get(prefixA + "meta-data"))).Body);
    }

    [Fact]
    public async Task Tampered_foreign_or_revoked_tokens_are_rejected_with_403_and_never_fall_back_to_the_address()
    {
        await using var server = await TestServer.StartAsync();
        Populate(server.Services);
        var seeds = server.Services.CloudInitSeeds;
        var tokenA = seeds.TokenFor(NodeA);
        var tokenB = seeds.TokenFor(NodeB);
        var parts = tokenA.Split('.');
        var flipped = parts[2][..^1] + (parts[2][^1] == 'A' ? 'B' : 'A');

        var bad = new[]
        {
            $"{NodeB}.{parts[1]}.{parts[2]}",                     // node A's signature on node B's name
            $"{parts[0]}.{parts[1]}.{flipped}",                   // one character of the MAC changed
            $"{parts[0]}.{parts[1]}.{tokenB.Split('.')[2]}",     // node B's signature
            $"{parts[0]}.00000000.{parts[2]}",                    // another key id
            $"{parts[0]}.{parts[1]}",                             // truncated
            "garbage",
            $"X1000C0S0B0N0.{parts[1]}.{parts[2]}",               // non-canonical spelling of the same node
        };
        foreach (var token in bad)
        {
            using var response = await server.Client.SendAsync(Get($"/cloud-init/n/{token}/meta-data", forwardedFor: IpA));
            var detail = await TestServer.AssertProblemAsync(response, 403);
            Assert.DoesNotContain(token, detail);
        }

        Assert.Equal(200, (await SendAsync(server.Client, Get($"/cloud-init/n/{tokenA}/meta-data"))).Status);
        seeds.RotateKey();
        await TestServer.AssertProblemAsync(await server.Client.GetAsync($"/cloud-init/n/{tokenA}/meta-data"), 403);
        await TestServer.AssertProblemAsync(await server.Client.GetAsync($"/cloud-init/n/{tokenA}/compute.yaml"), 403);
        Assert.Equal(200, (await SendAsync(server.Client, Get($"/cloud-init/n/{seeds.TokenFor(NodeA)}/meta-data"))).Status);
    }

    [Fact]
    public async Task A_valid_token_for_a_node_missing_from_smd_gets_the_spec_codes()
    {
        await using var server = await TestServer.StartAsync();
        var prefix = PathOf(server.Services.CloudInitSeeds.SeedUrlFor("x3000c0s9b0n0", server.Server.Url));

        Assert.Equal((404, "node x3000c0s9b0n0 not found in SMD\n"), Strip(await SendAsync(server.Client, Get(prefix + "meta-data"))));
        Assert.Equal((200, "#include\n"), Strip(await SendAsync(server.Client, Get(prefix + "vendor-data"))));
        Assert.Equal(404, (await SendAsync(server.Client, Get(prefix + "compute.yaml"))).Status);
    }

    private static (int, string) Strip((int Status, string Body, string? Type) r) => (r.Status, r.Body);

    [Trait("Backend", TestStores.LiteDbOnly)]
    [Fact]
    public async Task The_key_is_created_once_persists_across_restarts_and_the_token_stays_out_of_the_log()
    {
        using var temp = new TempDirectory();
        var path = Path.Combine(temp.Path, "chami.db");
        string seed;
        await using (var server = await TestServer.StartAsync(LiteDbStore.OpenFile(path)))
        {
            Populate(server.Services);
            Assert.Null(server.Services.CloudInitSeeds.KeyId);
            seed = server.Services.CloudInitSeeds.SeedUrlFor(NodeA, server.Server.Url + "/cloud-init/");
            Assert.Equal(seed, server.Services.CloudInitSeeds.SeedUrlFor(NodeA, server.Server.Url));
            Assert.Equal(200, (await server.Client.GetAsync(PathOf(seed) + "meta-data")).StatusCode is HttpStatusCode.OK ? 200 : 0);
            var log = string.Join("\n", server.Server.Log.Snapshot().Select(e => e.Message));
            Assert.Contains("/cloud-init/n/***/meta-data", log);
            Assert.DoesNotContain(seed.Split('/')[^2], log);
        }
        await using (var server = await TestServer.StartAsync(LiteDbStore.OpenFile(path)))
        {
            Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync(PathOf(seed) + "meta-data")).StatusCode);
        }
    }

    [Fact]
    public void Seed_urls_reject_bad_input()
    {
        var seeds = new CloudInitSeedService(TestStores.Create());
        Assert.Equal("InvalidBaseUrl", Assert.Throws<Errors.ChamiException>(() => seeds.SeedUrlFor(NodeA, "ftp://x")).ErrorId);
        Assert.Equal("InvalidXname", Assert.Throws<Errors.ChamiException>(() => seeds.SeedUrlFor("nid001", "http://10.0.0.1:8081")).ErrorId);
        Assert.Null(seeds.Verify(null));
        Assert.Null(seeds.Verify(new string('a', 1000)));
    }
}
