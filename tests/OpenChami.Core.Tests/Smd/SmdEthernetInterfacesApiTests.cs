using System.Net;
using System.Text.RegularExpressions;
using OpenChami.Core.Model;
using OpenChami.Core.Tests.Support;

namespace OpenChami.Core.Tests.Smd;

public sealed class SmdEthernetInterfacesApiTests
{
    private const string Interfaces = "/hsm/v2/Inventory/EthernetInterfaces";

    private static async Task<TestServer> StartWithInterfacesAsync()
    {
        var server = await TestServer.StartAsync();
        foreach (var body in new[]
        {
            """{"Description":"Interface 0 for compute1","MACAddress":"52:54:00:BE:EF:01","ComponentID":"x1000c0s0b0n0","IPAddresses":[{"IPAddress":"172.16.0.1","Network":"management"}]}""",
            """{"macaddress":"52-54-00-be-ef-02","componentid":"X1000C0S0B0","ipaddresses":[{"ipaddress":"172.16.0.101"}]}""",
            """{"MACAddress":"525400beef03"}""",
        })
        {
            Assert.Equal(HttpStatusCode.Created, (await server.SendJsonAsync(HttpMethod.Post, Interfaces, body)).StatusCode);
        }
        return server;
    }

    private static async Task<List<string>> IdsAsync(TestServer server, string query)
    {
        var response = await server.Client.GetAsync(Interfaces + query);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await TestServer.ReadJsonAsync(response)).AsArray().Select(e => (string)e!["ID"]!).ToList();
    }

    [Fact]
    public async Task Post_returns_201_with_a_single_uri_and_get_returns_the_exact_wire_shape()
    {
        await using var server = await TestServer.StartAsync();
        var response = await server.SendJsonAsync(HttpMethod.Post, Interfaces,
            """{"Description":"Interface 0 for compute1","MACAddress":"52:54:00:BE:EF:01","ComponentID":"x1000c0s0b0n0","IPAddresses":[{"IPAddress":"172.16.0.1","Network":"management"}]}""");
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("""{"URI":"/hsm/v2/Inventory/EthernetInterfaces/525400beef01"}""", await response.Content.ReadAsStringAsync());
        Assert.Equal("/hsm/v2/Inventory/EthernetInterfaces/525400beef01", response.Headers.Location?.OriginalString);

        var json = await server.Client.GetStringAsync(Interfaces + "/525400BEEF01");
        var stamp = Regex.Match(json, "\"LastUpdate\":\"([^\"]+)\"").Groups[1].Value;
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$", stamp);
        Assert.Equal("""{"ID":"525400beef01","Description":"Interface 0 for compute1","MACAddress":"52:54:00:be:ef:01","LastUpdate":"STAMP","ComponentID":"x1000c0s0b0n0","Type":"Node","IPAddresses":[{"IPAddress":"172.16.0.1","Network":"management"}]}""",
            json.Replace(stamp, "STAMP", StringComparison.Ordinal));
        // The collection is a bare array, also with cloud-init's trailing slash; no IPs is [].
        await server.SendJsonAsync(HttpMethod.Post, Interfaces, """{"MACAddress":"525400beef03"}""");
        var all = await TestServer.ReadJsonAsync(await server.Client.GetAsync(Interfaces + "/"));
        Assert.Equal(2, all.AsArray().Count);
        Assert.Equal("[]", all[1]!["IPAddresses"]!.ToJsonString());
        Assert.Equal("", (string?)all[1]!["ComponentID"]);
        Assert.Equal("", (string?)all[1]!["Description"]);
    }

    [Fact]
    public async Task Post_errors_use_the_spec_wording_and_store_nothing()
    {
        await using var server = await StartWithInterfacesAsync();
        Assert.Equal("operation would conflict with an existing component ethernet interface that has the same MAC address.",
            await TestServer.AssertProblemAsync(await server.SendJsonAsync(HttpMethod.Post, Interfaces, """{"MACAddress":"52.54.00.be.ef.01"}"""), 409));
        Assert.Equal("Invalid CompEthInterface component ID",
            await TestServer.AssertProblemAsync(await server.SendJsonAsync(HttpMethod.Post, Interfaces, """{"MACAddress":"52:54:00:be:ef:09","ComponentID":"foo"}"""), 400));
        Assert.Equal("Invalid CompEthInterface IP Address",
            await TestServer.AssertProblemAsync(await server.SendJsonAsync(HttpMethod.Post, Interfaces, """{"MACAddress":"52:54:00:be:ef:09","IPAddresses":[{"IPAddress":""}]}"""), 400));
        await TestServer.AssertProblemAsync(await server.SendJsonAsync(HttpMethod.Post, Interfaces, """{"MACAddress":"52:54:00:be:ef"}"""), 400);
        Assert.StartsWith("error decoding JSON", await TestServer.AssertProblemAsync(await server.SendJsonAsync(HttpMethod.Post, Interfaces, """{"MACAddress":5}"""), 400));
        Assert.Equal(3, server.Services.EthernetInterfaces.All().Count);
    }

    [Fact]
    public async Task Get_filters_follow_the_spec()
    {
        await using var server = await StartWithInterfacesAsync();
        Assert.Equal(["525400beef01"], await IdsAsync(server, "?MACAddress=52-54-00-BE-EF-01"));
        Assert.Equal(["525400beef02"], await IdsAsync(server, "?componentid=x1000c0s0b0"));
        Assert.Equal(["525400beef03"], await IdsAsync(server, "?ComponentID="));
        Assert.Equal(["525400beef01", "525400beef02"], await IdsAsync(server, "?ComponentID=!"));
        Assert.Equal(["525400beef01"], await IdsAsync(server, "?type=node"));
        Assert.Equal(["525400beef02"], await IdsAsync(server, "?IPAddress=172.16.0.101"));
        Assert.Equal(["525400beef01"], await IdsAsync(server, "?network=management"));
        Assert.Equal(["525400beef01", "525400beef03"], await IdsAsync(server, "?id=525400beef01&id=525400BEEF03"));
        Assert.Equal(["525400beef02", "525400beef03"], await IdsAsync(server, "?id=!525400beef01"));
        Assert.Equal(3, (await IdsAsync(server, "?NewerThan=2000-01-01T00:00:00Z&olderthan=2999-01-01T00:00:00Z")).Count);
        Assert.Empty(await IdsAsync(server, "?OlderThan=2000-01-01T00:00:00Z"));

        Assert.Equal("Invalid CompID.", await TestServer.AssertProblemAsync(await server.Client.GetAsync(Interfaces + "?ComponentID=foo"), 400));
        Assert.Equal("Invalid HMS type.", await TestServer.AssertProblemAsync(await server.Client.GetAsync(Interfaces + "?Type=foo"), 400));
        Assert.Equal("Invalid component ethernet interface MAC address.", await TestServer.AssertProblemAsync(await server.Client.GetAsync(Interfaces + "?MACAddress=zz"), 400));
        Assert.Equal("bad query param: Argument was not in a valid RFC3339 time format", await TestServer.AssertProblemAsync(await server.Client.GetAsync(Interfaces + "?OlderThan=yesterday"), 400));
    }

    [Fact]
    public async Task Patch_replaces_fields_recomputes_type_and_touches_last_update()
    {
        await using var server = await StartWithInterfacesAsync();
        var before = server.Services.EthernetInterfaces.Get("525400beef03").LastUpdate;
        await Task.Delay(5);
        var response = await server.SendJsonAsync(HttpMethod.Patch, Interfaces + "/525400beef03",
            """{"ComponentID":"x1000c0s1b0n0","IPAddresses":[{"IPAddress":"10.0.0.3"},{"IPAddress":"10.1.0.3","Network":"hsn"}]}""");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await TestServer.ReadJsonAsync(response);
        Assert.Equal("Node", (string?)body["Type"]);
        Assert.Equal("""[{"IPAddress":"10.0.0.3"},{"IPAddress":"10.1.0.3","Network":"hsn"}]""", body["IPAddresses"]!.ToJsonString());
        Assert.True(server.Services.EthernetInterfaces.Get("525400beef03").LastUpdate > before);

        response = await server.SendJsonAsync(HttpMethod.Patch, Interfaces + "/525400beef03", """{"ComponentID":"x1000c0s1b0","Description":"bmc"}""");
        body = await TestServer.ReadJsonAsync(response);
        Assert.Equal(("NodeBMC", "bmc", 2), ((string?)body["Type"], (string?)body["Description"], body["IPAddresses"]!.AsArray().Count));

        Assert.Equal("Request must have at least one patch field.", await TestServer.AssertProblemAsync(await server.SendJsonAsync(HttpMethod.Patch, Interfaces + "/525400beef03", "{}"), 400));
        Assert.Equal("No such component ethernet interface: 525400beef99", await TestServer.AssertProblemAsync(await server.SendJsonAsync(HttpMethod.Patch, Interfaces + "/525400beef99", """{"Description":"x"}"""), 404));
        Assert.Equal("Invalid CompEthInterface component ID", await TestServer.AssertProblemAsync(await server.SendJsonAsync(HttpMethod.Patch, Interfaces + "/525400beef03", """{"ComponentID":"bad"}"""), 400));
        Assert.Equal("bmc", server.Services.EthernetInterfaces.Get("525400beef03").Description);
    }

    [Fact]
    public async Task Get_and_delete_one_and_all()
    {
        await using var server = await StartWithInterfacesAsync();
        Assert.Equal("No such component ethernet interface: nope", await TestServer.AssertProblemAsync(await server.Client.GetAsync(Interfaces + "/nope"), 404));
        Assert.Equal("""{"code":0,"message":"deleted 1 entry"}""", await (await server.Client.DeleteAsync(Interfaces + "/525400BEEF01")).Content.ReadAsStringAsync());
        Assert.Equal("no such component ethernet interface.", await TestServer.AssertProblemAsync(await server.Client.DeleteAsync(Interfaces + "/525400beef01"), 404));
        Assert.Equal("""{"code":0,"message":"deleted 2 entries"}""", await (await server.Client.DeleteAsync(Interfaces)).Content.ReadAsStringAsync());
        Assert.Equal("no entries to delete", await TestServer.AssertProblemAsync(await server.Client.DeleteAsync(Interfaces), 404));
        Assert.Equal("[]", await server.Client.GetStringAsync(Interfaces));
        var allow = await TestServer.AssertProblemAsync(await server.SendJsonAsync(HttpMethod.Put, Interfaces, "{}"), 405);
        Assert.Equal(["DELETE", "GET", "POST"], allow["allow ".Length..].Split(',').Order().ToArray());
    }

    [Fact]
    public async Task Ip_address_subroutes_add_patch_and_delete()
    {
        await using var server = await StartWithInterfacesAsync();
        Assert.Equal("""[{"IPAddress":"172.16.0.1","Network":"management"}]""", await server.Client.GetStringAsync(Interfaces + "/525400beef01/IPAddresses"));
        var response = await server.SendJsonAsync(HttpMethod.Post, Interfaces + "/525400beef01/IPAddresses", """{"IPAddress":"10.5.0.1","Network":"hsn"}""");
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("""{"URI":"/hsm/v2/Inventory/EthernetInterfaces/525400beef01/IPAddresses/10.5.0.1"}""", await response.Content.ReadAsStringAsync());
        Assert.Equal("operation would conflict with an existing IP Address on the same ethernet interface.",
            await TestServer.AssertProblemAsync(await server.SendJsonAsync(HttpMethod.Post, Interfaces + "/525400beef01/IPAddresses", """{"IPAddress":"10.5.0.1"}"""), 409));
        Assert.Equal("Invalid CompEthInterface IP Address",
            await TestServer.AssertProblemAsync(await server.SendJsonAsync(HttpMethod.Post, Interfaces + "/525400beef01/IPAddresses", """{"IPAddress":"10.5.0"}"""), 400));
        await TestServer.AssertProblemAsync(await server.SendJsonAsync(HttpMethod.Post, Interfaces + "/525400beef77/IPAddresses", """{"IPAddress":"10.5.0.1"}"""), 404);

        response = await server.SendJsonAsync(HttpMethod.Patch, Interfaces + "/525400beef01/IPAddresses/10.5.0.1", """{"Network":"mgmt"}""");
        Assert.Equal("""{"IPAddress":"10.5.0.1","Network":"mgmt"}""", await response.Content.ReadAsStringAsync());
        Assert.Equal("no such IP address in component ethernet interface.",
            await TestServer.AssertProblemAsync(await server.SendJsonAsync(HttpMethod.Patch, Interfaces + "/525400beef01/IPAddresses/10.9.9.9", """{"Network":"x"}"""), 404));
        Assert.Equal("""{"code":0,"message":"deleted 1 entry"}""", await (await server.Client.DeleteAsync(Interfaces + "/525400beef01/IPAddresses/172.16.0.1")).Content.ReadAsStringAsync());
        Assert.Equal("no such IP address in component ethernet interface.",
            await TestServer.AssertProblemAsync(await server.Client.DeleteAsync(Interfaces + "/525400beef01/IPAddresses/172.16.0.1"), 404));
        Assert.Equal(["10.5.0.1"], server.Services.EthernetInterfaces.Get("52:54:00:be:ef:01").IPAddresses.Select(i => i.IPAddress));
    }

    [Fact]
    public async Task Interfaces_created_through_the_service_are_served_and_http_writes_are_visible_to_the_service()
    {
        await using var server = await TestServer.StartAsync();
        server.Services.EthernetInterfaces.Create(new EthernetInterface { MACAddress = "aa:bb:cc:dd:ee:ff", ComponentID = "x1c0s0b0n0" });
        Assert.Equal(["aabbccddeeff"], await IdsAsync(server, "?ComponentID=x1c0s0b0n0"));
        await server.SendJsonAsync(HttpMethod.Post, Interfaces, """{"MACAddress":"aa:bb:cc:dd:ee:00","ComponentID":"x1c0s0b0n0"}""");
        Assert.Equal(2, server.Services.EthernetInterfaces.OfComponent("x1c0s0b0n0").Count);
    }
}
