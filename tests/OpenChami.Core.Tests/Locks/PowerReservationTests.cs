using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using OpenChami.Core.Errors;
using OpenChami.Core.Locks;
using OpenChami.Core.Tests.Support;

namespace OpenChami.Core.Tests.Locks;

/// <summary>Power honours locks and reservations (spec/discovery-power.md §4.5.1), against the Redfish simulator.</summary>
public sealed class PowerReservationTests
{
    private static LockSelection Select(params string[] ids)
    {
        var selection = new LockSelection();
        selection.ComponentIDs.AddRange(ids);
        return selection;
    }

    private static async Task<JsonNode> TransitionAsync(TestServer server, string operation, string xname, string? deputyKey, string until)
    {
        var location = new JsonObject { ["xname"] = xname };
        if (deputyKey is not null) location["deputyKey"] = deputyKey;
        var response = await server.SendJsonAsync(HttpMethod.Post, "/power-control/v1/transitions",
            new JsonObject { ["operation"] = operation, ["location"] = new JsonArray(location) }.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var id = (string)(await TestServer.ReadJsonAsync(response))["transitionID"]!;
        var waited = Stopwatch.StartNew();
        JsonNode body;
        do
        {
            await Task.Delay(50);
            body = await TestServer.ReadJsonAsync(await server.Client.GetAsync($"/power-control/v1/transitions/{id}"));
        }
        while ((string?)body["transitionStatus"] != until && waited.Elapsed < TimeSpan.FromSeconds(60));

        Assert.Equal(until, (string?)body["transitionStatus"]);
        return body;
    }

    [Fact]
    public async Task A_transition_on_a_reserved_node_fails_without_the_deputy_key_and_runs_with_it()
    {
        await using var lab = await PowerLab.StartAsync(PowerLab.Rackmount, 1, withServer: true);
        var node = PowerLab.NodeXname(0, 0);
        var grant = lab.Services.Locks.Reserve(Select(node), durationMinutes: 5).Success.Single();
        lab.ClearRequests();

        var refused = await TransitionAsync(lab.Server!, "force-off", node, null, "completed");
        var task = refused["tasks"]![0]!;
        Assert.Equal("failed", (string?)task["taskStatus"]);
        Assert.Equal($"Unable to reserve component {node}: Component is Reserved (present its deputy or reservation key)", (string?)task["error"]);
        Assert.Empty(PowerLab.Resets(lab.Farm[0])); // nothing reached the BMC

        var wrongKey = await TransitionAsync(lab.Server!, "force-off", node, $"{node}:dk:{Guid.NewGuid()}", "completed");
        Assert.Contains("the key given is not its reservation's", (string?)wrongKey["tasks"]![0]!["error"]);
        Assert.Empty(PowerLab.Resets(lab.Farm[0]));

        var allowed = await TransitionAsync(lab.Server!, "force-off", node, grant.DeputyKey, "completed");
        Assert.Equal("succeeded", (string?)allowed["tasks"]![0]!["taskStatus"]);
        Assert.Equal("ForceOff", PowerLab.Resets(lab.Farm[0]).Single().ResetType);
    }

    [Fact]
    public async Task The_cmdlet_check_refuses_locked_and_reserved_nodes_unless_the_key_is_given()
    {
        await using var lab = await PowerLab.StartAsync(PowerLab.Ex425, 1);
        var (n0, n1) = (PowerLab.NodeXname(0, 0), PowerLab.NodeXname(0, 1));
        var power = lab.Services.Power;
        power.EnsureMayChange(n0, null); // free: allowed

        var grant = lab.Services.Locks.Reserve(Select(n0), durationMinutes: 1).Success.Single();
        var refused = Assert.Throws<ChamiException>(() => power.EnsureMayChange(n0, null));
        Assert.Equal(("ComponentReserved", ChamiErrorKind.Conflict, n0), (refused.ErrorId, refused.Kind, refused.Target));
        power.EnsureMayChange(n0, grant.DeputyKey);
        power.EnsureMayChange(n0, grant.ReservationKey);

        lab.Services.Locks.Lock(Select(n1));
        Assert.Contains("Component is Locked", Assert.Throws<ChamiException>(() => power.EnsureMayChange(n1, null)).Message);
        lab.Services.Locks.Unlock(Select(n1));
        power.EnsureMayChange(n1, null);
    }
}
