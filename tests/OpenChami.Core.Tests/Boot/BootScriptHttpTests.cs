using System.Net;
using OpenChami.Core.Boot;
using OpenChami.Core.Model;
using OpenChami.Core.Tests.Support;
using static OpenChami.Core.Tests.Boot.BssTestData;

namespace OpenChami.Core.Tests.Boot;

public sealed class BootScriptHttpTests
{
    private static async Task<TestServer> StartAsync()
    {
        var server = await TestServer.StartAsync();
        server.Services.BootScripts.Options = new BootOptions { ChainBaseUrl = "http://172.16.0.254:8081" };
        return server;
    }

    private static async Task Put(TestServer server, string json)
    {
        var response = await server.SendJsonAsync(HttpMethod.Put, "/boot/v1/bootparameters", json);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task The_spec_full_example_is_reproduced_byte_for_byte()
    {
        await using var server = await StartAsync();
        AddNode(server);
        await Put(server, Json(new { macs = new[] { Mac }, @params = Params, kernel = Kernel, initrd = Initrd }));

        var response = await server.Client.GetAsync($"/boot/v1/bootscript?mac={Mac}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain; charset=UTF-8", response.Content.Headers.ContentType!.ToString());
        const string expected = """
            #!ipxe
            kernel --name kernel http://172.16.0.254:9000/boot-images/efi-images/compute/base/vmlinuz initrd=initrd nomodeset ro root=live:http://172.16.0.254:9000/boot-images/compute/base/rocky9 ip=dhcp console=ttyS0,115200 ds=nocloud-net;s=http://172.16.0.254:8081/cloud-init xname=x1000c0s0b0n0 nid=1 BOOTIF=01-52-54-00-be-ef-01 || goto boot_retry
            initrd --name initrd http://172.16.0.254:9000/boot-images/efi-images/compute/base/initramfs.img || goto boot_retry
            boot || goto boot_retry
            :boot_retry
            sleep 30
            chain http://172.16.0.254:8081/boot/v1/bootscript?mac=52:54:00:be:ef:01&retry=1


            """;
        Assert.Equal(expected.ReplaceLineEndings("\n"), await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Url_encoded_and_dashed_macs_name_and_hex_nid_select_the_same_node()
    {
        await using var server = await StartAsync();
        AddNode(server);
        await Put(server, Json(new { hosts = new[] { Xname }, kernel = "http://k/vmlinuz", @params = "quiet" }));

        // A known node's seed is its own signed cloud-init URL.
        var seed = server.Services.CloudInitSeeds.SeedUrlFor(Xname, "http://172.16.0.254:8081");
        Assert.StartsWith("http://172.16.0.254:8081/cloud-init/n/x1000c0s0b0n0.", seed);
        var byEncodedMac = await server.Client.GetStringAsync("/boot/v1/bootscript?mac=52%3A54%3A00%3ABE%3AEF%3A01&retry=4");
        Assert.Contains($"kernel --name kernel http://k/vmlinuz quiet xname=x1000c0s0b0n0 nid=1 BOOTIF=01-52-54-00-be-ef-01 ds=nocloud-net;s={seed} || goto boot_retry\n", byEncodedMac);
        Assert.Contains("chain http://172.16.0.254:8081/boot/v1/bootscript?mac=52:54:00:be:ef:01&retry=5\n\n", byEncodedMac);
        Assert.DoesNotContain("initrd", byEncodedMac);
        Assert.Equal(byEncodedMac.Replace("retry=5", "retry=1"), await server.Client.GetStringAsync("/boot/v1/bootscript?mac=525400beef01"));

        // name= and nid= get no BOOTIF (no booting NIC known) but chain back by the node's first MAC.
        var byName = await server.Client.GetStringAsync($"/boot/v1/bootscript?name={Xname.ToUpperInvariant()}");
        Assert.Contains($"quiet xname=x1000c0s0b0n0 nid=1 ds=nocloud-net;s={seed} || goto", byName);
        Assert.Contains("bootscript?mac=52:54:00:be:ef:01&retry=1", byName);
        Assert.Equal(byName, await server.Client.GetStringAsync("/boot/v1/bootscript?nid=0x1"));
    }

    [Fact]
    public async Task Without_chain_base_the_urls_come_from_the_request_host()
    {
        await using var server = await TestServer.StartAsync();
        AddNode(server);
        await Put(server, Json(new { macs = new[] { Mac }, kernel = "http://k/vmlinuz" }));
        var request = new HttpRequestMessage(HttpMethod.Get, $"/boot/v1/bootscript?mac={Mac}");
        request.Headers.Host = "10.0.2.2:8081";
        var script = await (await server.Client.SendAsync(request)).Content.ReadAsStringAsync();
        Assert.Contains($" ds=nocloud-net;s={server.Services.CloudInitSeeds.SeedUrlFor(Xname, "http://10.0.2.2:8081")} ", script);
        Assert.Contains("chain http://10.0.2.2:8081/boot/v1/bootscript?mac=52:54:00:be:ef:01&retry=1\n", script);
    }

    [Fact]
    public async Task A_request_without_any_selector_chains_back_with_the_nic_mac_and_arch()
    {
        await using var server = await StartAsync();
        var response = await server.Client.GetAsync("/boot/v1/bootscript");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("#!ipxe\nchain http://172.16.0.254:8081/boot/v1/bootscript?mac=${net0/mac}&arch=${buildarch}\n\n", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("mac=zz:zz")]
    [InlineData("nid=-3")]
    [InlineData("nid=abc")]
    [InlineData("mac=&name=")]
    public async Task Selectors_that_are_present_but_unusable_are_400(string query)
    {
        await using var server = await StartAsync();
        var detail = await TestServer.AssertProblemAsync(await server.Client.GetAsync($"/boot/v1/bootscript?{query}"), 400);
        Assert.Equal("Need a mac=, name=, or nid= parameter", detail);
    }

    [Fact]
    public async Task Unknown_nodes_sleep_and_chain_then_get_their_discovery_image_or_a_404_never_a_500()
    {
        await using var server = await StartAsync();
        const string stranger = "52:54:00:00:00:99";

        var first = await server.Client.GetAsync($"/boot/v1/bootscript?mac={stranger}&ts=1735689600");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("#!ipxe\nsleep 10\nchain http://172.16.0.254:8081/boot/v1/bootscript?mac=52:54:00:00:00:99&arch=${buildarch}&ts=1735689600\n\n",
            await first.Content.ReadAsStringAsync());

        var detail = await TestServer.AssertProblemAsync(await server.Client.GetAsync($"/boot/v1/bootscript?mac={stranger}&arch=x86_64"), 404);
        Assert.Equal("Unknown MAC 52:54:00:00:00:99 architecture x86_64: this host not configured for booting.", detail);
        detail = await TestServer.AssertProblemAsync(await server.Client.GetAsync("/boot/v1/bootscript?name=x9c0s0b0n0&arch=arm64"), 404);
        Assert.Equal("Unknown x9c0s0b0n0 architecture arm64: this host not configured for booting.", detail);

        await Put(server, Json(new { hosts = new[] { "unknown-x86_64" }, kernel = "http://d/discovery", initrd = "http://d/initrd", @params = "console=ttyS0" }));
        var discovery = await server.Client.GetStringAsync($"/boot/v1/bootscript?mac={stranger}&arch=x86_64&ts=5");
        Assert.Equal(
            "#!ipxe\n" +
            "kernel --name kernel http://d/discovery initrd=initrd console=ttyS0 ds=nocloud-net;s=http://172.16.0.254:8081/cloud-init/ || goto boot_retry\n" +
            "initrd --name initrd http://d/initrd || goto boot_retry\n" +
            "boot || goto boot_retry\n:boot_retry\nsleep 30\n" +
            "chain http://172.16.0.254:8081/boot/v1/bootscript?mac=52:54:00:00:00:99&arch=${buildarch}&ts=5\n\n", discovery);
        // An arm64 node still has no discovery image.
        await TestServer.AssertProblemAsync(await server.Client.GetAsync($"/boot/v1/bootscript?mac={stranger}&arch=aarch64"), 404);
    }

    [Fact]
    public async Task A_known_node_without_a_kernel_anywhere_is_unknown_and_empty_components_are_ignored()
    {
        await using var server = await StartAsync();
        AddNode(server);
        await Put(server, Json(new { hosts = new[] { Xname }, @params = "no kernel here" }));
        var detail = await TestServer.AssertProblemAsync(await server.Client.GetAsync($"/boot/v1/bootscript?mac={Mac}&arch=x86_64"), 404);
        Assert.Equal($"Unknown MAC {Mac} ({Xname}) architecture x86_64: this host not configured for booting.", detail);

        await Put(server, Json(new { hosts = new[] { Xname }, kernel = "http://k/vmlinuz" }));
        Assert.Contains("xname=x1000c0s0b0n0", await server.Client.GetStringAsync($"/boot/v1/bootscript?mac={Mac}"));
        server.Services.Nodes.Update(Xname, new Core.Inventory.ComponentPatch { State = HmsState.Empty, Force = true });
        Assert.StartsWith("#!ipxe\nsleep 10\n", await server.Client.GetStringAsync($"/boot/v1/bootscript?mac={Mac}"));
    }

    [Fact]
    public async Task Json_mode_returns_boot_data_and_never_the_unknown_path()
    {
        await using var server = await StartAsync();
        AddNode(server);
        await Put(server, Json(new { macs = new[] { Mac }, @params = Params, kernel = Kernel, initrd = Initrd }));
        var response = await server.Client.GetAsync($"/boot/v1/bootscript?mac={Mac}&json=1");
        Assert.Equal("application/json; charset=UTF-8", response.Content.Headers.ContentType!.ToString());
        Assert.Equal(
            """{"params":"kernel initrd=initrd """ + Params + """ xname=x1000c0s0b0n0 nid=1 BOOTIF=01-52-54-00-be-ef-01","kernel":{"path":""" + "\"" + Kernel + "\"" + """},"initrd":{"path":""" + "\"" + Initrd + "\"}}",
            await response.Content.ReadAsStringAsync());

        var unconfigured = await server.Client.GetStringAsync("/boot/v1/bootscript?mac=52:54:00:00:00:42&json=1");
        Assert.Equal("""{"params":"kernel BOOTIF=01-52-54-00-00-00-42 ds=nocloud-net;s=http://172.16.0.254:8081/cloud-init/","kernel":{"path":""}}""", unconfigured);
    }

    [Fact]
    public async Task Explicit_params_win_and_initrd_tokens_are_removed_by_token_not_substring()
    {
        await using var server = await StartAsync();
        AddNode(server);
        await Put(server, Json(new
        {
            hosts = new[] { Xname }, kernel = "http://k/vmlinuz", initrd = "http://k/initrd",
            @params = "initrd=old.img root=live:http://s/initrd-images/img rd.initrd_debug xname=custom nid=99 BOOTIF=01-aa-bb-cc-dd-ee-ff ds=none",
        }));
        var script = await server.Client.GetStringAsync($"/boot/v1/bootscript?mac={Mac}");
        Assert.Contains("kernel --name kernel http://k/vmlinuz initrd=initrd root=live:http://s/initrd-images/img rd.initrd_debug xname=custom nid=99 BOOTIF=01-aa-bb-cc-dd-ee-ff ds=none || goto boot_retry\n", script);
    }

    [Fact]
    public async Task Service_routes_answer_get_only()
    {
        await using var server = await StartAsync();
        Assert.Equal("""{"bss-status":"running"}""", await server.Client.GetStringAsync("/boot/v1/service/status"));
        var all = await server.Client.GetStringAsync("/boot/v1/service/status/all");
        var backend = server.Services.Store.BackendName;
        Assert.Matches("""^\{"bss-status":"running","bss-version":"[^"]+","bss-status-hsm":"connected","bss-storage-backend":\{"name":"BACKEND","status":"connected"\}\}$""".Replace("BACKEND", backend), all);
        Assert.Matches("""^\{"bss-version":"\d+\.\d+\.\d+[^"]*"\}$""", await server.Client.GetStringAsync("/boot/v1/service/version"));
        Assert.Equal("""{"bss-status-hsm":"connected"}""", await server.Client.GetStringAsync("/boot/v1/service/hsm"));
        Assert.Equal("""{"bss-storage-backend":{"name":"BACKEND","status":"connected"}}""".Replace("BACKEND", backend), await server.Client.GetStringAsync("/boot/v1/service/storage/status"));
        foreach (var path in new[] { "/boot/v1/service/status", "/boot/v1/service/version", "/boot/v1/bootscript" })
        {
            var detail = await TestServer.AssertProblemAsync(await server.Client.PostAsync(path, null), 405);
            Assert.Equal("allow GET", detail);
        }
    }
}
