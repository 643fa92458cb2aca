using System.Net;
using OpenChami.Core.Boot;
using OpenChami.Core.Tests.Support;
using static OpenChami.Core.Tests.Boot.BssTestData;

namespace OpenChami.Core.Tests.Boot;

public sealed class BootParametersHttpTests
{
    private const string Path = "/boot/v1/bootparameters";
    private const string PhoneHome = """{"pub_key_dsa":"","pub_key_rsa":"","pub_key_ecdsa":"","instance_id":"","hostname":"","fqdn":""}""";
    private const string EmptyCloudInit = """{"meta-data":null,"user-data":null,"phone-home":""" + PhoneHome + "}";

    private static int Count(TestServer server) => server.Services.BootParams.GetEntries().Count;

    [Fact]
    public async Task Get_is_an_empty_array_then_groups_identical_configs_in_the_spec_shape()
    {
        await using var server = await TestServer.StartAsync();
        var empty = await server.Client.GetAsync(Path);
        Assert.Equal("application/json; charset=UTF-8", empty.Content.Headers.ContentType!.ToString());
        Assert.Equal("[]", await empty.Content.ReadAsStringAsync());

        var put = await server.SendJsonAsync(HttpMethod.Put, Path, Json(new { macs = new[] { "52-54-00-BE-EF-01", Mac2 }, @params = Params, kernel = Kernel, initrd = Initrd }));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.True(Guid.TryParse(put.Headers.GetValues("BSS-Referral-Token").Single(), out _));
        Assert.Equal(string.Empty, await put.Content.ReadAsStringAsync());

        Assert.Equal(
            """[{"macs":["52:54:00:be:ef:01","52:54:00:be:ef:02"],"params":""" + "\"" + Params + "\",\"kernel\":\"" + Kernel + "\",\"initrd\":\"" + Initrd + "\",\"cloud-init\":" + EmptyCloudInit + "}]",
            await server.Client.GetStringAsync(Path));
    }

    [Fact]
    public async Task Get_filters_by_mac_name_nid_as_lists_or_repeats_and_by_body()
    {
        await using var server = await TestServer.StartAsync();
        await server.SendJsonAsync(HttpMethod.Put, Path, Json(new { hosts = new[] { Xname, "Default" }, kernel = "http://k/a" }));
        await server.SendJsonAsync(HttpMethod.Put, Path, Json(new { macs = new[] { Mac }, nids = new[] { 7 }, kernel = "http://k/b" }));

        var byMac = await TestServer.ReadJsonAsync(await server.Client.GetAsync($"{Path}?mac=52:54:00:BE:EF:01"));
        Assert.Equal("http://k/b", (string?)byMac[0]!["kernel"]);
        var byMany = (await TestServer.ReadJsonAsync(await server.Client.GetAsync($"{Path}?name={Xname},default&nid=7&nid=404"))).AsArray();
        Assert.Equal(2, byMany.Count);
        Assert.Equal("""["x1000c0s0b0n0","Default"]""", byMany[0]!["hosts"]!.ToJsonString());
        Assert.Equal("[7]", byMany[1]!["nids"]!.ToJsonString());

        var byBody = await server.Client.SendAsync(new HttpRequestMessage(HttpMethod.Get, Path) { Content = new StringContent("""{"kernel":"http://k/a"}""") });
        Assert.Equal(2, (await TestServer.ReadJsonAsync(byBody))[0]!["hosts"]!.AsArray().Count);

        Assert.Equal("Cannot find boot parameters for requested Hosts, MACs or NIDs",
            await TestServer.AssertProblemAsync(await server.Client.GetAsync($"{Path}?mac=52:54:00:00:00:00&name=x9c0s0b0n0"), 404));
        Assert.Equal("Bad Request - Invalid nid 'seven'", await TestServer.AssertProblemAsync(await server.Client.GetAsync($"{Path}?nid=seven"), 400));
    }

    [Fact]
    public async Task Post_creates_every_identity_of_every_list_and_refuses_existing_ones_atomically()
    {
        await using var server = await TestServer.StartAsync();
        var created = await server.SendJsonAsync(HttpMethod.Post, Path, Json(new { hosts = new[] { Xname, "compute" }, macs = new[] { Mac }, nids = new[] { 3 }, kernel = "http://k/a" }));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Single(created.Headers.GetValues("BSS-Referral-Token"));
        Assert.Equal(string.Empty, await created.Content.ReadAsStringAsync());
        Assert.Equal(4, Count(server));
        Assert.Contains(server.Services.BootParams.GetEntries(), e => e.Kind == BootIdentityKind.Tag && e.Value == "Compute");

        var conflict = await server.SendJsonAsync(HttpMethod.Post, Path, Json(new { macs = new[] { Mac2, Mac }, kernel = "http://k/b" }));
        // Upstream answers an existing identity with 400, not 409 (spec/bss.md §4.2).
        Assert.Equal($"Already exists: {Mac}", await TestServer.AssertProblemAsync(conflict, 400));
        Assert.Equal(4, Count(server));
    }

