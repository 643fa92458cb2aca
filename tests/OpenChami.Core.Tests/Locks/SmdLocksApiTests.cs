using System.Net;
using System.Text.Json.Nodes;
using OpenChami.Core.Model;
using OpenChami.Core.Serialization;
using OpenChami.Core.Tests.Support;

namespace OpenChami.Core.Tests.Locks;

/// <summary><c>/hsm/v2/locks</c> (spec/smd.md §2.10.1–§2.10.2) over real Kestrel and the test store, time on a fake clock.</summary>
public sealed class SmdLocksApiTests : IAsyncLifetime
{
    private static readonly string[] Nodes = ["x1000c0s0b0n0", "x1000c0s0b0n1", "x1000c0s0b0n2", "x1000c0s0b0n3"];
    private readonly TestClock clock = new();
    private TestServer server = null!;

    public async Task InitializeAsync()
    {
        server = await TestServer.StartWithAsync(new ChamiServices(TestStores.Create()) { Time = clock });
        var created = await server.SendJsonAsync(HttpMethod.Post, "/hsm/v2/State/Components",
            new JsonObject { ["Components"] = new JsonArray(Nodes.Select(n => (JsonNode)new JsonObject { ["ID"] = n, ["State"] = "Ready" }).ToArray()) }.ToJsonString());
        Assert.Equal(HttpStatusCode.NoContent, created.StatusCode);
    }

    public async Task DisposeAsync() => await server.DisposeAsync();

