using System.Diagnostics;
using System.Text.Json.Nodes;
using OpenChami.Core.CloudInit;
using OpenChami.Core.Tests.Support;
using static OpenChami.Core.Tests.CloudInit.CloudInitFixture;

namespace OpenChami.Core.Tests.CloudInit;

/// <summary>
/// Debian's real cloud-init 22.4 (NoCloud datasource, #include processing, Jinja rendering, strict schema
/// validation) reads what we serve, through tests/cloudinit/seed_client.py, exactly as a node does.
/// </summary>
public sealed class CloudInitRealClientTests
{
    private const string SlurmConfig = "#cloud-config\nmerge_how:\n- name: list\n  settings: [append]\n- name: dict\n  settings: [no_replace, recurse_list]\npackages:\n- slurm-client\nruncmd:\n- [systemctl, enable, slurmd]\n";

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "OpenChami.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
    }

    private static async Task<(int ExitCode, JsonNode Output)> RunClientAsync(string seedUrl, params string[] headers)
    {
        var script = Path.Combine(RepoRoot(), "tests", "cloudinit", "seed_client.py");
        Assert.True(File.Exists("/usr/bin/python3"), "Debian's /usr/bin/python3 is required (apt-get install cloud-init, listed in .ci/apt-packages.txt)");
        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { script, "--seed-url", seedUrl, "--timeout", "10", "--retries", "0", "--deadline", "90" }) start.ArgumentList.Add(arg);
        foreach (var header in headers)
        {
            start.ArgumentList.Add("--header");
            start.ArgumentList.Add(header);
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("seed_client.py did not finish in 120 s");
        }
        var text = await stdout;
        var output = JsonNode.Parse(text) ?? throw new InvalidOperationException($"no JSON from seed_client.py: {await stderr}");
        return (process.ExitCode, output);
    }

    private static IEnumerable<string> Sources(JsonNode output, string key) =>
        output[key]!.AsArray().Select(p => (string)p!["source"]!);

    [Fact]
    public async Task Cloud_init_reads_a_node_seed_url_follows_the_group_includes_and_finds_every_config_valid()
    {
        await using var server = await TestServer.StartAsync();
        Populate(server.Services, baseUrl: null); // vendor-data includes then use the URL the node reached us by
        server.Services.CloudInit.SetGroup(new CloudInitGroup { Name = "slurm", Description = "slurm nodes", File = new CloudInitFile { Content = SlurmConfig } }, out _);
        var seed = server.Services.CloudInitSeeds.SeedUrlFor(NodeA, server.Server.Url);

        var (exit, output) = await RunClientAsync(seed);

        Assert.True(exit == 0, output.ToJsonString());
        var meta = output["metadata"]!;
        var instanceId = server.Services.CloudInit.GetInstance(NodeA).InstanceId;
        Assert.Equal(instanceId, (string?)output["instance_id"]);
        Assert.Equal("nid001", (string?)meta["local-hostname"]);
        Assert.Equal("demo", (string?)meta["cluster-name"]);
        Assert.Equal("1.0", (string?)meta["instance_data"]!["v1"]!["vendor_data"]!["version"]);
        Assert.Equal("172.16.0.254", (string?)meta["instance_data"]!["v1"]!["vendor_data"]!["groups"]!["compute"]!["syslog_aggregator"]);
        Assert.Equal(HeadKey, (string?)meta["instance_data"]!["v1"]!["public_keys"]![0]);

        // Both group includes were fetched under the node's own token and parsed as cloud-config.
        var prefix = seed.TrimEnd('/');
        Assert.Equal([$"{prefix}/compute.yaml", $"{prefix}/slurm.yaml"], Sources(output, "vendordata_parts").Where(s => s.EndsWith(".yaml")));
        Assert.All(output["vendordata_parts"]!.AsArray(), p => Assert.Empty(p!["schema_errors"]!.AsArray()));
        // The Jinja template was rendered on the "node" against our meta-data, and the configs merged in include order.
        var merged = output["vendordata_merged"]!;
        Assert.Equal(HeadKey, (string?)merged["users"]![0]!["ssh_authorized_keys"]![0]);
        Assert.Equal("slurm-client", (string?)merged["packages"]![0]);
        Assert.Equal("#cloud-config", (string?)output["userdata_parts"]![0]!["payload"]);
    }

    [Fact]
    public async Task Cloud_init_identified_by_address_through_the_trusted_loopback_proxy_gets_its_own_groups()
    {
        await using var server = await TestServer.StartAsync();
        Populate(server.Services, baseUrl: null);

        var (exit, output) = await RunClientAsync($"{server.Server.Url}/cloud-init/", $"X-Forwarded-For: {IpB}");

        Assert.True(exit == 0, output.ToJsonString());
        Assert.Equal("nid002", (string?)output["metadata"]!["hostname"]);
        Assert.Equal("172.16.0.2", (string?)output["metadata"]!["instance_data"]!["v1"]!["local_ipv4"]);
        Assert.Equal([$"{server.Server.Url}/cloud-init/io.yaml"], Sources(output, "vendordata_parts").Where(s => s.EndsWith(".yaml")));
        Assert.Equal("/etc/io-secret", (string?)output["vendordata_merged"]!["write_files"]![0]!["path"]);
    }

    [Fact]
    public async Task An_invalid_group_cloud_config_is_caught_by_cloud_init_schema_validation()
    {
        await using var server = await TestServer.StartAsync();
        Populate(server.Services, baseUrl: null);
        server.Services.CloudInit.SetGroup(new CloudInitGroup { Name = "slurm", File = new CloudInitFile { Content = "#cloud-config\nruncmd: 42\n" } }, out _);

        var (exit, output) = await RunClientAsync(server.Services.CloudInitSeeds.SeedUrlFor(NodeA, server.Server.Url));

        Assert.Equal(1, exit);
        var bad = output["vendordata_parts"]!.AsArray().Single(p => ((string)p!["source"]!).EndsWith("/slurm.yaml"));
        Assert.Contains(bad!["schema_errors"]!.AsArray(), e => ((string)e!["path"]!).Contains("runcmd"));
    }

    [Fact]
    public async Task Cloud_init_with_a_tampered_seed_url_gets_nothing()
    {
        await using var server = await TestServer.StartAsync();
        Populate(server.Services, baseUrl: null);
        var seed = server.Services.CloudInitSeeds.SeedUrlFor(NodeA, server.Server.Url);
        var tampered = seed.Replace($"/n/{NodeA}.", $"/n/{NodeB}.", StringComparison.Ordinal);

        var (exit, output) = await RunClientAsync(tampered);

        Assert.Equal(2, exit);
        Assert.Null(output["metadata"]?.GetValueKind() is System.Text.Json.JsonValueKind.Object ? output["metadata"] : null);
        Assert.Contains(output["fetches"]!.AsArray(), f => (int?)f!["status"] == 403);
    }
}
