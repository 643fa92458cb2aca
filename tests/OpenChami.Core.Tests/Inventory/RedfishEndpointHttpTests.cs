using System.Net;
using System.Text.Json.Nodes;
using OpenChami.Core.Model;
using OpenChami.Core.Tests.Support;

namespace OpenChami.Core.Tests.Inventory;

/// <summary><c>/hsm/v2/Inventory/RedfishEndpoints</c>, ComponentEndpoints and ServiceEndpoints over real Kestrel (spec/smd.md §2.4, §2.5).</summary>
public sealed class RedfishEndpointHttpTests
{
    private const string Rfes = "/hsm/v2/Inventory/RedfishEndpoints";
    private const string Ces = "/hsm/v2/Inventory/ComponentEndpoints";
    private const string Ses = "/hsm/v2/Inventory/ServiceEndpoints";

    private const string PlainBmc = """{"ID":"x1000c0s0b0","Hostname":"bmc0","Domain":"demo.cluster","User":"root","Password":"hunter2-secret","MACAddr":"DE-CA-FC-0F-FE-E1","IPAddress":"172.16.0.101","UseSSDP":false}""";

    private static string StaticRecord(string bmc = "x1000c0s0b0", string fqdn = "", params string[] nodes) => new JsonObject
    {
        ["ID"] = bmc,
        ["Type"] = "NodeBMC",
        ["Name"] = "bmc01",
        ["MACAddr"] = "de:ca:fc:0f:fe:e1",
        ["IPAddress"] = "172.16.0.101",
        ["FQDN"] = fqdn,
        ["UUID"] = Guid.NewGuid().ToString(),
        ["SchemaVersion"] = 1,
        ["Managers"] = new JsonArray(new JsonObject
        {
            ["uri"] = $"https://demo.openchami.cluster:8443/redfish/v1/Managers/{bmc}",
            ["name"] = bmc,
            ["type"] = "NodeBMC",
            ["uuid"] = Guid.NewGuid().ToString(),
            ["ethernet_interfaces"] = new JsonArray(new JsonObject { ["name"] = bmc, ["description"] = $"Interface for BMC {bmc}", ["mac"] = "de:ca:fc:0f:fe:e1", ["ip"] = "172.16.0.101" }),
        }),
        ["Systems"] = new JsonArray(nodes.Select((n, i) => (JsonNode)new JsonObject
        {
            ["uri"] = $"https://demo.openchami.cluster:8443/redfish/v1/Systems/{n}",
            ["name"] = $"compute{i + 1}",
            ["uuid"] = Guid.NewGuid().ToString(),
            ["actions"] = new JsonArray("On", "ForceOff", "GracefulShutdown"),
            ["ethernet_interfaces"] = new JsonArray(new JsonObject { ["name"] = n, ["description"] = $"Interface 0 for compute{i + 1}", ["mac"] = $"52:54:00:be:ef:0{i + 1}", ["ip"] = $"172.16.0.{i + 1}" }),
        }).ToArray()),
    }.ToJsonString();

    [Fact]
    public async Task Post_get_returns_the_exact_record_with_an_empty_password_and_keeps_the_secret_apart()
    {
        await using var server = await TestServer.StartAsync();
        var created = await server.SendJsonAsync(HttpMethod.Post, Rfes, PlainBmc);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("""[{"URI":"/hsm/v2/Inventory/RedfishEndpoints/x1000c0s0b0"}]""", await created.Content.ReadAsStringAsync());
        Assert.Equal("/hsm/v2/Inventory/RedfishEndpoints/x1000c0s0b0", created.Headers.Location?.OriginalString);

        var one = await server.Client.GetStringAsync($"{Rfes}/x1000c0s0b0");
        Assert.Equal("""{"ID":"x1000c0s0b0","Type":"NodeBMC","Hostname":"bmc0","Domain":"demo.cluster","FQDN":"bmc0.demo.cluster","Enabled":true,"User":"root","Password":"","MACAddr":"de:ca:fc:0f:fe:e1","IPAddress":"172.16.0.101","RediscoverOnUpdate":false,"DiscoveryInfo":{"LastDiscoveryStatus":"NotYetQueried"}}""", one);
        var all = await server.Client.GetStringAsync(Rfes);
        Assert.Equal($$"""{"RedfishEndpoints":[{{one}}]}""", all);
        Assert.DoesNotContain("hunter2", all);
        Assert.Equal("hunter2-secret", server.Services.Credentials.Get("x1000c0s0b0")?.Secret);
    }