    private async Task<JsonNode> PostOkAsync(string path, JsonObject body)
    {
        var response = await server.SendJsonAsync(HttpMethod.Post, "/hsm/v2/locks" + path, body.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return await TestServer.ReadJsonAsync(response);
    }

    private async Task<string> PostRefusedAsync(string path, JsonObject body) =>
        await TestServer.AssertProblemAsync(await server.SendJsonAsync(HttpMethod.Post, "/hsm/v2/locks" + path, body.ToJsonString()), 400);

    private static JsonObject Ids(params string[] ids) => new() { ["ComponentIDs"] = new JsonArray(ids.Select(i => (JsonNode)i).ToArray()) };

    private static JsonObject Flexible(JsonObject body)
    {
        body["ProcessingModel"] = "flexible";
        return body;
    }

    private static void AssertCounts(JsonNode result, string[] success, params (string Id, string Reason)[] failures)
    {
        Assert.Equal(success.Length + failures.Length, (int)result["Counts"]!["Total"]!);
        Assert.Equal(success.Length, (int)result["Counts"]!["Success"]!);
        Assert.Equal(failures.Length, (int)result["Counts"]!["Failure"]!);
        Assert.Equal(success, result["Success"]!["ComponentIDs"]!.AsArray().Select(n => (string)n!));
        Assert.Equal(failures, result["Failure"]!.AsArray().Select(f => ((string)f!["ID"]!, (string)f["Reason"]!)));
    }

    private async Task<JsonNode> StatusOfAsync(string id) =>
        (await PostOkAsync("/status", Ids(id)))["Components"]!.AsArray().Single()!;

    private static string Time(DateTimeOffset t) => Rfc3339MicrosecondsConverter.ToText(t.UtcDateTime);

    [Fact]
    public async Task Lock_and_unlock_rigid_refuse_everything_at_the_first_failure_flexible_does_what_it_can()
    {
        AssertCounts(await PostOkAsync("/lock", Ids(Nodes[0], Nodes[1])), [Nodes[0], Nodes[1]]);
        var component = await TestServer.ReadJsonAsync(await server.Client.GetAsync($"/hsm/v2/State/Components/{Nodes[0]}"));
        Assert.True((bool)component["Locked"]!);

        // Rigid (the default): n1 is locked already, so n2 is not locked either.
        Assert.Equal($"Component is Locked: {Nodes[1]} (rigid processing: nothing was changed)", await PostRefusedAsync("/lock", Ids(Nodes[1], Nodes[2])));
        Assert.False((bool)(await StatusOfAsync(Nodes[2]))["Locked"]!);

        // Flexible: n2 is locked, n1 and an unknown ID are listed as failures.
        AssertCounts(await PostOkAsync("/lock", Flexible(Ids(Nodes[1], Nodes[2], "x9c0s0b0n0"))), [Nodes[2]],
            ("x9c0s0b0n0", "Component not found"), (Nodes[1], "Component is Locked"));
        Assert.True((bool)(await StatusOfAsync(Nodes[2]))["Locked"]!);

        AssertCounts(await PostOkAsync("/unlock", Flexible(Ids(Nodes[2], Nodes[3]))), [Nodes[2]], (Nodes[3], "Component is Unlocked"));
        var unlocked = await TestServer.ReadJsonAsync(await server.Client.GetAsync($"/hsm/v2/State/Components/{Nodes[2]}"));
        Assert.Null(unlocked["Locked"]); // omitted when false (spec/smd.md §3.1)

        // A filter instead of IDs: every Node that is locked.
        AssertCounts(await PostOkAsync("/unlock", new JsonObject { ["Type"] = new JsonArray("Node"), ["Locked"] = new JsonArray("true") }), [Nodes[0], Nodes[1]]);
        Assert.Contains("Missing ComponentIDs or filter", await PostRefusedAsync("/lock", new JsonObject()));
        Assert.Contains("invalid ProcessingModel", await PostRefusedAsync("/lock", new JsonObject { ["ComponentIDs"] = new JsonArray(Nodes[0]), ["ProcessingModel"] = "loose" }));
    }

    [Fact]
    public async Task Service_reservation_gives_keys_expires_on_the_clock_and_can_be_checked_renewed_and_released()
    {
        var start = clock.GetUtcNow();
        var reserved = await PostOkAsync("/service/reservations", new JsonObject { ["ComponentIDs"] = new JsonArray(Nodes[0]), ["ReservationDuration"] = 2 });
        var grant = reserved["Success"]!.AsArray().Single()!;
        Assert.Empty(reserved["Failure"]!.AsArray());
        Assert.Equal(Nodes[0], (string?)grant["ID"]);
        var deputyKey = (string)grant["DeputyKey"]!;
        var reservationKey = (string)grant["ReservationKey"]!;
        Assert.Matches($"^{Nodes[0]}:dk:[0-9a-f-]{{36}}$", deputyKey);
        Assert.Matches($"^{Nodes[0]}:rk:[0-9a-f-]{{36}}$", reservationKey);
        Assert.Equal(Time(start.AddMinutes(2)), (string?)grant["ExpirationTime"]);

        var status = await StatusOfAsync(Nodes[0]);
        Assert.True((bool)status["Reserved"]!);
        Assert.Equal(Time(start), (string?)status["CreationTime"]);
        Assert.Equal(Time(start.AddMinutes(2)), (string?)status["ExpirationTime"]);

        // Reserved by someone else: rigid 400, flexible failure.
        Assert.StartsWith("Component is Reserved: " + Nodes[0], await PostRefusedAsync("/service/reservations", Ids(Nodes[0], Nodes[1])));
        Assert.False((bool)(await StatusOfAsync(Nodes[1]))["Reserved"]!); // rigid: n1 was not reserved either
        var partial = await PostOkAsync("/service/reservations", Flexible(Ids(Nodes[0], Nodes[1])));
        Assert.Equal(Nodes[1], (string?)partial["Success"]![0]!["ID"]);
        Assert.Equal((Nodes[0], "Component is Reserved"), partial["Failure"]!.AsArray().Select(f => ((string)f!["ID"]!, (string)f["Reason"]!)).Single());

        var checkBody = new JsonObject { ["DeputyKeys"] = new JsonArray(new JsonObject { ["ID"] = Nodes[0], ["Key"] = deputyKey }) };
        var check = await PostOkAsync("/service/reservations/check", checkBody);
        Assert.Equal(deputyKey, (string?)check["Success"]![0]!["DeputyKey"]);

        // One minute in, renew for five more minutes from now.
        clock.Advance(TimeSpan.FromMinutes(1));
        var renew = new JsonObject { ["ReservationKeys"] = new JsonArray(new JsonObject { ["ID"] = Nodes[0], ["Key"] = reservationKey }), ["ReservationDuration"] = 5 };
        AssertCounts(await PostOkAsync("/service/reservations/renew", renew), [Nodes[0]]);
        Assert.Equal(Time(clock.GetUtcNow().AddMinutes(5)), (string?)(await StatusOfAsync(Nodes[0]))["ExpirationTime"]);

        // Past the expiry the reservation is gone: the key no longer checks out and anyone may reserve.
        clock.Advance(TimeSpan.FromMinutes(5));
        var expired = await PostOkAsync("/service/reservations/check", checkBody);
        Assert.Empty(expired["Success"]!.AsArray());
        Assert.Equal("Reservation key is not valid", (string?)expired["Failure"]![0]!["Reason"]);
        Assert.False((bool)(await StatusOfAsync(Nodes[0]))["Reserved"]!);
        Assert.Null((await StatusOfAsync(Nodes[0]))["ExpirationTime"]);
        var again = await PostOkAsync("/service/reservations", Ids(Nodes[0]));
        var newKey = (string)again["Success"]![0]!["ReservationKey"]!;
        Assert.NotEqual(reservationKey, newKey);

        // Release: the old key is refused, the current one ends it.
        var wrong = new JsonObject { ["ReservationKeys"] = new JsonArray(new JsonObject { ["ID"] = Nodes[0], ["Key"] = reservationKey }) };
        Assert.StartsWith("Reservation key is not valid: " + Nodes[0], await PostRefusedAsync("/service/reservations/release", wrong));
        AssertCounts(await PostOkAsync("/service/reservations/release", new JsonObject { ["ReservationKeys"] = new JsonArray(new JsonObject { ["Key"] = newKey }) }), [Nodes[0]]);
        Assert.False((bool)(await StatusOfAsync(Nodes[0]))["Reserved"]!);

        Assert.Contains("between 1 and 15 minutes", await PostRefusedAsync("/service/reservations", new JsonObject { ["ComponentIDs"] = new JsonArray(Nodes[2]), ["ReservationDuration"] = 16 }));
    }

    [Fact]
    public async Task Disable_ends_reservations_and_refuses_new_ones_until_repair_admin_reservations_do_not_expire()
    {
        var admin = await PostOkAsync("/reservations", Ids(Nodes[0], Nodes[1]));
        Assert.Equal(2, admin["Success"]!.AsArray().Count);
        Assert.Null(admin["Success"]![0]!["ExpirationTime"]); // an administrator's reservation has no end
        clock.Advance(TimeSpan.FromDays(30));
        Assert.True((bool)(await StatusOfAsync(Nodes[0]))["Reserved"]!);

        AssertCounts(await PostOkAsync("/disable", Ids(Nodes[0])), [Nodes[0]]);
        var disabled = await StatusOfAsync(Nodes[0]);
        Assert.True((bool)disabled["ReservationDisabled"]!);
        Assert.False((bool)disabled["Reserved"]!);
        var refused = await PostOkAsync("/service/reservations", Flexible(Ids(Nodes[0])));
        Assert.Equal("Component reservations are disabled", (string?)refused["Failure"]![0]!["Reason"]);

        AssertCounts(await PostOkAsync("/repair", Ids(Nodes[0])), [Nodes[0]]);
        Assert.Single((await PostOkAsync("/service/reservations", Ids(Nodes[0])))["Success"]!.AsArray());

        // An administrator removes the other reservation without its key; then status by query parameters.
        AssertCounts(await PostOkAsync("/reservations/remove", Ids(Nodes[1])), [Nodes[1]]);
        var reservedNow = await TestServer.ReadJsonAsync(await server.Client.GetAsync("/hsm/v2/locks/status?Reserved=true&type=Node"));
        Assert.Equal([Nodes[0]], reservedNow["Components"]!.AsArray().Select(c => (string)c!["ID"]!));
        var all = await PostOkAsync("/status", Ids(Nodes[3], "x9c0s0b0n0"));
        Assert.Equal(["x9c0s0b0n0"], all["NotFound"]!.AsArray().Select(n => (string)n!));
    }

    [Fact]
    public async Task Keys_are_not_journaled()
    {
        var reserved = await PostOkAsync("/service/reservations", Ids(Nodes[0]));
        var key = (string)reserved["Success"]![0]!["ReservationKey"]!;
        var entries = server.Services.Audit.Query();
        Assert.NotEmpty(entries);
        Assert.DoesNotContain(entries, e => (e.After ?? "").Contains(key, StringComparison.Ordinal) || (e.Before ?? "").Contains(key, StringComparison.Ordinal));
    }
}
