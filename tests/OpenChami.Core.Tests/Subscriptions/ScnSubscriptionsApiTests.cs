using System.Net;
using System.Text.Json.Nodes;
using OpenChami.Core.Subscriptions;
using OpenChami.Core.Tests.Support;

namespace OpenChami.Core.Tests.Subscriptions;

/// <summary>
/// <c>/hsm/v2/Subscriptions/SCN</c> and the delivery of state-change notifications (spec/smd.md §2.10.3) to a real
/// listener on 127.0.0.1; retry pauses run on a fake clock, moved only while the dispatcher waits on it.
/// </summary>
public sealed class ScnSubscriptionsApiTests : IAsyncLifetime
{
    private static readonly string[] Nodes = ["x1000c0s0b0n0", "x1000c0s0b0n1", "x1000c0s0b0n2"];
    private readonly TestClock clock = new();
    private TestServer server = null!;
    private ScnListener listener = null!;

    public async Task InitializeAsync()
    {
        server = await TestServer.StartWithAsync(new ChamiServices(TestStores.Create()) { Time = clock });
        listener = await ScnListener.StartAsync();
        var created = await server.SendJsonAsync(HttpMethod.Post, "/hsm/v2/State/Components",
            new JsonObject { ["Components"] = new JsonArray(Nodes.Select(n => (JsonNode)new JsonObject { ["ID"] = n, ["State"] = "On", ["Role"] = "Compute" }).ToArray()) }.ToJsonString());
        Assert.Equal(HttpStatusCode.NoContent, created.StatusCode);
    }

    public async Task DisposeAsync()
    {
        await listener.DisposeAsync();
        await server.DisposeAsync();
    }