    [Fact]
    public async Task The_password_is_in_no_read_route_export_or_server_log()
    {
        await using var server = await TestServer.StartAsync();
        await server.SendJsonAsync(HttpMethod.Post, Rfes, StaticRecord("x1000c0s1b0", "", "x1000c0s1b0n0").Replace("\"Managers\"", "\"Password\":\"hunter2-secret\",\"Managers\""));
        await server.SendJsonAsync(HttpMethod.Post, Rfes, PlainBmc);
        await server.SendJsonAsync(HttpMethod.Patch, $"{Rfes}/x1000c0s0b0", """{"Password":"hunter2-secret"}""");
        await server.SendJsonAsync(HttpMethod.Post, Rfes, PlainBmc); // a 409 whose body carries the secret
        var reads = new[]
        {
            await server.Client.GetStringAsync(Rfes),
            await server.Client.GetStringAsync($"{Rfes}/x1000c0s0b0"),
            await server.Client.GetStringAsync($"{Rfes}/Query/all"),
            await server.Client.GetStringAsync("/hsm/v2/Inventory/ComponentEndpoints"),
            await (await server.SendJsonAsync(HttpMethod.Put, $"{Rfes}/x1000c0s1b0", """{"Password":"hunter2-secret"}""")).Content.ReadAsStringAsync(),
            OpenChami.Core.Inventory.Import.InventoryExporter.ToJson(server.Services.Inventory.Export()),
            string.Join("\n", server.Server.Log.Snapshot().Select(e => e.ToString())),
        };
        Assert.All(reads, text => Assert.DoesNotContain("hunter2", text));
        Assert.Equal("hunter2-secret", server.Services.Credentials.Get("x1000c0s1b0")!.Secret);
    }

    [Fact]
    public async Task Empty_collections_are_arrays_never_null()
    {
        await using var server = await TestServer.StartAsync();
        Assert.Equal("""{"RedfishEndpoints":[]}""", await server.Client.GetStringAsync(Rfes));
        Assert.Equal("""{"ComponentEndpoints":[]}""", await server.Client.GetStringAsync(Ces));
        Assert.Equal("""{"ServiceEndpoints":[]}""", await server.Client.GetStringAsync(Ses));
    }

    [Theory]
    [InlineData("""{"ID":"foo"}""", "couldn't validate endpoint data: foo is not a valid locational xname ID")]
    [InlineData("""{"ID":"x1000c0s0b0n0"}""", "couldn't validate endpoint data: xname ID x1000c0s0b0n0 has wrong type for RF endpoint: Node")]
    [InlineData("""{"ID":"x1000c0s0b0","Hostname":"a","Domain":"b","FQDN":"c.d"}""", "couldn't validate endpoint data: host/domain conflicts with FQDN: 'a.b' != 'c.d'")]
    [InlineData("""{"ID":"x1000c0s0b0","IPAddress":"300.1.1.1"}""", "couldn't validate endpoint data: IPAddress is not a valid IP address")]
    [InlineData("""{"RedfishEndpoints":[{"ID":"x1000c0s0b0"},{"ID":"x1000c0s0b1n0"}]}""", "couldn't validate endpoint data at idx 1: xname ID x1000c0s0b1n0 has wrong type for RF endpoint: Node")]
    [InlineData("""{}""", "couldn't validate endpoint data: ID is required (a BMC xname such as x1000c0s0b0)")]
    public async Task Invalid_endpoints_are_400_and_store_nothing(string body, string detail)
    {
        await using var server = await TestServer.StartAsync();
        var response = await server.SendJsonAsync(HttpMethod.Post, Rfes, body);
        Assert.Equal(detail, await TestServer.AssertProblemAsync(response, 400));
        Assert.Empty(server.Services.RedfishEndpoints.Query());
    }

