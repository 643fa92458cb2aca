using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using OpenChami.Core.Boot;
using OpenChami.Core.Security;
using OpenChami.Core.Tests.Boot;
using OpenChami.Core.Tests.Support;

namespace OpenChami.Core.Tests.BootService;

/// <summary>
/// <c>/boot-service</c> on a real server over the backend under test, replaying what ochami 0.10 sends
/// (spec/boot-service.md §2–§5): Go's empty uid and zero times, Accept/Content-Type/Authorization headers.
/// </summary>
public sealed class BootServiceHttpTests
{
    private const string Kernel = "http://10.0.0.1/vmlinuz";
    private const string Initrd = "http://10.0.0.1/initrd.img";

    // What `ochami boot config add` marshals from its Go struct: every field, zero values included.
    private static string OchamiConfig(string name, string hosts = "null", string macs = "null", string nids = "null", string groups = "null",
        string kernel = Kernel, int priority = 0, string uid = "") => $$"""
        {"apiVersion":"boot.openchami.io/v1","kind":"BootConfiguration",
         "metadata":{"name":"{{name}}","uid":"{{uid}}","labels":null,"annotations":null,"createdAt":"0001-01-01T00:00:00Z","updatedAt":"0001-01-01T00:00:00Z"},
         "spec":{"hosts":{{hosts}},"macs":{{macs}},"nids":{{nids}},"groups":{{groups}},"profile":"","kernel":"{{kernel}}","initrd":"{{Initrd}}","params":"console=ttyS0","priority":{{priority}}},
         "status":null}
        """;

