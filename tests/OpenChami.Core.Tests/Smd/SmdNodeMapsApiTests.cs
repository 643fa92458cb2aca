using System.Net;
using OpenChami.Core.Tests.Support;

namespace OpenChami.Core.Tests.Smd;

public sealed class SmdNodeMapsApiTests
{
    private const string NodeMaps = "/hsm/v2/Defaults/NodeMaps";

    [Fact]
    public async Task Node_maps_are_upserted_listed_and_deleted()
    {
        await using var server = await TestServer.StartAsync();
        var response = await server.SendJsonAsync(HttpMethod.Post, NodeMaps, """{"NodeMaps":[{"ID":"x1000c0s0b0n0","NID":1,"Role":"compute"},{"ID":"x1000c0s0b0n1","NID":2}]}""");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"code":0,"message":"Created or modified 2 entries"}""", await response.Content.ReadAsStringAsync());
        Assert.Equal("""{"ID":"x1000c0s0b0n0","NID":1,"Role":"Compute"}""", await server.Client.GetStringAsync(NodeMaps + "/X1000C0S0B0N0"));
        Assert.Equal("""{"NodeMaps":[{"ID":"x1000c0s0b0n0","NID":1,"Role":"Compute"},{"ID":"x1000c0s0b0n1","NID":2}]}""", await server.Client.GetStringAsync(NodeMaps));
        response = await server.SendJsonAsync(HttpMethod.Put, NodeMaps + "/x1000c0s0b0n1", """{"NID":5,"Role":"Service"}""");
        Assert.Equal("""{"ID":"x1000c0s0b0n1","NID":5,"Role":"Service"}""", await response.Content.ReadAsStringAsync());
        Assert.Equal("no such xname.", await TestServer.AssertProblemAsync(await server.Client.GetAsync(NodeMaps + "/x9c0s0b0n0"), 404));
        Assert.Equal("""{"code":0,"message":"deleted 1 entry"}""", await (await server.Client.DeleteAsync(NodeMaps + "/x1000c0s0b0n1")).Content.ReadAsStringAsync());
        Assert.Equal("no such xname.", await TestServer.AssertProblemAsync(await server.Client.DeleteAsync(NodeMaps + "/x1000c0s0b0n1"), 404));
        // A collection DELETE says "entries" whatever the count, as upstream does (clients match the text).
        Assert.Equal("""{"code":0,"message":"deleted 1 entries"}""", await (await server.Client.DeleteAsync(NodeMaps)).Content.ReadAsStringAsync());
        Assert.Equal("no entries to delete", await TestServer.AssertProblemAsync(await server.Client.DeleteAsync(NodeMaps), 404));
    }

    [Fact]
    public async Task Invalid_maps_and_nid_clashes_are_rejected_whole()
    {
        await using var server = await TestServer.StartAsync();
        await server.SendJsonAsync(HttpMethod.Post, NodeMaps, """{"ID":"x1000c0s0b0n0","NID":1}""");
        Assert.StartsWith("couldn't validate map data at idx 1: ", await TestServer.AssertProblemAsync(await server.SendJsonAsync(HttpMethod.Post, NodeMaps,
            """{"NodeMaps":[{"ID":"x1000c0s0b0n1","NID":3},{"ID":"x1000c0s0b0","NID":4}]}"""), 400));
        Assert.StartsWith("couldn't validate map data at idx 0: ", await TestServer.AssertProblemAsync(await server.SendJsonAsync(HttpMethod.Post, NodeMaps,
            """{"ID":"x1000c0s0b0n1","NID":0}"""), 400));
        Assert.Equal("operation would conflict with an existing xname ID that has the same NID.", await TestServer.AssertProblemAsync(await server.SendJsonAsync(HttpMethod.Post, NodeMaps,
            """{"NodeMaps":[{"ID":"x1000c0s0b0n1","NID":3},{"ID":"x1000c0s0b0n2","NID":1}]}"""), 409));
        Assert.Single(server.Services.NodeMaps.All());
        // Moving NIDs between maps in one request is fine.
        Assert.Equal(HttpStatusCode.OK, (await server.SendJsonAsync(HttpMethod.Post, NodeMaps,
            """{"NodeMaps":[{"ID":"x1000c0s0b0n0","NID":2},{"ID":"x1000c0s0b0n1","NID":1}]}""")).StatusCode);
    }

    [Fact]
    public async Task New_node_components_take_missing_nid_and_role_from_their_map()
    {
        await using var server = await TestServer.StartAsync();
        await server.SendJsonAsync(HttpMethod.Post, NodeMaps, """{"ID":"x1000c0s0b0n0","NID":42,"Role":"Service","SubRole":"Master"}""");
        await server.SendJsonAsync(HttpMethod.Post, "/hsm/v2/State/Components",
            """{"Components":[{"ID":"x1000c0s0b0n0","State":"On"},{"ID":"x1000c0s0b0n1","State":"On"}]}""");
        Assert.Equal("""{"ID":"x1000c0s0b0n0","Type":"Node","State":"On","Flag":"OK","Enabled":true,"Role":"Service","SubRole":"Master","NID":42}""",
            await server.Client.GetStringAsync("/hsm/v2/State/Components/x1000c0s0b0n0"));
        Assert.Equal(16384L * 1001 + 1, server.Services.Components.Get("x1000c0s0b0n1").NID);
        await server.SendJsonAsync(HttpMethod.Put, "/hsm/v2/State/Components/x1000c0s0b0n0", """{"Component":{"State":"On","NID":7,"Role":"Compute"},"force":true}""");
        Assert.Equal(42L, server.Services.Components.Get("x1000c0s0b0n0").NID); // existing rows keep NID/Role even when forced
    }
}
