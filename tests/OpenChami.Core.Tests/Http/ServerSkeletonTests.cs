using System.Net;
using System.Net.Sockets;
using OpenChami.Core.Errors;
using OpenChami.Core.Http;
using OpenChami.Core.Inventory;
using OpenChami.Core.Tests.Support;

namespace OpenChami.Core.Tests.Http;

public sealed class ServerSkeletonTests
{
    [Fact]
    public async Task A_node_created_through_the_service_is_served_at_once()
    {
        await using var server = await TestServer.StartAsync();
        Assert.StartsWith("http://127.0.0.1:", server.Server.Url);
        Assert.NotEqual(0, server.Server.Port);
        server.Services.Nodes.Create(new NewNodeRequest { Xname = "x1000c0s0b0n0", Nid = 7 });

        var response = await server.Client.GetAsync("/hsm/v2/State/Components/x1000c0s0b0n0");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await TestServer.ReadJsonAsync(response);
        Assert.Equal("Node", (string?)body["Type"]);
        Assert.Equal(7, (long)body["NID"]!);
        Assert.Equal("""{"ID":"x1000c0s0b0n0","Type":"Node","State":"On","Flag":"OK","Enabled":true,"Role":"Compute","NID":7}""",
            await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Health_and_smd_service_routes_answer()
    {
        await using var server = await TestServer.StartAsync();
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("/healthz")).StatusCode);
        Assert.Equal("""{"code":0,"message":"HSM is healthy"}""", await server.Client.GetStringAsync("/hsm/v2/service/ready"));
        Assert.Equal(HttpStatusCode.NoContent, (await server.Client.GetAsync("/hsm/v2/service/liveness")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("/hsm/v2/service/ready/")).StatusCode);
    }

    [Fact]
    public async Task Unknown_paths_wrong_methods_and_bad_filters_get_the_spec_errors()
    {
        await using var server = await TestServer.StartAsync();
        var unknown = await server.Client.GetAsync("/hsm/v2/Nope");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("404 page not found", await unknown.Content.ReadAsStringAsync());

        var wrongMethod = await server.Client.DeleteAsync("/hsm/v2/service/ready");
        Assert.Equal("allow GET", await TestServer.AssertProblemAsync(wrongMethod, 405));
        Assert.Contains("GET", wrongMethod.Content.Headers.Allow.Concat(wrongMethod.Headers.Select(h => string.Join(",", h.Value))));

        Assert.Equal("no such xname.", await TestServer.AssertProblemAsync(await server.Client.GetAsync("/hsm/v2/State/Components/foo"), 404));
        Assert.Equal("bad query param: Argument was not a valid HMS Type",
            await TestServer.AssertProblemAsync(await server.Client.GetAsync("/hsm/v2/State/Components?type=fake"), 400));
        var empty = await server.Client.GetStringAsync("/hsm/v2/State/Components");
        Assert.Equal("""{"Components":[]}""", empty);
    }

    [Fact]
    public async Task A_second_server_on_a_port_in_use_fails_with_ServerPortInUse()
    {
        await using var first = await TestServer.StartAsync();
        var ex = await Assert.ThrowsAsync<ChamiException>(() =>
            ChamiServer.StartAsync(first.Services, new ChamiServerOptions { Port = first.Server.Port }));
        Assert.Equal("ServerPortInUse", ex.ErrorId);

        var port = first.Server.Port;
        await first.Server.StopAsync();
        using var probe = new TcpListener(IPAddress.Loopback, port);
        probe.Start(); // the port is free again
        probe.Stop();
    }
}