    private static HttpRequestMessage Ochami(HttpMethod method, string path, string? body = null, string? token = null)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.UserAgent.ParseAdd("ochami/0.10.0");
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        return request;
    }

    private static async Task<JsonNode> Json(HttpResponseMessage response) => JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

    private static async Task AssertError(HttpResponseMessage response, HttpStatusCode status, string contains)
    {
        Assert.Equal(status, response.StatusCode);
        var body = await Json(response);
        Assert.Contains(contains, (string)body["error"]!, StringComparison.OrdinalIgnoreCase);
        Assert.Single(body.AsObject());
    }

    [Fact]
    public async Task Ochami_boot_config_add_list_get_update_delete_and_service_status()
    {
        await using var server = await TestServer.StartAsync(configure: o => o.RequireAuth = true);
        var token = server.Services.Tokens.Issue("ochami", ChamiScope.Write, TimeSpan.FromMinutes(5)).Token;
        var client = server.Client;

        // ochami boot service status
        var health = await client.SendAsync(Ochami(HttpMethod.Get, "/boot-service/health"));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("""{"status":"ok","service":"boot-service"}""", (await Json(health)).ToJsonString());
        var status = await Json(await client.SendAsync(Ochami(HttpMethod.Get, "/boot-service/service/status", token: token)));
        Assert.Equal("ok", (string)status["status"]!);
        Assert.Equal(5, (int)status["schemaVersion"]!);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(Ochami(HttpMethod.Get, "/boot-service/service/status"))).StatusCode);

        // ochami boot config add
        var created = await client.SendAsync(Ochami(HttpMethod.Post, "/boot-service/bootconfigurations", OchamiConfig("compute", groups: """["compute"]""", priority: 10), token));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var resource = await Json(created);
        var uid = (string)resource["metadata"]!["uid"]!;
        Assert.Matches("^bootconfiguration-[0-9a-f]{8}$", uid);
        Assert.Equal("BootConfiguration", (string)resource["kind"]!);
        Assert.Equal("compute", (string)resource["metadata"]!["name"]!);
        Assert.NotEqual("0001-01-01T00:00:00+00:00", (string)resource["metadata"]!["createdAt"]!);
        Assert.Equal(["compute"], resource["spec"]!["groups"]!.AsArray().Select(g => (string)g!));
        Assert.Equal(10, (int)resource["spec"]!["priority"]!);
        Assert.EndsWith($"/boot-service/bootconfigurations/{uid}", created.Headers.Location!.ToString());

        // a second name is a conflict; nothing stored
        var duplicate = await client.SendAsync(Ochami(HttpMethod.Post, "/boot-service/bootconfigurations", OchamiConfig("compute"), token));
        await AssertError(duplicate, HttpStatusCode.Conflict, "compute");

        // ochami boot config list / get (trailing slash makes no difference)
        var list = (await Json(await client.SendAsync(Ochami(HttpMethod.Get, "/boot-service/bootconfigurations/", token: token)))).AsArray();
        Assert.Equal(uid, (string)Assert.Single(list)!["metadata"]!["uid"]!);
        var got = await Json(await client.SendAsync(Ochami(HttpMethod.Get, $"/boot-service/bootconfigurations/{uid}", token: token)));
        Assert.Equal(Kernel, (string)got["spec"]!["kernel"]!);

        // ochami boot config update: the whole resource back with a new spec; uid and createdAt stay
        var updated = await client.SendAsync(Ochami(HttpMethod.Put, $"/boot-service/bootconfigurations/{uid}",
            OchamiConfig("", hosts: """["x1000c0s*"]""", groups: """["compute"]""", kernel: "http://10.0.0.1/vmlinuz-2", priority: 20, uid: uid), token));
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        var after = await Json(updated);
        Assert.Equal("compute", (string)after["metadata"]!["name"]!);
        Assert.Equal((string)resource["metadata"]!["createdAt"]!, (string)after["metadata"]!["createdAt"]!);
        Assert.Equal(["x1000c0s*"], after["spec"]!["hosts"]!.AsArray().Select(h => (string)h!));
        Assert.Equal("http://10.0.0.1/vmlinuz-2", (string)after["spec"]!["kernel"]!);

        // the same configuration is what /boot/v1 lists (one model)
        // /boot/v1's name= lookup reads identities (a glob is not the node's own entry): none stored for the node itself
        Assert.Equal(HttpStatusCode.NotFound, (await client.SendAsync(Ochami(HttpMethod.Get, "/boot/v1/bootparameters?name=x1000c0s0b0n0", token: token))).StatusCode);
        var all = (await Json(await client.SendAsync(Ochami(HttpMethod.Get, "/boot/v1/bootparameters", token: token)))).AsArray();
        Assert.Contains(all, p => p!["groups"]?.AsArray().Any(g => (string)g! == "compute") == true && (string)p["kernel"]! == "http://10.0.0.1/vmlinuz-2");
        Assert.Contains(all, p => p!["hosts"]?.AsArray().Any(g => (string)g! == "x1000c0s*") == true);

        // ochami boot config delete
        var deleted = await client.SendAsync(Ochami(HttpMethod.Delete, $"/boot-service/bootconfigurations/{uid}", token: token));
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        var deletedBody = await Json(deleted);
        Assert.Equal(uid, (string)deletedBody["uid"]!);
        Assert.NotNull(deletedBody["message"]);
        await AssertError(await client.SendAsync(Ochami(HttpMethod.Get, $"/boot-service/bootconfigurations/{uid}", token: token)), HttpStatusCode.NotFound, uid);
        Assert.Empty((await Json(await client.SendAsync(Ochami(HttpMethod.Get, "/boot/v1/bootparameters", token: token)))).AsArray());
    }

    [Theory]
    [InlineData("""{"metadata":{"name":"a"}}""", "spec")]
    [InlineData("""{"kind":"Node","metadata":{"name":"a"},"spec":{"kernel":"k"}}""", "kind")]
    [InlineData("""{"metadata":{"name":"a"},"spec":{"kernel":"k","priority":101}}""", "priority")]
    [InlineData("""{"metadata":{"name":"a"},"spec":{"kernel":"k","priority":-1}}""", "priority")]
    [InlineData("""{"metadata":{"name":"a"},"spec":{"kernel":"k","macs":["52:54:00:zz:00:01"]}}""", "MAC")]
    [InlineData("""{"metadata":{"name":"a"},"spec":{"kernel":"k","hosts":["nothing"]}}""", "nothing")]
    [InlineData("""{"metadata":{"name":"a"},"spec":{"kernel":"k","hosts":["x1000c0s[0-3]*"]}}""", "glob")]
    [InlineData("""{"metadata":{"name":"a"},"spec":{"kernel":"k","hosts":["node*"]}}""", "glob")]
    [InlineData("""{"metadata":{"name":"a"},"spec":{"params":"quiet"}}""", "kernel")]
    [InlineData("""{"metadata":{"name":"a"},"spec":{"kernel":"k",""", "JSON")]
    public async Task Bad_input_is_400_with_upstreams_error_body_and_nothing_is_stored(string body, string contains)
    {
        await using var server = await TestServer.StartAsync();
        var response = await server.Client.SendAsync(Ochami(HttpMethod.Post, "/boot-service/bootconfigurations", body));
        await AssertError(response, HttpStatusCode.BadRequest, contains);
        Assert.Empty(server.Services.BootConfigurations.List());
        Assert.Empty(server.Services.BootParams.GetEntries());
    }

    [Fact]
    public async Task A_non_node_xname_host_is_accepted_as_bss_accepts_it()
    {
        // One model with BSS, which takes any xname as a host (spec/bss.md §4.2): a BMC-style name is stored, not refused.
        await using var server = await TestServer.StartAsync();
        var response = await server.Client.SendAsync(Ochami(HttpMethod.Post, "/boot-service/bootconfigurations",
            """{"metadata":{"name":"a"},"spec":{"kernel":"k","hosts":["X1000C0S0B0"]}}"""));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(["x1000c0s0b0"], Assert.Single(server.Services.BootConfigurations.List()).Spec.Hosts);
    }

    [Fact]
    public async Task A_node_fetches_its_script_by_mac_and_unknown_or_unmatched_nodes_get_a_retry_script()
    {
        await using var server = await TestServer.StartAsync(configure: o => o.RequireAuth = true);
        BssTestData.AddNode(server, groups: ["compute"]);
        server.Services.BootConfigurations.Create(new() { Name = "compute" }, new BootConfigurationSpec { Groups = ["compute"], Kernel = Kernel, Initrd = Initrd, Params = "console=ttyS0" });

        // public: a booting node sends no token
        var response = await server.Client.GetAsync($"/boot-service/bootscript?mac={BssTestData.Mac.ToUpperInvariant()}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType!.MediaType);
        var script = await response.Content.ReadAsStringAsync();
        var lines = script.Split('\n');
        Assert.Equal("#!ipxe", lines[0]);
        Assert.StartsWith($"kernel --name kernel {Kernel} initrd=initrd console=ttyS0 xname={BssTestData.Xname} nid=1 BOOTIF=01-52-54-00-be-ef-01 ds=nocloud-net;s=", lines[1]);
        Assert.Equal($"initrd --name initrd {Initrd} || goto boot_retry", lines[2]);
        Assert.Equal("boot || goto boot_retry", lines[3]);
        Assert.Contains($"/boot-service/bootscript?mac={BssTestData.Mac}", script);

        // by host: no BOOTIF (not asked by MAC)
        var byHost = await server.Client.GetStringAsync($"/boot-service/bootscript?host={BssTestData.Xname}");
        Assert.DoesNotContain("BOOTIF=", byHost);
        Assert.Contains($"kernel --name kernel {Kernel}", byHost);
        var byNid = await server.Client.GetStringAsync("/boot-service/bootscript?nid=1");
        Assert.Contains($"xname={BssTestData.Xname}", byNid);

        // unknown MAC: a 200 retry script chaining back, never an error page
        var unknown = await server.Client.GetAsync("/boot-service/bootscript?mac=52:54:00:00:00:99");
        Assert.Equal(HttpStatusCode.OK, unknown.StatusCode);
        var retry = await unknown.Content.ReadAsStringAsync();
        Assert.StartsWith("#!ipxe\n", retry);
        Assert.Contains("chain http://", retry);
        Assert.Contains("/boot-service/bootscript?mac=52:54:00:00:00:99", retry);
        Assert.DoesNotContain("kernel", retry);

        // a known node nothing applies to: the same retry script
        BssTestData.AddNode(server, "x1000c0s0b0n1", 2, BssTestData.Mac2);
        var unmatched = await server.Client.GetStringAsync("/boot-service/bootscript?host=x1000c0s0b0n1");
        Assert.Contains("no boot configuration applies", unmatched);

        // no identifier: 400 {"error"}
        await AssertError(await server.Client.GetAsync("/boot-service/bootscript"), HttpStatusCode.BadRequest, "mac=");
        await AssertError(await server.Client.GetAsync("/boot-service/bootscript?mac=nonsense"), HttpStatusCode.BadRequest, "MAC");
        await AssertError(await server.Client.GetAsync("/boot-service/bootscript?host=x1%0Akernel%20evil"), HttpStatusCode.BadRequest, "xname");
    }

    [Fact]
    public async Task An_unknown_node_asks_again_with_its_arch_and_gets_the_Unknown_arch_discovery_image()
    {
        await using var server = await TestServer.StartAsync();
        BssTestData.AddNode(server);

        // no discovery image yet: the retry script asks again carrying iPXE's build architecture
        var first = await server.Client.GetStringAsync("/boot-service/bootscript?mac=52:54:00:00:00:99");
        Assert.Contains("/boot-service/bootscript?mac=52:54:00:00:00:99&arch=${buildarch}", first);
        Assert.DoesNotContain("kernel", first);

        server.Services.BootConfigurations.Create(new() { Name = "discovery-old" },
            new BootConfigurationSpec { Hosts = ["Unknown-x86_64"], Kernel = "http://10.0.0.1/old", Priority = 10 });
        server.Services.BootConfigurations.Create(new() { Name = "discovery" },
            new BootConfigurationSpec { Hosts = ["Unknown-x86_64"], Kernel = "http://10.0.0.1/discovery", Initrd = Initrd, Params = "console=ttyS0", Priority = 50 });
        server.Services.BootConfigurations.Create(new() { Name = "discovery-arm" },
            new BootConfigurationSpec { Hosts = ["Unknown-arm64"], Kernel = "http://10.0.0.1/discovery-arm", Priority = 90 });

        // with arch: the highest-priority configuration naming Unknown-<arch>, without the node identity parameters
        var script = await server.Client.GetStringAsync("/boot-service/bootscript?mac=52:54:00:00:00:99&arch=x86_64");
        var kernelLine = script.Split('\n')[1];
        Assert.StartsWith("kernel --name kernel http://10.0.0.1/discovery initrd=initrd console=ttyS0 ds=nocloud-net;s=", kernelLine);
        Assert.DoesNotContain("xname=", kernelLine);
        Assert.DoesNotContain("BOOTIF=", kernelLine);
        Assert.Contains($"initrd --name initrd {Initrd}", script);
        Assert.Contains("kernel --name kernel http://10.0.0.1/discovery-arm", await server.Client.GetStringAsync("/boot-service/bootscript?mac=52:54:00:00:00:99&arch=arm64"));

        // a known node never gets the discovery image, and Explain names what an unknown one gets
        Assert.DoesNotContain("discovery", await server.Client.GetStringAsync($"/boot-service/bootscript?mac={BssTestData.Mac}&arch=x86_64"));
        var explained = server.Services.BootScripts.Explain(new BootRequest { Mac = "52:54:00:00:00:99", Arch = "x86_64" });
        Assert.Equal("discovery", explained.Winner);
        Assert.Contains("Unknown-x86_64", explained.Reason);
    }

    [Fact]
    public async Task Written_through_boot_v1_served_by_boot_service_and_the_reverse()
    {
        await using var server = await TestServer.StartAsync();
        BssTestData.AddNode(server);
        BssTestData.AddNode(server, "x1000c0s0b0n1", 2, BssTestData.Mac2);

        // /boot/v1 PUT → /boot-service lists it and boots it
        var put = await server.SendJsonAsync(HttpMethod.Put, "/boot/v1/bootparameters",
            $$"""{"hosts":["{{BssTestData.Xname}}"],"kernel":"http://bss/k","initrd":"http://bss/i","params":"quiet"}""");
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var configs = (await Json(await server.Client.GetAsync("/boot-service/bootconfigurations"))).AsArray();
        var bssConfig = Assert.Single(configs)!;
        Assert.Equal([BssTestData.Xname], bssConfig["spec"]!["hosts"]!.AsArray().Select(h => (string)h!));
        Assert.Equal("http://bss/k", (string)bssConfig["spec"]!["kernel"]!);
        Assert.Contains("kernel --name kernel http://bss/k initrd=initrd quiet", await server.Client.GetStringAsync($"/boot-service/bootscript?mac={BssTestData.Mac}"));

        // /boot-service POST (a glob over both nodes) → /boot/v1 boots the node without its own entry from it
        var post = await server.Client.SendAsync(Ochami(HttpMethod.Post, "/boot-service/bootconfigurations",
            OchamiConfig("rack", hosts: """["x1000c0s0b0n*"]""", kernel: "http://svc/k")));
        Assert.Equal(HttpStatusCode.Created, post.StatusCode);
        Assert.Contains("kernel --name kernel http://svc/k", await server.Client.GetStringAsync("/boot/v1/bootscript?name=x1000c0s0b0n1"));
        // the node with its own BSS entry keeps it in /boot/v1 (node > glob) and in /boot-service (same score 50, BSS priority 100 > 0)
        Assert.Contains("kernel --name kernel http://bss/k", await server.Client.GetStringAsync($"/boot/v1/bootscript?name={BssTestData.Xname}"));
        Assert.Contains("kernel --name kernel http://bss/k", await server.Client.GetStringAsync($"/boot-service/bootscript?host={BssTestData.Xname}"));

        // a configuration naming two hosts outranks the glob for them in /boot/v1 (node level)
        var pair = await server.Client.SendAsync(Ochami(HttpMethod.Post, "/boot-service/bootconfigurations",
            OchamiConfig("pair", hosts: """["x1000c0s0b0n1","x1000c0s0b0n2"]""", kernel: "http://pair/k")));
        Assert.Equal(HttpStatusCode.Created, pair.StatusCode);
        Assert.Contains("kernel --name kernel http://pair/k", await server.Client.GetStringAsync("/boot/v1/bootscript?name=x1000c0s0b0n1"));

        // a BSS PATCH of one host of that configuration writes the host's own configuration; "pair" stays as it was
        var patch = await server.SendJsonAsync(HttpMethod.Patch, "/boot/v1/bootparameters", """{"hosts":["x1000c0s0b0n1"],"params":"patched"}""");
        Assert.Equal(HttpStatusCode.OK, patch.StatusCode);
        Assert.Contains("kernel --name kernel http://pair/k initrd=initrd patched", await server.Client.GetStringAsync("/boot-service/bootscript?host=x1000c0s0b0n1"));
        Assert.Contains("kernel --name kernel http://pair/k initrd=initrd patched", await server.Client.GetStringAsync("/boot/v1/bootscript?name=x1000c0s0b0n1"));
        var unchanged = Assert.Single(server.Services.BootConfigurations.Find("pair"));
        Assert.Equal("console=ttyS0", unchanged.Params);
        Assert.Equal(["x1000c0s0b0n1", "x1000c0s0b0n2"], unchanged.Hosts);
        Assert.Equal(4, server.Services.BootConfigurations.Documents().Count);

        // the BSS-shaped view under /boot-service is the same data
        var view = (await Json(await server.Client.GetAsync($"/boot-service/bootparameters?host={BssTestData.Xname}"))).AsArray();
        Assert.Equal("http://bss/k", (string)Assert.Single(view)!["kernel"]!);

        // a BSS DELETE removes the host's own configuration
        var delete = await server.SendJsonAsync(HttpMethod.Delete, "/boot/v1/bootparameters", $$"""{"hosts":["{{BssTestData.Xname}}"]}""");
        Assert.Equal(HttpStatusCode.OK, delete.StatusCode);
        Assert.DoesNotContain(server.Services.BootConfigurations.Documents(), c => c.Hosts.Contains(BssTestData.Xname));
        Assert.Contains("kernel --name kernel http://svc/k", await server.Client.GetStringAsync($"/boot-service/bootscript?host={BssTestData.Xname}"));
    }

    [Fact]
    public async Task Nodes_and_bmcs_are_views_of_the_inventory_and_refuse_writes()
    {
        await using var server = await TestServer.StartAsync();
        BssTestData.AddNode(server, groups: ["compute"]);
        var nodes = (await Json(await server.Client.GetAsync("/boot-service/nodes"))).AsArray();
        var node = Assert.Single(nodes)!;
        Assert.Equal("Node", (string)node["kind"]!);
        Assert.Equal(BssTestData.Xname, (string)node["spec"]!["xname"]!);
        Assert.Equal([BssTestData.Mac], node["spec"]!["macs"]!.AsArray().Select(m => (string)m!));
        Assert.Equal(["compute"], node["spec"]!["groups"]!.AsArray().Select(m => (string)m!));
        Assert.Equal(1, (int)(await Json(await server.Client.GetAsync($"/boot-service/nodes/{BssTestData.Xname}")))["spec"]!["nid"]!);
        await AssertError(await server.Client.GetAsync("/boot-service/nodes/x9c0s0b0n0"), HttpStatusCode.NotFound, "x9c0s0b0n0");
        await AssertError(await server.Client.SendAsync(Ochami(HttpMethod.Post, "/boot-service/nodes", "{}")), HttpStatusCode.MethodNotAllowed, "/hsm/v2");
        Assert.Empty((await Json(await server.Client.GetAsync("/boot-service/bmcs"))).AsArray());
    }
}
