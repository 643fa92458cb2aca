using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using OpenChami.Core.Inventory.Hardware;
using OpenChami.Core.Model;
using OpenChami.Core.Tests.Discovery;
using OpenChami.Core.Tests.Support;
using OpenChami.RedfishFixture;

namespace OpenChami.Core.Tests.Smd;

/// <summary>
/// <c>/hsm/v2/Inventory/Hardware*</c>, <c>/HardwareByFRU*</c> (spec/smd.md §2.11) and <c>/Inventory/Discover</c>,
/// <c>/DiscoveryStatus</c> (§2.12) over real Kestrel, filled by discovering the simulator.
/// </summary>
public sealed class SmdHardwareApiTests
{
    private const string Hw = "/hsm/v2/Inventory/Hardware";
    private const string ByFru = "/hsm/v2/Inventory/HardwareByFRU";

    private static async Task<(JsonNode Body, HttpResponseMessage Response)> GetAsync(TestServer server, string path, HttpStatusCode status = HttpStatusCode.OK)
    {
        var response = await server.Client.GetAsync(path);
        Assert.Equal(status, response.StatusCode);
        return (await TestServer.ReadJsonAsync(response), response);
    }

    [Fact]
    public async Task Hardware_routes_answer_upstreams_shapes_filters_and_errors()
    {
        await using var farm = await RedfishFixtureFarm.StartAsync(Path.Combine(MockupExpectation.MockupsRoot, "EX425"), 1);
        var bmc = farm[0];
        await using var server = await TestServer.StartAsync();
        var time = new FakeTimeProvider(TestClock.Epoch);
        var result = await HardwareInventoryTests.DiscoverAsync(server.Services, bmc, time);
        var node = result.Nodes[0];
        var dimmPath = "/redfish/v1/Systems/Node0/Memory/DIMM0";
        var dimmJson = bmc.Resources.Get(dimmPath)!;
        var dimm = server.Services.Hardware.Query().Single(i => i.Location.OdataID == dimmPath);

        // The whole list: bare array, one entry per stored location.
        var (all, response) = await GetAsync(server, Hw);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(server.Services.Hardware.Query().Count, all.AsArray().Count);

        // One location: HWInvByLoc with the DIMM's Redfish values under MemoryLocationInfo / PopulatedFRU.MemoryFRUInfo.
        var (one, _) = await GetAsync(server, $"{Hw}/{dimm.Location.ID}");
        Assert.Equal(dimm.Location.ID, (string)one["ID"]!);
        Assert.Equal(("Memory", "Populated", "HWInvByLocMemory"), ((string)one["Type"]!, (string)one["Status"]!, (string)one["HWInventoryByLocationType"]!));
        Assert.Equal(int.Parse(dimm.Location.ID[(dimm.Location.ID.LastIndexOf('d') + 1)..]), (int)one["Ordinal"]!);
        Assert.Equal((string?)dimmJson["Id"], (string?)one["MemoryLocationInfo"]!["Id"]);
        var fru = one["PopulatedFRU"]!;
        Assert.Equal(("Memory", "HWInvByFRUMemory"), ((string)fru["Type"]!, (string)fru["HWInventoryByFRUType"]!));
        Assert.Equal((string)dimmJson["SerialNumber"]!, (string)fru["MemoryFRUInfo"]!["SerialNumber"]!);
        Assert.Equal((string)dimmJson["PartNumber"]!, (string)fru["MemoryFRUInfo"]!["PartNumber"]!);
        Assert.Equal((int)dimmJson["CapacityMiB"]!, (int)fru["MemoryFRUInfo"]!["CapacityMiB"]!); // numbers stay numbers
        var fruid = (string)fru["FRUID"]!;

        // Filters: type, serial number, FRU; a bad value is 400.
        var dimmCount = new[] { "Node0", "Node1" }.Sum(n => bmc.Resources.Get($"/redfish/v1/Systems/{n}/Memory")!["Members"]!.AsArray().Count);
        var (memory, _) = await GetAsync(server, $"{Hw}?type=memory");
        Assert.Equal(dimmCount, memory.AsArray().Count);
        Assert.All(memory.AsArray(), m => Assert.Equal("Memory", (string)m!["Type"]!));
        var (bySerial, _) = await GetAsync(server, $"{Hw}?serialnumber={dimmJson["SerialNumber"]}&Type=Memory");
        Assert.Contains(bySerial.AsArray(), m => (string)m!["ID"]! == dimm.Location.ID);
        Assert.All(bySerial.AsArray(), m => Assert.Equal((string)dimmJson["SerialNumber"]!, (string)m!["PopulatedFRU"]!["MemoryFRUInfo"]!["SerialNumber"]!));
        var (byFruid, _) = await GetAsync(server, $"{Hw}?fruid={fruid}");
        Assert.Equal([dimm.Location.ID], byFruid.AsArray().Select(m => (string)m!["ID"]!));
        Assert.Contains("HMS Type", await TestServer.AssertProblemAsync(await server.Client.GetAsync($"{Hw}?type=Bogus"), 400));
        Assert.Equal("no such xname.", await TestServer.AssertProblemAsync(await server.Client.GetAsync($"{Hw}/{node}d99"), 404));
        Assert.Equal("invalid xname", await TestServer.AssertProblemAsync(await server.Client.GetAsync($"{Hw}/not-an-xname"), 400));

        // Query: NestNodesOnly by default (the node's parts inside its entry), FullyFlat on request, children=false.
        var (nested, _) = await GetAsync(server, $"{Hw}/Query/{node}");
        Assert.Equal((node, "NestNodesOnly"), ((string)nested["XName"]!, (string)nested["Format"]!));
        var nodeEntry = Assert.Single(nested["Nodes"]!.AsArray())!;
        Assert.Equal(bmc.Resources.Get("/redfish/v1/Systems/Node0/Memory")!["Members"]!.AsArray().Count, nodeEntry["Memory"]!.AsArray().Count);
        Assert.Equal(bmc.Resources.Get("/redfish/v1/Systems/Node0/Processors")!["Members"]!.AsArray().Count, nodeEntry["Processors"]!.AsArray().Count);
        Assert.Null(nested["Memory"]);
        var (flat, _) = await GetAsync(server, $"{Hw}/Query/{node}?format=FullyFlat");
        Assert.Equal(nodeEntry["Memory"]!.AsArray().Count, flat["Memory"]!.AsArray().Count);
        Assert.Null(flat["Nodes"]![0]!["Memory"]);
        var (nodeOnly, _) = await GetAsync(server, $"{Hw}/Query/{node}?children=false");
        Assert.Equal(["Nodes"], nodeOnly.AsObject().Select(p => p.Key).Where(k => k is not ("XName" or "Format")));
        var (bmcWide, _) = await GetAsync(server, $"{Hw}/Query/{result.Xname}");
        Assert.Equal(result.Nodes.Count, bmcWide["Nodes"]!.AsArray().Count);
        var (withParents, _) = await GetAsync(server, $"{Hw}/Query/{dimm.Location.ID}?parents=true&children=false");
        Assert.Equal(node, (string)withParents["Nodes"]![0]!["ID"]!);
        Assert.Equal("no such xname.", await TestServer.AssertProblemAsync(await server.Client.GetAsync($"{Hw}/Query/x9999c0s0b0n0"), 404));
        Assert.Contains("format", await TestServer.AssertProblemAsync(await server.Client.GetAsync($"{Hw}/Query/{node}?format=Sideways"), 400));

        // By FRU.
        var (frus, _) = await GetAsync(server, $"{ByFru}?type=Memory");
        Assert.Equal(server.Services.Hardware.QueryFrus().Count(f => f.Type == OpenChami.Core.Xnames.HmsType.Memory), frus.AsArray().Count);
        var (oneFru, _) = await GetAsync(server, $"{ByFru}/{fruid}");
        Assert.Equal((fruid, (string)dimmJson["SerialNumber"]!), ((string)oneFru["FRUID"]!, (string)oneFru["MemoryFRUInfo"]!["SerialNumber"]!));
        Assert.Equal("no such FRU ID.", await TestServer.AssertProblemAsync(await server.Client.GetAsync($"{ByFru}/Memory.Nobody.0.0"), 404));

        // History: grouped by location / by FRU, with event type and time filters.
        var (history, _) = await GetAsync(server, $"{Hw}/History");
        var groups = history["Components"]!.AsArray();
        Assert.Equal(server.Services.Hardware.Query().Count(i => i.Fru is not null), groups.Count);
        var (dimmHistory, _) = await GetAsync(server, $"{Hw}/History/{dimm.Location.ID}");
        var only = Assert.Single(dimmHistory["History"]!.AsArray())!;
        Assert.Equal((dimm.Location.ID, fruid, "Added"), ((string)only["ID"]!, (string)only["FRUID"]!, (string)only["EventType"]!));
        Assert.Equal(TestClock.Epoch.UtcDateTime, DateTime.Parse((string)only["Timestamp"]!, null, System.Globalization.DateTimeStyles.AdjustToUniversal));
        var (scanned, _) = await GetAsync(server, $"{Hw}/History/{dimm.Location.ID}?eventtype=scanned");
        Assert.Empty(scanned["History"]!.AsArray());
        var (later, _) = await GetAsync(server, $"{Hw}/History?starttime={TestClock.Epoch.AddSeconds(1):yyyy-MM-ddTHH:mm:ssZ}");
        Assert.Empty(later["Components"]!.AsArray());
        Assert.Contains("event type", await TestServer.AssertProblemAsync(await server.Client.GetAsync($"{Hw}/History?eventtype=Exploded"), 400));
        var (fruHistory, _) = await GetAsync(server, $"{ByFru}/History/{fruid}");
        Assert.Equal(fruid, (string)fruHistory["ID"]!);
        Assert.Equal([dimm.Location.ID], fruHistory["History"]!.AsArray().Select(h => (string)h!["ID"]!));

        // Deletes: one, then 404; all, then 404 "no entries to delete".
        var deleted = await TestServer.ReadJsonAsync(await server.Client.DeleteAsync($"{Hw}/{dimm.Location.ID}"));
        Assert.Equal("deleted 1 entry", (string)deleted["message"]!);
        Assert.Equal("no such xname.", await TestServer.AssertProblemAsync(await server.Client.DeleteAsync($"{Hw}/{dimm.Location.ID}"), 404));
        var remaining = server.Services.Hardware.Query().Count;
        Assert.Equal($"deleted {remaining} entries", (string)(await TestServer.ReadJsonAsync(await server.Client.DeleteAsync(Hw)))["message"]!);
        Assert.Equal("no entries to delete", await TestServer.AssertProblemAsync(await server.Client.DeleteAsync(Hw), 404));
        Assert.Equal("deleted 1 entry", (string)(await TestServer.ReadJsonAsync(await server.Client.DeleteAsync($"{ByFru}/{fruid}")))["message"]!);
        Assert.Equal("no such FRU ID.", await TestServer.AssertProblemAsync(await server.Client.DeleteAsync($"{ByFru}/{fruid}"), 404));
    }