    private async Task<JsonNode> SubscribeAsync(JsonObject body)
    {
        var response = await server.SendJsonAsync(HttpMethod.Post, "/hsm/v2/Subscriptions/SCN", body.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return await TestServer.ReadJsonAsync(response);
    }

    private JsonObject Subscription(string subscriber, params string[] states) => new()
    {
        ["Subscriber"] = subscriber,
        ["States"] = new JsonArray(states.Select(s => (JsonNode)s).ToArray()),
        ["Url"] = listener.Url,
    };

    [Fact]
    public async Task Subscriptions_are_created_listed_patched_replaced_and_deleted_with_upstream_shapes()
    {
        var created = await SubscribeAsync(Subscription("hbtd@x3000c0s1b0n0", "ready", "Off"));
        Assert.Equal(1, (long)created["ID"]!);
        Assert.Equal(["Ready", "Off"], created["States"]!.AsArray().Select(s => (string)s!)); // canonical spelling
        Assert.Equal(listener.Url, (string?)created["Url"]);
        Assert.Null(created["Roles"]);

        Assert.Equal(409, (int)(await server.SendJsonAsync(HttpMethod.Post, "/hsm/v2/Subscriptions/SCN", Subscription("hbtd@x3000c0s1b0n0", "On").ToJsonString())).StatusCode);
        Assert.Contains("http or https", await TestServer.AssertProblemAsync(await server.SendJsonAsync(HttpMethod.Post, "/hsm/v2/Subscriptions/SCN",
            new JsonObject { ["Subscriber"] = "x", ["States"] = new JsonArray("On"), ["Url"] = "file:///etc/passwd" }.ToJsonString()), 400));
        Assert.Contains("state 'Sleeping' is invalid", await TestServer.AssertProblemAsync(await server.SendJsonAsync(HttpMethod.Post, "/hsm/v2/Subscriptions/SCN",
            Subscription("y", "Sleeping").ToJsonString()), 400));

        var patch = await server.SendJsonAsync(HttpMethod.Patch, "/hsm/v2/Subscriptions/SCN/1", """{"Op":"add","Roles":["compute"],"States":["On"]}""");
        Assert.Equal(HttpStatusCode.NoContent, patch.StatusCode);
        var patched = await TestServer.ReadJsonAsync(await server.Client.GetAsync("/hsm/v2/Subscriptions/SCN/1"));
        Assert.Equal(["Ready", "Off", "On"], patched["States"]!.AsArray().Select(s => (string)s!));
        Assert.Equal(["Compute"], patched["Roles"]!.AsArray().Select(s => (string)s!));

        var put = await server.SendJsonAsync(HttpMethod.Put, "/hsm/v2/Subscriptions/SCN/1",
            new JsonObject { ["Subscriber"] = "hbtd@x3000c0s1b0n0", ["SoftwareStatus"] = new JsonArray("AdminDown"), ["Url"] = listener.Url }.ToJsonString());
        Assert.Equal(HttpStatusCode.NoContent, put.StatusCode);
        await SubscribeAsync(Subscription("second", "On"));
        var list = await TestServer.ReadJsonAsync(await server.Client.GetAsync("/hsm/v2/Subscriptions/SCN"));
        var items = list["SubscriptionList"]!.AsArray();
        Assert.Equal([1L, 2L], items.Select(i => (long)i!["ID"]!));
        Assert.Null(items[0]!["States"]);
        Assert.Equal(["AdminDown"], items[0]!["SoftwareStatus"]!.AsArray().Select(s => (string)s!));

        Assert.Equal(404, (int)(await server.Client.GetAsync("/hsm/v2/Subscriptions/SCN/7")).StatusCode);
        Assert.Equal(400, (int)(await server.Client.GetAsync("/hsm/v2/Subscriptions/SCN/abc")).StatusCode);
        var one = await TestServer.ReadJsonAsync(await server.Client.DeleteAsync("/hsm/v2/Subscriptions/SCN/2"));
        Assert.Equal("deleted 1 entry", (string?)one["message"]);
        await SubscribeAsync(Subscription("third", "On"));
        var all = await TestServer.ReadJsonAsync(await server.Client.DeleteAsync("/hsm/v2/Subscriptions/SCN"));
        Assert.Equal("2 Subscriptions deleted", (string?)all["message"]);
        Assert.Empty((await TestServer.ReadJsonAsync(await server.Client.GetAsync("/hsm/v2/Subscriptions/SCN")))["SubscriptionList"]!.AsArray());
    }

    [Fact]
    public async Task A_bulk_state_change_over_http_reaches_the_subscriber_as_one_payload_after_two_failed_tries()
    {
        await SubscribeAsync(Subscription("watcher", "Ready"));
        listener.Statuses(503, 500); // fails twice, then accepts
        var dispatcher = server.Services.Subscriptions.Dispatcher;
        var deliveredBefore = dispatcher.Delivered;

        var patch = await server.SendJsonAsync(HttpMethod.Patch, "/hsm/v2/State/Components/BulkStateData",
            new JsonObject { ["ComponentIDs"] = new JsonArray(Nodes[0], Nodes[1]), ["State"] = "Ready" }.ToJsonString());
        Assert.Equal(HttpStatusCode.NoContent, patch.StatusCode);

        // The two pauses (1 s, 2 s) pass on the fake clock only while the dispatcher waits on them.
        await clock.RunAsync(listener.WaitForAsync(3), window: TimeSpan.FromSeconds(5));
        var expected = new JsonObject { ["Components"] = new JsonArray(Nodes[0], Nodes[1]), ["Flag"] = "OK", ["State"] = "Ready" };
        Assert.All(listener.Received, body => Assert.True(JsonNode.DeepEquals(expected, body), body.ToJsonString()));
        Assert.Equal(TimeSpan.FromSeconds(3), clock.Elapsed);
        await TestClock.WaitUntilAsync(() => dispatcher.Delivered == deliveredBefore + 1, "the delivery to count");
    }

    [Fact]
    public async Task A_change_made_through_the_service_the_cmdlets_use_is_delivered_and_unrelated_changes_are_not()
    {
        await SubscribeAsync(new JsonObject { ["Subscriber"] = "roles", ["Roles"] = new JsonArray("Service"), ["Url"] = listener.Url });
        await SubscribeAsync(new JsonObject { ["Subscriber"] = "enabled", ["Enabled"] = true, ["Url"] = listener.Url });

        // Set-ChamiComponent's path: ComponentService.Update. A Flag change with no State subscriber notifies nobody.
        server.Services.Components.PatchMany([Nodes[2]], new OpenChami.Core.Inventory.ComponentPatch { Flag = OpenChami.Core.Model.HmsFlag.Warning });
        server.Services.Components.PatchMany([Nodes[2]], new OpenChami.Core.Inventory.ComponentPatch { Role = "Service" });
        server.Services.Components.PatchMany([Nodes[1]], new OpenChami.Core.Inventory.ComponentPatch { Enabled = false });

        await listener.WaitForAsync(2).WaitAsync(TimeSpan.FromSeconds(60)); // bounded: a lost notification fails, not hangs
        var bodies = listener.Received.Select(b => b.ToJsonString()).ToList();
        Assert.Equal(2, bodies.Count);
        Assert.Contains(new JsonObject { ["Components"] = new JsonArray(Nodes[2]), ["Role"] = "Service" }.ToJsonString(), bodies);
        Assert.Contains(new JsonObject { ["Components"] = new JsonArray(Nodes[1]), ["Enabled"] = false }.ToJsonString(), bodies);
    }

    [Fact]
    public void Subscriptions_match_by_the_kind_of_change()
    {
        // a State payload goes to subscribers of that State only; an Enabled payload only to Enabled:true subscribers
        var ready = new ScnPayload { State = "Ready", Flag = "OK" };
        var sub = new ScnSubscription { States = ["Ready"] };
        Assert.True(ScnDispatcher.Matches(sub, ready));
        Assert.False(ScnDispatcher.Matches(sub, new ScnPayload { State = "Off" }));
        Assert.False(ScnDispatcher.Matches(sub, new ScnPayload { Enabled = false }));
    }
}