    [Theory]
    [InlineData("""{"kernel":"http://k/a"}""", "Bad Request: no hosts, macs or nids given")]
    [InlineData("""{"hosts":["x1000c0s0b0n0"]}""", "Bad Request: kernel URI cannot be blank")]
    [InlineData("""{"macs":["not-a-mac"],"kernel":"k"}""", "Bad Request: invalid MAC address 'not-a-mac'")]
    [InlineData("""{"nids":[-1],"kernel":"k"}""", "Bad Request: invalid nid '-1' (must be 0 to 2147483647)")]
    public async Task Post_validation_errors_are_400_and_write_nothing(string body, string detail)
    {
        await using var server = await TestServer.StartAsync();
        Assert.Equal(detail, await TestServer.AssertProblemAsync(await server.SendJsonAsync(HttpMethod.Post, Path, body), 400));
        Assert.Equal(0, Count(server));
    }

    [Theory]
    [InlineData("nonsense")]
    [InlineData("x1000c0s0b0n0; DROP TABLE")]
    public async Task Hosts_must_be_xnames_or_tags(string host)
    {
        await using var server = await TestServer.StartAsync();
        var body = Json(new { hosts = new[] { Xname, host }, kernel = "http://k/a" });
        var detail = await TestServer.AssertProblemAsync(await server.SendJsonAsync(HttpMethod.Put, Path, body), 400);
        Assert.StartsWith($"Bad Request: host '{host}' ", detail);
        Assert.Equal(0, Count(server));
    }

    [Fact]
    public async Task Put_replaces_omitted_fields_and_stores_default_and_role_tags()
    {
        await using var server = await TestServer.StartAsync();
        await server.SendJsonAsync(HttpMethod.Put, Path, Json(new { hosts = new[] { "Default" }, kernel = "http://k/a", initrd = "http://k/i", @params = "quiet" }));
        await server.SendJsonAsync(HttpMethod.Put, Path, Json(new { hosts = new[] { "default" }, kernel = "http://k/b" }));
        var entry = Assert.Single(server.Services.BootParams.GetEntries());
        Assert.Equal(("Default", "http://k/b", "", ""), (entry.Value, entry.Kernel, entry.Initrd, entry.Params));
        Assert.Equal("[{\"hosts\":[\"Default\"],\"kernel\":\"http://k/b\",\"cloud-init\":" + EmptyCloudInit + "}]", await server.Client.GetStringAsync(Path));
    }

    [Fact]
    public async Task Patch_changes_only_given_fields_of_existing_entries_and_merges_cloud_init()
    {
        await using var server = await TestServer.StartAsync();
        await server.SendJsonAsync(HttpMethod.Put, Path, """{"macs":["52:54:00:be:ef:01"],"kernel":"http://k/a","params":"quiet","cloud-init":{"meta-data":{"a":1,"b":2},"phone-home":{"hostname":"n1","pub_key_ed25519":"ssh-ed25519 AAA"}}}""");
        var ok = await server.SendJsonAsync(HttpMethod.Patch, Path, """{"macs":["52:54:00:BE:EF:01"],"params":"debug","cloud-init":{"meta-data":{"b":null,"c":3}}}""");
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal(
            """[{"macs":["52:54:00:be:ef:01"],"params":"debug","kernel":"http://k/a","cloud-init":{"meta-data":{"a":1,"c":3},"user-data":null,"phone-home":{"pub_key_dsa":"","pub_key_rsa":"","pub_key_ecdsa":"","pub_key_ed25519":"ssh-ed25519 AAA","instance_id":"","hostname":"n1","fqdn":""}}}]""",
            await server.Client.GetStringAsync(Path));

        var missing = await server.SendJsonAsync(HttpMethod.Patch, Path, Json(new { macs = new[] { Mac }, hosts = new[] { Xname }, kernel = "http://k/z" }));
        Assert.Equal($"Not Found: {Xname} does not exist", await TestServer.AssertProblemAsync(missing, 404));
        Assert.Equal("http://k/a", server.Services.BootParams.GetEntries().Single().Kernel);
        Assert.Equal("Bad Request: nothing to update",
            await TestServer.AssertProblemAsync(await server.SendJsonAsync(HttpMethod.Patch, Path, Json(new { macs = new[] { Mac } })), 400));
    }