    [Fact]
    public async Task Malformed_json_and_wrong_json_types_are_400()
    {
        await using var server = await TestServer.StartAsync();
        var detail = await TestServer.AssertProblemAsync(await server.SendJsonAsync(HttpMethod.Post, Rfes, """{"ID":"x1000c0s0b0",""" ), 400);
        Assert.StartsWith("error decoding JSON", detail);
        detail = await TestServer.AssertProblemAsync(await server.SendJsonAsync(HttpMethod.Post, Rfes, """{"ID":"x1000c0s0b0","Enabled":"yes"}"""), 400);
        Assert.StartsWith("error decoding JSON", detail);
        detail = await TestServer.AssertProblemAsync(await server.SendJsonAsync(HttpMethod.Put, $"{Rfes}/x1000c0s0b0", "[1,2]"), 400);
        Assert.StartsWith("couldn't validate endpoint data", detail);
    }

    [Fact]
    public async Task Duplicate_id_or_fqdn_is_409_and_a_failing_bulk_request_leaves_the_store_unchanged()
    {
        await using var server = await TestServer.StartAsync();
        Assert.Equal(HttpStatusCode.Created, (await server.SendJsonAsync(HttpMethod.Post, Rfes, PlainBmc)).StatusCode);
        const string conflict = "operation would conflict with an existing resource that has the same FQDN or xname ID.";
        Assert.Equal(conflict, await TestServer.AssertProblemAsync(await server.SendJsonAsync(HttpMethod.Post, Rfes, """{"ID":"x1000c0s0b0"}"""), 409));
        Assert.Equal(conflict, await TestServer.AssertProblemAsync(await server.SendJsonAsync(HttpMethod.Post, Rfes, """{"ID":"x1000c0s0b1","FQDN":"bmc0.demo.cluster"}"""), 409));

        var before = await server.Client.GetStringAsync(Rfes);
        // Item 0 is fine and carries an inventory; item 1 clashes: nothing of either may remain.
        var bulk = $$"""{"RedfishEndpoints":[{{StaticRecord("x1000c0s1b0", "", "x1000c0s1b0n0")}},{"ID":"x1000c0s0b0"}]}""";
        Assert.Equal(conflict, await TestServer.AssertProblemAsync(await server.SendJsonAsync(HttpMethod.Post, Rfes, bulk), 409));
        Assert.Equal(before, await server.Client.GetStringAsync(Rfes));
        Assert.Equal("""{"ComponentEndpoints":[]}""", await server.Client.GetStringAsync(Ces));
        Assert.Null(server.Services.Components.Find("x1000c0s1b0n0"));
        Assert.Null(server.Services.EthernetInterfaces.FindByMac("52:54:00:be:ef:01"));

        // PUT that would take another endpoint's FQDN is a conflict too.
        await TestServer.AssertProblemAsync(await server.SendJsonAsync(HttpMethod.Put, $"{Rfes}/x1000c0s2b0", """{"FQDN":"bmc0.demo.cluster"}"""), 409);
    }

