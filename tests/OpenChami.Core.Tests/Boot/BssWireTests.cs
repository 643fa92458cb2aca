using System.Net;
using System.Reflection;
using OpenChami.Core.Http.Bss;
using OpenChami.Core.Model;
using OpenChami.Core.Tests.Support;
using HmsType = OpenChami.Core.Xnames.HmsType;
using static OpenChami.Core.Tests.Boot.BssTestData;

namespace OpenChami.Core.Tests.Boot;

/// <summary>BSS wire details as upstream's own API tests check them: status, headers, body (spec/bss.md §2, §4.2, §5.1, §5.5, §6.1).</summary>
public sealed class BssWireTests
{
    private const string Params = "/boot/v1/bootparameters";
    private const string JsonType = "application/json; charset=UTF-8";
    private const string S3Endpoint = "http://172.16.0.254:9000";

    private static int Count(TestServer server) => server.Services.BootParams.GetEntries().Count;

    [Theory]
    [InlineData("mac=52:54:00:be:ef:01&foo=bar", "foo")]
    [InlineData("name=x1000c0s0b0n0&MAC=52:54:00:be:ef:01", "MAC")]
    [InlineData("bss_referral_token=x&mac=52:54:00:be:ef:01", "bss_referral_token")]
    public async Task Bootscript_with_an_unknown_query_parameter_is_400(string query, string unknown)
    {
        await using var server = await TestServer.StartAsync();
        AddNode(server);
        await server.SendJsonAsync(HttpMethod.Put, Params, Json(new { hosts = new[] { Xname }, kernel = "http://k/vmlinuz" }));
        Assert.Equal($"Unknown parameter: {unknown}", await TestServer.AssertProblemAsync(await server.Client.GetAsync($"/boot/v1/bootscript?{query}"), 400));
        Assert.Empty(server.Services.BootScripts.History(null, null));

        // Every parameter of spec/bss.md §5.1 together is still a script.
        using var ok = await server.Client.GetAsync($"/boot/v1/bootscript?mac={Mac}&name={Xname}&nid=1&arch=x86_64&retry=2&ts=1735689600&json=0");
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.StartsWith("#!ipxe\nkernel --name kernel http://k/vmlinuz ", await ok.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Service_routes_answer_upstreams_names_and_bodies()
    {
        await using var server = await TestServer.StartAsync();
        var assembly = typeof(BssApi).Assembly;
        var version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion.Split('+')[0];
        var backend = server.Services.Store.BackendName;
        var expected = new Dictionary<string, string>
        {
            ["/boot/v1/service/status"] = """{"bss-status":"running"}""",
            ["/boot/v1/service/version"] = $$"""{"bss-version":"{{version}}"}""",
            ["/boot/v1/service/hsm"] = """{"bss-status-hsm":"connected"}""",
            ["/boot/v1/service/storage/status"] = $$$"""{"bss-storage-backend":{"name":"{{{backend}}}","status":"connected"}}""",
            ["/boot/v1/service/status/all"] =
                $$$"""{"bss-status":"running","bss-version":"{{{version}}}","bss-status-hsm":"connected","bss-storage-backend":{"name":"{{{backend}}}","status":"connected"}}""",
        };
        foreach (var (path, body) in expected)
        {
            using var response = await server.Client.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(JsonType, response.Content.Headers.ContentType!.ToString());
            Assert.Equal(body, await response.Content.ReadAsStringAsync());
            Assert.Equal("allow GET", await TestServer.AssertProblemAsync(await server.Client.PostAsync(path, null), 405));
        }
    }

    [Fact]
    public async Task Hosts_entries_always_carry_FQDN_from_the_component_endpoint()
    {
        await using var server = await TestServer.StartAsync();
        AddNode(server);
        AddNode(server, "x1000c0s0b0n1", 2, Mac2);
        const string fqdn = "x1000c0s0b0n0.cluster.example";
        server.Services.Store.Write(s =>
        {
            s.Collection<ComponentEndpoint>().Upsert(new ComponentEndpoint { ID = Xname, Type = HmsType.Node, FQDN = fqdn, RedfishType = "ComputerSystem", Enabled = false });
            return true;
        });

        using var response = await server.Client.GetAsync("/boot/v1/hosts");
        Assert.Equal(JsonType, response.Content.Headers.ContentType!.ToString());
        var hosts = (await TestServer.ReadJsonAsync(response)).AsArray();
        Assert.Equal([Xname, "x1000c0s0b0n1"], hosts.Select(h => (string)h!["ID"]!));
        Assert.Equal([fqdn, string.Empty], hosts.Select(h => (string)h!["FQDN"]!));
        Assert.Equal([false, true], hosts.Select(h => (bool)h!["EndpointEnabled"]!));
        Assert.Equal(fqdn, (string)(await TestServer.ReadJsonAsync(await server.Client.GetAsync($"/boot/v1/hosts?name={Xname}")))[0]!["FQDN"]!);
    }

    [Fact]
    public async Task Any_xname_is_a_host_and_a_non_node_one_is_named_in_a_warning_header()
    {
        await using var server = await TestServer.StartAsync();
        const string bmc = "x1000c0s0b0";
        var put = await server.SendJsonAsync(HttpMethod.Put, Params, Json(new { hosts = new[] { bmc.ToUpperInvariant(), Xname }, kernel = "http://k/bmc-named" }));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var warning = Assert.Single(put.Headers.GetValues("Warning"));
        Assert.StartsWith($"299 openchami \"host '{bmc}' is a NodeBMC xname", warning);
        Assert.Equal(2, Count(server));

        var stored = await TestServer.ReadJsonAsync(await server.Client.GetAsync($"{Params}?name={bmc}"));
        Assert.Equal(bmc, (string)stored[0]!["hosts"]![0]!);

        // Upstream's tests boot a component named like a BMC: it gets the script stored under its name.
        Assert.Equal(HttpStatusCode.NoContent,
            (await server.SendJsonAsync(HttpMethod.Post, "/hsm/v2/State/Components", $$"""{"Components":[{"ID":"{{bmc}}","State":"Ready"}]}""")).StatusCode);
        var script = await server.Client.GetStringAsync($"/boot/v1/bootscript?name={bmc}");
        Assert.StartsWith($"#!ipxe\nkernel --name kernel http://k/bmc-named xname={bmc} ", script);

        var post = await server.SendJsonAsync(HttpMethod.Post, Params, Json(new { hosts = new[] { "x1000c0s1b0n0" }, kernel = "http://k/node" }));
        Assert.Equal(HttpStatusCode.Created, post.StatusCode);
        Assert.False(post.Headers.Contains("Warning"));
    }

    [Fact]
    public async Task Post_of_an_existing_identity_is_400_and_writes_nothing()
    {
        await using var server = await TestServer.StartAsync();
        Assert.Equal(HttpStatusCode.Created, (await server.SendJsonAsync(HttpMethod.Post, Params, Json(new { hosts = new[] { Xname }, kernel = "http://k/a" }))).StatusCode);
        var again = await server.SendJsonAsync(HttpMethod.Post, Params, Json(new { hosts = new[] { "x1000c0s0b0n1", Xname }, kernel = "http://k/b" }));
        Assert.Equal($"Already exists: {Xname}", await TestServer.AssertProblemAsync(again, 400));
        Assert.Equal(1, Count(server));
        Assert.Equal("http://k/a", server.Services.BootParams.GetEntries().Single().Kernel);
    }

    [Theory]
    [InlineData("POST")]
    [InlineData("PUT")]
    [InlineData("PATCH")]
    public async Task An_s3_url_without_an_s3_endpoint_is_refused_at_write_time(string method)
    {
        await using var server = await TestServer.StartAsync();
        server.Services.BootScripts.Options.S3Endpoint = null;
        if (method == "PATCH") await server.SendJsonAsync(HttpMethod.Put, Params, Json(new { hosts = new[] { Xname }, kernel = "http://k/a" }));
        var before = server.Services.BootParams.GetEntries().Select(e => e.Kernel + e.Initrd).ToList();

        const string initrd = "s3://boot-images/compute/initramfs.img";
        var response = await server.SendJsonAsync(new HttpMethod(method), Params, Json(new { hosts = new[] { Xname }, kernel = "http://k/b", initrd }));
        var detail = await TestServer.AssertProblemAsync(response, 400);
        Assert.StartsWith($"Bad Request: initrd '{initrd}' is an s3:// URL", detail);
        Assert.Equal(before, server.Services.BootParams.GetEntries().Select(e => e.Kernel + e.Initrd).ToList());
    }

    [Fact]
    public async Task An_s3_url_is_served_under_the_s3_endpoint_and_never_as_s3()
    {
        await using var server = await TestServer.StartAsync();
        server.Services.BootScripts.Options.S3Endpoint = S3Endpoint + "/";
        AddNode(server);
        const string kernel = "s3://boot-images/efi-images/compute/vmlinuz";
        const string initrd = "s3://boot-images/efi-images/compute/initramfs.img";
        Assert.Equal(HttpStatusCode.OK, (await server.SendJsonAsync(HttpMethod.Put, Params, Json(new { macs = new[] { Mac }, kernel, initrd }))).StatusCode);

        // Stored and listed as written, as upstream stores it.
        Assert.Equal(kernel, (string)(await TestServer.ReadJsonAsync(await server.Client.GetAsync(Params)))[0]!["kernel"]!);

        var fetchKernel = S3Endpoint + "/" + kernel["s3://".Length..];
        var fetchInitrd = S3Endpoint + "/" + initrd["s3://".Length..];
        var script = await server.Client.GetStringAsync($"/boot/v1/bootscript?mac={Mac}");
        Assert.DoesNotContain("s3://", script);
        Assert.Contains($"\nkernel --name kernel {fetchKernel} initrd=initrd ", script);
        Assert.Contains($"\ninitrd --name initrd {fetchInitrd} || goto boot_retry\n", script);
        var json = await TestServer.ReadJsonAsync(await server.Client.GetAsync($"/boot/v1/bootscript?mac={Mac}&json=1"));
        Assert.Equal((fetchKernel, fetchInitrd), ((string)json["kernel"]!["path"]!, (string)json["initrd"]!["path"]!));

        // The endpoint removed later: the node gets an error, not a URL iPXE cannot fetch.
        server.Services.BootScripts.Options.S3Endpoint = null;
        var refused = await TestServer.AssertProblemAsync(await server.Client.GetAsync($"/boot/v1/bootscript?mac={Mac}"), 503);
        Assert.Contains("no S3 endpoint is configured", refused);

        server.Services.BootScripts.Options.S3Endpoint = S3Endpoint;
        Assert.Equal("Bad Request: kernel 's3://bucket-only' is not s3://bucket/key",
            await TestServer.AssertProblemAsync(await server.SendJsonAsync(HttpMethod.Put, Params, Json(new { macs = new[] { Mac }, kernel = "s3://bucket-only" })), 400));
    }
}