    [Fact]
    public async Task Delete_by_identities_or_by_fields_and_404_when_nothing_matched()
    {
        await using var server = await TestServer.StartAsync();
        await server.SendJsonAsync(HttpMethod.Put, Path, Json(new { hosts = new[] { Xname, "Default" }, macs = new[] { Mac }, kernel = "http://k/a" }));
        await server.SendJsonAsync(HttpMethod.Put, Path, Json(new { nids = new[] { 1, 2 }, kernel = "http://k/b", @params = "x" }));
        await server.SendJsonAsync(HttpMethod.Put, Path, Json(new { nids = new[] { 1 }, arch = "aarch64", kernel = "http://k/arm" }));

        Assert.Equal(HttpStatusCode.OK, (await server.SendJsonAsync(HttpMethod.Delete, Path, Json(new { hosts = new[] { Xname }, macs = new[] { "52:54:00:BE:EF:01" } }))).StatusCode);
        Assert.Equal(4, Count(server));
        // No arch named: every variant of nid 1 goes.
        Assert.Equal(HttpStatusCode.OK, (await server.SendJsonAsync(HttpMethod.Delete, Path, Json(new { nids = new[] { 1 } }))).StatusCode);
        Assert.Equal(2, Count(server));
        Assert.Equal(HttpStatusCode.OK, (await server.SendJsonAsync(HttpMethod.Delete, Path, Json(new { kernel = "http://k/b", @params = "x" }))).StatusCode);
        Assert.Equal("Default", Assert.Single(server.Services.BootParams.GetEntries()).Value);

        Assert.Equal("Not Found: no matching boot parameters",
            await TestServer.AssertProblemAsync(await server.SendJsonAsync(HttpMethod.Delete, Path, Json(new { macs = new[] { Mac } })), 404));
        Assert.Equal("Not Found: no matching boot parameters",
            await TestServer.AssertProblemAsync(await server.SendJsonAsync(HttpMethod.Delete, Path, Json(new { kernel = "http://nope" })), 404));
        await TestServer.AssertProblemAsync(await server.SendJsonAsync(HttpMethod.Delete, Path, "{}"), 400);
        await TestServer.AssertProblemAsync(await server.SendJsonAsync(HttpMethod.Put, Path, "{\"hosts\":"), 400);
        Assert.Equal(1, Count(server));
    }

    [Fact]
    public async Task Hosts_dumpstate_and_endpoint_history()
    {
        await using var server = await TestServer.StartAsync();
        Assert.Equal("[]", await server.Client.GetStringAsync("/boot/v1/hosts"));
        AddNode(server);
        AddNode(server, "x1000c0s0b0n1", 2, Mac2);
        await server.SendJsonAsync(HttpMethod.Put, Path, Json(new { hosts = new[] { "Default" }, kernel = "http://k/a" }));

        var hosts = (await TestServer.ReadJsonAsync(await server.Client.GetAsync($"/boot/v1/hosts?mac={Mac2}"))).AsArray();
        Assert.Equal("""[{"ID":"x1000c0s0b0n1","Type":"Node","State":"On","Flag":"OK","Enabled":true,"Role":"Compute","NID":2,"FQDN":"","MAC":["52:54:00:be:ef:02"],"EndpointEnabled":true}]""", hosts.ToJsonString());
        Assert.Equal(2, (await TestServer.ReadJsonAsync(await server.Client.GetAsync("/boot/v1/hosts"))).AsArray().Count);
        Assert.Equal("Not Found - Unknown host name 'x9c0s0b0n0'", await TestServer.AssertProblemAsync(await server.Client.GetAsync("/boot/v1/hosts?name=x9c0s0b0n0"), 404));
        Assert.Equal("Not Found - Unknown NID '9'", await TestServer.AssertProblemAsync(await server.Client.GetAsync("/boot/v1/hosts?nid=9"), 404));
        Assert.Equal("Not Found - Unknown MAC address 'aa:aa:aa:aa:aa:aa'", await TestServer.AssertProblemAsync(await server.Client.GetAsync("/boot/v1/hosts?mac=aa:aa:aa:aa:aa:aa"), 404));
        await TestServer.AssertProblemAsync(await server.Client.GetAsync("/boot/v1/hosts?nid=x"), 400);
        var refresh = await server.Client.PostAsync("/boot/v1/hosts", null);
        Assert.Equal(HttpStatusCode.NoContent, refresh.StatusCode);
        Assert.Equal("no-cache", refresh.Headers.CacheControl!.ToString());

        var dump = await TestServer.ReadJsonAsync(await server.Client.GetAsync("/boot/v1/dumpstate"));
        Assert.Equal(2, dump["Components"]!.AsArray().Count);
        Assert.Equal("http://k/a", (string?)dump["Params"]![0]!["kernel"]);

        Assert.Equal("[]", await server.Client.GetStringAsync("/boot/v1/endpoint-history"));
        var before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        await server.Client.GetStringAsync($"/boot/v1/bootscript?mac={Mac}");
        await server.Client.GetStringAsync($"/boot/v1/bootscript?mac={Mac}");
        await server.Client.GetStringAsync("/boot/v1/bootscript?mac=52:54:00:00:00:01"); // unknown: not recorded
        var after = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var history = (await TestServer.ReadJsonAsync(await server.Client.GetAsync($"/boot/v1/endpoint-history?name={Xname}&endpoint=bootscript"))).AsArray();
        var access = Assert.Single(history);
        Assert.Equal(Xname, (string?)access!["name"]);
        Assert.Equal("bootscript", (string?)access["endpoint"]);
        Assert.InRange((long)access["last_epoch"]!, before, after); // between the requests, however slow the machine
        Assert.Equal("[]", await server.Client.GetStringAsync("/boot/v1/endpoint-history?endpoint=user-data"));
        Assert.Equal("Invalid endpoint type 'x' OR 1=1'", await TestServer.AssertProblemAsync(await server.Client.GetAsync("/boot/v1/endpoint-history?endpoint=x%27%20OR%201=1"), 400));
    }
}