    [Fact]
    public async Task Wrapper_elements_with_schema_version_1_are_each_ingested()
    {
        await using var server = await TestServer.StartAsync();
        var body = $$"""{"RedfishEndpoints":[{{StaticRecord("x1000c0s0b0", "", "x1000c0s0b0n0")}},{{StaticRecord("x1000c0s1b0", "bmc1.example", "x1000c0s1b0n0").Replace("de:ca:fc:0f:fe:e1", "de:ca:fc:0f:fe:e2").Replace("52:54:00:be:ef:01", "52:54:00:be:ef:09")}}]}""";
        var response = await server.SendJsonAsync(HttpMethod.Post, Rfes, body);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("""[{"URI":"/hsm/v2/Inventory/RedfishEndpoints/x1000c0s0b0"},{"URI":"/hsm/v2/Inventory/RedfishEndpoints/x1000c0s1b0"}]""", await response.Content.ReadAsStringAsync());
        Assert.NotNull(server.Services.RedfishEndpoints.FindComponentEndpoint("x1000c0s0b0n0"));
        Assert.NotNull(server.Services.RedfishEndpoints.FindComponentEndpoint("x1000c0s1b0n0"));
        Assert.Equal("bmc1.example/redfish/v1/Systems/x1000c0s1b0n0", server.Services.RedfishEndpoints.FindComponentEndpoint("x1000c0s1b0n0")!.RedfishURL);
    }