    [Fact]
    public async Task Discover_runs_our_discovery_on_stored_endpoints_and_reports_in_discovery_status()
    {
        await using var farm = await RedfishFixtureFarm.StartAsync(Path.Combine(MockupExpectation.MockupsRoot, "public-rackmount1"), 2);
        await using var server = await TestServer.StartAsync();
        server.Services.ApiDiscovery.DefaultScheme = "http";
        server.Services.ApiDiscovery.ConfigureOptions = o => (o.ConnectTimeout, o.ProbeTimeout, o.RequestTimeout) = (TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(3));

        // Before any run: row 0, NotStarted.
        var (statuses, _) = await GetAsync(server, "/hsm/v2/Inventory/DiscoveryStatus");
        Assert.Equal((0, "NotStarted"), ((int)statuses[0]!["ID"]!, (string)statuses[0]!["Status"]!));
        var (zero, _) = await GetAsync(server, "/hsm/v2/Inventory/DiscoveryStatus/0");
        Assert.Equal("NotStarted", (string)zero["Status"]!);

        // Two endpoints: one with the BMC's password, one with a wrong one.
        string[] ids = ["x3000c0s1b0", "x3000c0s2b0"];
        string[] passwords = [RedfishBmcSimulator.DefaultPassword, "wrong"];
        for (var i = 0; i < 2; i++)
        {
            var body = $$"""{"ID":"{{ids[i]}}","FQDN":"127.0.0.1:{{farm[i].Port}}","User":"{{RedfishBmcSimulator.DefaultUsername}}","Password":"{{passwords[i]}}"}""";
            Assert.Equal(HttpStatusCode.Created, (await server.SendJsonAsync(HttpMethod.Post, "/hsm/v2/Inventory/RedfishEndpoints", body)).StatusCode);
        }

        var post = await server.SendJsonAsync(HttpMethod.Post, "/hsm/v2/Inventory/Discover", $$"""{"Xnames":["{{ids[0]}}","{{ids[1]}}"],"force":false}""");
        Assert.Equal(HttpStatusCode.OK, post.StatusCode);
        var uri = (string)(await TestServer.ReadJsonAsync(post))[0]!["URI"]!;
        Assert.Matches(@"^/hsm/v2/Inventory/DiscoveryStatus/\d+$", uri);
        var id = int.Parse(uri[(uri.LastIndexOf('/') + 1)..]);
        await (server.Services.ApiDiscovery.Running(id) ?? Task.CompletedTask);

        var (run, _) = await GetAsync(server, uri);
        Assert.Equal((id, "Complete"), ((int)run["ID"]!, (string)run["Status"]!));
        Assert.Equal("DiscoverOK", (string)run["Details"]!["Results"]![ids[0]]!);
        Assert.Equal("VerificationFailed", (string)run["Details"]!["Results"]![ids[1]]!);
        Assert.DoesNotContain("wrong", run.ToJsonString(), StringComparison.Ordinal); // no secret in a read API

        // The endpoints' DiscoveryInfo says what happened and when; the good one's hardware is in the inventory.
        var (good, _) = await GetAsync(server, $"/hsm/v2/Inventory/RedfishEndpoints/{ids[0]}");
        Assert.Equal("DiscoverOK", (string)good["DiscoveryInfo"]!["LastDiscoveryStatus"]!);
        Assert.NotNull(good["DiscoveryInfo"]!["LastDiscoveryAttempt"]);
        var (bad, _) = await GetAsync(server, $"/hsm/v2/Inventory/RedfishEndpoints/{ids[1]}");
        Assert.Equal("VerificationFailed", (string)bad["DiscoveryInfo"]!["LastDiscoveryStatus"]!);
        var system = (string)farm[0].Resources.Get("/redfish/v1/Systems")!["Members"]![0]!["@odata.id"]!;
        var (nodeHw, _) = await GetAsync(server, $"{Hw}/{ids[0]}n0");
        Assert.Equal((string)farm[0].Resources.Get(system)!["SerialNumber"]!, (string)nodeHw["PopulatedFRU"]!["NodeFRUInfo"]!["SerialNumber"]!);
        Assert.Equal(HttpStatusCode.NotFound, (await server.Client.GetAsync($"{Hw}/{ids[1]}n0")).StatusCode);
        var (services, _) = await GetAsync(server, $"/hsm/v2/Inventory/ServiceEndpoints/UpdateService/RedfishEndpoints/{ids[0]}");
        Assert.Equal("/redfish/v1/UpdateService", (string)services["OdataID"]!);
        var (list, _) = await GetAsync(server, "/hsm/v2/Inventory/DiscoveryStatus");
        Assert.Equal(Enumerable.Range(0, id + 1), list.AsArray().Select(r => (int)r!["ID"]!));

        // Nothing is queued for an unknown or invalid xname.
        Assert.Contains("x3000c0s9b0", await TestServer.AssertProblemAsync(await server.SendJsonAsync(HttpMethod.Post, "/hsm/v2/Inventory/Discover", """{"xnames":["x3000c0s9b0"]}"""), 404));
        await TestServer.AssertProblemAsync(await server.SendJsonAsync(HttpMethod.Post, "/hsm/v2/Inventory/Discover", """{"xnames":["nonsense"]}"""), 400);
        Assert.Equal("no such DiscoveryStatus ID.", await TestServer.AssertProblemAsync(await server.Client.GetAsync($"/hsm/v2/Inventory/DiscoveryStatus/{id + 1}"), 404));
        Assert.Equal(id + 1, server.Services.ApiDiscovery.List().Count);
        Assert.Equal(DiscoveryStatus.VerificationFailed, server.Services.RedfishEndpoints.Get(ids[1]).DiscoveryInfo.LastDiscoveryStatus);
    }
}