    [Fact]
    public async Task Schema_version_1_ingestion_produces_components_nics_and_exact_component_endpoints()
    {
        await using var server = await TestServer.StartAsync();
        var response = await server.SendJsonAsync(HttpMethod.Post, Rfes, StaticRecord("x1000c0s0b0", "", "x1000c0s0b0n1", "x1000c0s0b0n0"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);

        // Nodes are named from the System URI (n1 listed first keeps n1), NIDs are the lowest free ones.
        var components = await server.Client.GetStringAsync("/hsm/v2/State/Components");
        Assert.Equal("""{"Components":[{"ID":"x1000c0s0b0","Type":"NodeBMC","State":"Ready","Flag":"OK","Enabled":true},{"ID":"x1000c0s0b0n0","Type":"Node","State":"On","Flag":"OK","Enabled":true,"Role":"Compute","NID":2},{"ID":"x1000c0s0b0n1","Type":"Node","State":"On","Flag":"OK","Enabled":true,"Role":"Compute","NID":1}]}""", components);

        var node = JsonNode.Parse(await server.Client.GetStringAsync($"{Ces}/x1000c0s0b0n1"))!.AsObject();
        var uuid = (string)node["UUID"]!;
        Assert.Equal($$$"""{"ID":"x1000c0s0b0n1","Type":"Node","RedfishType":"ComputerSystem","RedfishSubtype":"","UUID":"{{{uuid}}}","OdataID":"/redfish/v1/Systems/x1000c0s0b0n1","RedfishEndpointID":"x1000c0s0b0","Enabled":true,"RedfishEndpointFQDN":"x1000c0s0b0","RedfishURL":"x1000c0s0b0/redfish/v1/Systems/x1000c0s0b0n1","ComponentEndpointType":"ComponentEndpointComputerSystem","RedfishSystemInfo":{"Name":"compute1","Actions":{"#ComputerSystem.Reset":{"ResetType@Redfish.AllowableValues":["On","ForceOff","GracefulShutdown"],"@Redfish.ActionInfo":"/redfish/v1/Systems/x1000c0s0b0n1/ResetActionInfo","target":"/redfish/v1/Systems/x1000c0s0b0n1/Actions/ComputerSystem.Reset"}},"EthernetNICInfo":[{"RedfishId":"x1000c0s0b0n1","@odata.id":"","Description":"Interface 0 for compute1","MACAddress":"52:54:00:be:ef:01"}]}}""", node.ToJsonString());

        var bmc = JsonNode.Parse(await server.Client.GetStringAsync($"{Ces}/x1000c0s0b0"))!;
        Assert.Equal("Manager", (string)bmc["RedfishType"]!);
        Assert.Equal("NodeBMC", (string)bmc["RedfishSubtype"]!);
        Assert.Equal("ComponentEndpointManager", (string)bmc["ComponentEndpointType"]!);
        Assert.Equal("/redfish/v1/Managers/x1000c0s0b0/Actions/Manager.Reset", (string)bmc["RedfishManagerInfo"]!["Actions"]!["#Manager.Reset"]!["target"]!);

        var nic = server.Services.EthernetInterfaces.FindByMac("de:ca:fc:0f:fe:e1")!;
        Assert.Equal(("x1000c0s0b0", "NodeBMC", "Interface for BMC x1000c0s0b0"), (nic.ComponentID, nic.Type, nic.Description));
        Assert.Equal("172.16.0.101", Assert.Single(nic.IPAddresses).IPAddress);

        var rfe = JsonNode.Parse(await server.Client.GetStringAsync($"{Rfes}/x1000c0s0b0"))!;
        Assert.Equal("DiscoverOK", (string)rfe["DiscoveryInfo"]!["LastDiscoveryStatus"]!);
        Assert.NotNull(rfe["DiscoveryInfo"]!["LastDiscoveryAttempt"]);
        Assert.Null(rfe["Systems"]);
        Assert.Null(rfe["SchemaVersion"]);
    }

    [Fact]
    public async Task Post_409_then_put_of_the_same_record_converges_and_keeps_existing_components()
    {
        await using var server = await TestServer.StartAsync();
        var record = StaticRecord("x1000c0s0b0", "", "x1000c0s0b0n0");
        Assert.Equal(HttpStatusCode.Created, (await server.SendJsonAsync(HttpMethod.Post, Rfes, record)).StatusCode);
        server.Services.Components.Update("x1000c0s0b0n0", new OpenChami.Core.Inventory.ComponentPatch { State = HmsState.Off, Flag = HmsFlag.Warning, Role = "Service" });

        await TestServer.AssertProblemAsync(await server.SendJsonAsync(HttpMethod.Post, Rfes, record), 409);
        var put = await server.SendJsonAsync(HttpMethod.Put, $"{Rfes}/x1000c0s0b0", record);
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal("x1000c0s0b0", (string)(await TestServer.ReadJsonAsync(put))["ID"]!);
        Assert.Equal("", (string)(await TestServer.ReadJsonAsync(await server.SendJsonAsync(HttpMethod.Put, $"{Rfes}/x1000c0s0b0", record)))["Password"]!);

        var node = server.Services.Components.Get("x1000c0s0b0n0");
        Assert.Equal((HmsState.Off, HmsFlag.Warning, "Service", 1L), (node.State, node.Flag, node.Role, node.NID));
        Assert.Single(server.Services.RedfishEndpoints.QueryComponentEndpoints(), c => c.ID == "x1000c0s0b0n0");
    }

    [Fact]
    public async Task Put_creates_with_200_and_rejects_a_mismatched_id()
    {
        await using var server = await TestServer.StartAsync();
        var put = await server.SendJsonAsync(HttpMethod.Put, $"{Rfes}/x1000c0s0b3", """{"FQDN":"10.1.1.3:5000","Password":"pw"}""");
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal("""{"ID":"x1000c0s0b3","Type":"NodeBMC","Hostname":"10.1.1.3:5000","Domain":"","FQDN":"10.1.1.3:5000","Enabled":true,"User":"","Password":"","RediscoverOnUpdate":false,"DiscoveryInfo":{"LastDiscoveryStatus":"NotYetQueried"}}""", await put.Content.ReadAsStringAsync());
        Assert.Equal("xname in URL and PUT body do not match",
            await TestServer.AssertProblemAsync(await server.SendJsonAsync(HttpMethod.Put, $"{Rfes}/x1000c0s0b3", """{"ID":"x1000c0s0b4"}"""), 400));
        Assert.Equal("x1000c0s0b3 is not a valid locational xname ID".Replace("x1000c0s0b3", "bogus"),
            await TestServer.AssertProblemAsync(await server.SendJsonAsync(HttpMethod.Put, $"{Rfes}/bogus", "{}"), 400));
    }

    [Fact]
    public async Task Patch_changes_only_given_fields()
    {
        await using var server = await TestServer.StartAsync();
        await server.SendJsonAsync(HttpMethod.Post, Rfes, PlainBmc);
        var patched = await server.SendJsonAsync(HttpMethod.Patch, $"{Rfes}/x1000c0s0b0", """{"Enabled":false,"Password":"new-secret","IPAddress":"172.16.0.201"}""");
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        var body = await TestServer.ReadJsonAsync(patched);
        Assert.Equal((false, "172.16.0.201", "bmc0.demo.cluster", "", "root"), ((bool)body["Enabled"]!, (string)body["IPAddress"]!, (string)body["FQDN"]!, (string)body["Password"]!, (string)body["User"]!));
        Assert.Equal("new-secret", server.Services.Credentials.Get("x1000c0s0b0")!.Secret);

        Assert.Equal("xname in URL is not valid", await TestServer.AssertProblemAsync(await server.SendJsonAsync(HttpMethod.Patch, $"{Rfes}/nope", "{}"), 400));
        Assert.Equal("No such entry: x1000c0s0b9", await TestServer.AssertProblemAsync(await server.SendJsonAsync(HttpMethod.Patch, $"{Rfes}/x1000c0s0b9", "{}"), 404));
    }

    [Fact]
    public async Task Get_filters_and_query_route()
    {
        await using var server = await TestServer.StartAsync();
        await server.SendJsonAsync(HttpMethod.Post, Rfes, PlainBmc);
        await server.SendJsonAsync(HttpMethod.Post, Rfes, StaticRecord("x1000c0s1b0", "", "x1000c0s1b0n0").Replace("de:ca:fc:0f:fe:e1", "de:ca:fc:0f:fe:e2"));
        await server.SendJsonAsync(HttpMethod.Post, Rfes, """{"ID":"x3000m0","FQDN":"pdu0"}""");

        async Task<string[]> Ids(string query) =>
            JsonNode.Parse(await server.Client.GetStringAsync($"{Rfes}?{query}"))!["RedfishEndpoints"]!.AsArray().Select(r => (string)r!["ID"]!).ToArray();

        Assert.Equal(["x1000c0s0b0"], await Ids("fqdn=bmc0.demo.cluster"));
        Assert.Equal(["x1000c0s0b0", "x1000c0s1b0"], await Ids("TYPE=nodebmc"));
        Assert.Equal(["x3000m0"], await Ids("type=!NodeBMC"));
        Assert.Equal(["x1000c0s1b0"], await Ids("laststatus=DiscoverOK"));
        Assert.Equal(["x1000c0s0b0"], await Ids("macaddr=DE-CA-FC-0F-FE-E1"));
        Assert.Equal(["x1000c0s0b0", "x3000m0"], await Ids("id=x1000c0s0b0&id=x3000m0"));
        Assert.Equal(["x1000c0s0b0"], await Ids("ipaddress=172.16.0.101&laststatus=NotYetQueried"));
        Assert.Equal("bad query param: Argument was not a valid HMS Type", await TestServer.AssertProblemAsync(await server.Client.GetAsync($"{Rfes}?type=Bogus"), 400));
        Assert.Equal("bad query param: Argument was not a valid xname ID", await TestServer.AssertProblemAsync(await server.Client.GetAsync($"{Rfes}?id=bogus"), 400));
        await TestServer.AssertProblemAsync(await server.Client.GetAsync($"{Rfes}?laststatus=Nope"), 400);

        Assert.Equal(3, JsonNode.Parse(await server.Client.GetStringAsync($"{Rfes}/Query/s0"))!["RedfishEndpoints"]!.AsArray().Count);
        Assert.Equal("not yet implemented", await TestServer.AssertProblemAsync(await server.Client.GetAsync($"{Rfes}/Query/x1000c0s0b0"), 400));
        Assert.Equal("no such xname.", await TestServer.AssertProblemAsync(await server.Client.GetAsync($"{Rfes}/x1000c0s0b7"), 404));
        Assert.Equal("no such xname.", await TestServer.AssertProblemAsync(await server.Client.GetAsync($"{Rfes}/bogus"), 404));
    }

    [Fact]
    public async Task Delete_cascades_to_endpoints_and_empties_components()
    {
        await using var server = await TestServer.StartAsync();
        await server.SendJsonAsync(HttpMethod.Post, Rfes, StaticRecord("x1000c0s0b0", "", "x1000c0s0b0n0") .Replace("\"Managers\"", "\"Password\":\"pw\",\"Managers\""));
        Assert.NotNull(server.Services.Credentials.Get("x1000c0s0b0"));

        Assert.Equal("Argument was not a valid xname ID", await TestServer.AssertProblemAsync(await server.Client.DeleteAsync($"{Rfes}/bogus"), 400));
        Assert.Equal("no such xname.", await TestServer.AssertProblemAsync(await server.Client.DeleteAsync($"{Rfes}/x1000c0s0b5"), 404));
        var deleted = await server.Client.DeleteAsync($"{Rfes}/x1000c0s0b0");
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.Equal("""{"code":0,"message":"deleted 1 entry"}""", await deleted.Content.ReadAsStringAsync());

        Assert.Equal("""{"ComponentEndpoints":[]}""", await server.Client.GetStringAsync(Ces));
        Assert.Null(server.Services.Credentials.Get("x1000c0s0b0"));
        Assert.Equal(HmsState.Empty, server.Services.Components.Get("x1000c0s0b0n0").State);
        Assert.Equal(HmsState.Empty, server.Services.Components.Get("x1000c0s0b0").State);
        Assert.NotNull(server.Services.EthernetInterfaces.FindByMac("52:54:00:be:ef:01"));

        Assert.Equal("no entries to delete", await TestServer.AssertProblemAsync(await server.Client.DeleteAsync(Rfes), 404));
        await server.SendJsonAsync(HttpMethod.Post, Rfes, PlainBmc);
        await server.SendJsonAsync(HttpMethod.Post, Rfes, """{"ID":"x1000c0s1b0"}""");
        Assert.Equal("""{"code":0,"message":"deleted 2 entries"}""", await (await server.Client.DeleteAsync(Rfes)).Content.ReadAsStringAsync());

        // Re-ingesting brings the emptied components back to their live state.
        await server.SendJsonAsync(HttpMethod.Post, Rfes, StaticRecord("x1000c0s0b0", "", "x1000c0s0b0n0"));
        Assert.Equal(HmsState.On, server.Services.Components.Get("x1000c0s0b0n0").State);
    }

    [Fact]
    public async Task Component_endpoint_routes()
    {
        await using var server = await TestServer.StartAsync();
        await server.SendJsonAsync(HttpMethod.Post, Rfes, StaticRecord("x1000c0s0b0", "", "x1000c0s0b0n0", "x1000c0s0b0n1"));
        async Task<string[]> Ids(string query) =>
            JsonNode.Parse(await server.Client.GetStringAsync($"{Ces}?{query}"))!["ComponentEndpoints"]!.AsArray().Select(r => (string)r!["ID"]!).ToArray();
        Assert.Equal(["x1000c0s0b0", "x1000c0s0b0n0", "x1000c0s0b0n1"], await Ids("redfish_ep=x1000c0s0b0"));
        Assert.Equal(["x1000c0s0b0n0", "x1000c0s0b0n1"], await Ids("type=Node"));
        Assert.Equal(["x1000c0s0b0"], await Ids("redfish_type=Manager"));
        Assert.Equal(["x1000c0s0b0n1"], await Ids("id=x1000c0s0b0n1"));
        Assert.Equal("bad query param: Argument was not a valid xname ID", await TestServer.AssertProblemAsync(await server.Client.GetAsync($"{Ces}?redfish_ep=zz"), 400));

        Assert.Equal("Argument was not a valid xname ID", await TestServer.AssertProblemAsync(await server.Client.GetAsync($"{Ces}/bogus"), 400));
        Assert.Equal("no such xname.", await TestServer.AssertProblemAsync(await server.Client.GetAsync($"{Ces}/x1000c0s0b0n7"), 404));
        Assert.Equal("""{"code":0,"message":"deleted 1 entry"}""", await (await server.Client.DeleteAsync($"{Ces}/x1000c0s0b0n1")).Content.ReadAsStringAsync());
        Assert.Equal(HmsState.Empty, server.Services.Components.Get("x1000c0s0b0n1").State);
        await TestServer.AssertProblemAsync(await server.Client.DeleteAsync($"{Ces}/x1000c0s0b0n1"), 404);
        await TestServer.AssertProblemAsync(await server.Client.DeleteAsync($"{Ces}/bogus"), 400);
        Assert.Equal("""{"code":0,"message":"deleted 2 entries"}""", await (await server.Client.DeleteAsync(Ces)).Content.ReadAsStringAsync());
        Assert.Equal("no entries to delete", await TestServer.AssertProblemAsync(await server.Client.DeleteAsync(Ces), 404));
    }

    [Fact]
    public async Task Service_endpoint_routes()
    {
        await using var server = await TestServer.StartAsync();
        await server.SendJsonAsync(HttpMethod.Post, Rfes, PlainBmc);
        server.Services.RedfishEndpoints.UpsertServiceEndpoints(
        [
            new ServiceEndpoint { RedfishEndpointID = "x1000c0s0b0", RedfishType = "AccountService", UUID = "u1", OdataID = "/redfish/v1/AccountService", RedfishEndpointFQDN = "bmc0.demo.cluster", RedfishURL = "bmc0.demo.cluster/redfish/v1/AccountService" },
            new ServiceEndpoint { RedfishEndpointID = "x1000c0s0b0", RedfishType = "EventService", UUID = "u1", OdataID = "/redfish/v1/EventService", RedfishEndpointFQDN = "bmc0.demo.cluster", RedfishURL = "bmc0.demo.cluster/redfish/v1/EventService" },
        ]);
        Assert.Equal("""{"ServiceEndpoints":[{"RedfishEndpointID":"x1000c0s0b0","RedfishType":"AccountService","UUID":"u1","OdataID":"/redfish/v1/AccountService","RedfishEndpointFQDN":"bmc0.demo.cluster","RedfishURL":"bmc0.demo.cluster/redfish/v1/AccountService"}]}""",
            await server.Client.GetStringAsync($"{Ses}/AccountService"));
        Assert.Equal(2, JsonNode.Parse(await server.Client.GetStringAsync($"{Ses}?redfish_ep=x1000c0s0b0"))!["ServiceEndpoints"]!.AsArray().Count);
        Assert.Single(JsonNode.Parse(await server.Client.GetStringAsync($"{Ses}?service=EventService"))!["ServiceEndpoints"]!.AsArray());
        Assert.Equal("EventService", (string)JsonNode.Parse(await server.Client.GetStringAsync($"{Ses}/EventService/RedfishEndpoints/x1000c0s0b0"))!["RedfishType"]!);
        Assert.Equal("no such service under redfish endpoint.", await TestServer.AssertProblemAsync(await server.Client.GetAsync($"{Ses}/TaskService/RedfishEndpoints/x1000c0s0b0"), 404));
        Assert.Equal("""{"code":0,"message":"deleted 1 entry"}""", await (await server.Client.DeleteAsync($"{Ses}/EventService/RedfishEndpoints/x1000c0s0b0")).Content.ReadAsStringAsync());
        await TestServer.AssertProblemAsync(await server.Client.DeleteAsync($"{Ses}/EventService/RedfishEndpoints/x1000c0s0b0"), 404);
        Assert.Equal("""{"code":0,"message":"deleted 1 entries"}""", await (await server.Client.DeleteAsync(Ses)).Content.ReadAsStringAsync());
        await TestServer.AssertProblemAsync(await server.Client.DeleteAsync(Ses), 404);
    }

    [Fact]
    public async Task Wrong_method_is_405_with_allow_list()
    {
        await using var server = await TestServer.StartAsync();
        var response = await server.SendJsonAsync(HttpMethod.Put, Rfes, "{}");
        Assert.Equal("allow DELETE,GET,POST", string.Join(",", (await TestServer.AssertProblemAsync(response, 405)).Replace("allow ", "").Split(',').Order()).Insert(0, "allow "));
    }
}
