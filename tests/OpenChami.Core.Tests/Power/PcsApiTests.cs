using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using OpenChami.Core.Model;
using OpenChami.Core.Power;
using OpenChami.Core.Tests.Support;

namespace OpenChami.Core.Tests.Power;

/// <summary><c>/power-control/v1</c> over real Kestrel, executing against simulated BMCs.</summary>
public sealed class PcsApiTests
{
    private static async Task<JsonNode> WaitForTransitionAsync(HttpClient client, string id, string until = "completed", int seconds = 60)
    {
        var clock = Stopwatch.StartNew();
        JsonNode body;
        do
        {
            await Task.Delay(100);
            body = await TestServer.ReadJsonAsync(await client.GetAsync($"/power-control/v1/transitions/{id}"));
        }
        while ((string?)body["transitionStatus"] != until && clock.Elapsed < TimeSpan.FromSeconds(seconds));

        Assert.Equal(until, (string?)body["transitionStatus"]);
        return body;
    }

    private static async Task<string> StartAsync(TestServer server, string operation, IEnumerable<string> xnames, int? deadline = null, string basePath = "/power-control/v1")
    {
        var request = new JsonObject
        {
            ["operation"] = operation,
            ["location"] = new JsonArray(xnames.Select(x => (JsonNode)new JsonObject { ["xname"] = x }).ToArray()),
        };
        if (deadline is { } d) request["taskDeadlineMinutes"] = d;
        var response = await server.SendJsonAsync(HttpMethod.Post, $"{basePath}/transitions", request.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await TestServer.ReadJsonAsync(response);
        var id = (string)body["transitionID"]!;
        Assert.True(Guid.TryParse(id, out _));
        Assert.Equal($"../transitions/{id}", response.Headers.Location?.OriginalString);
        return id;
    }

    [Fact]
    public async Task Off_transition_on_32_nodes_of_16_EX425_blades_completes_with_per_node_status()
    {
        await using var lab = await PowerLab.StartAsync(PowerLab.Ex425, 16, withServer: true,
            configure: (_, s) => s.PowerTransitionDelay = TimeSpan.FromMilliseconds(300));
        var server = lab.Server!;
        var nodes = lab.AllNodes.ToList();
        Assert.Equal(32, nodes.Count);

        var id = await StartAsync(server, "OFF", nodes);
        var created = await TestServer.ReadJsonAsync(await server.Client.GetAsync($"/power-control/v1/transitions/{id}"));
        Assert.Equal("Off", (string?)created["operation"]);

        var done = await WaitForTransitionAsync(server.Client, id);

        Assert.Equal(32, (int)done["taskCounts"]!["total"]!);
        Assert.Equal(32, (int)done["taskCounts"]!["succeeded"]!);
        Assert.Equal(0, (int)done["taskCounts"]!["un-supported"]!);
        var tasks = done["tasks"]!.AsArray();
        Assert.Equal(nodes.Order(StringComparer.Ordinal), tasks.Select(t => (string)t!["xname"]!).Order(StringComparer.Ordinal));
        Assert.All(tasks, t =>
        {
            Assert.Equal("succeeded", (string?)t!["taskStatus"]);
            Assert.Equal("Transition confirmed, Off", (string?)t["taskStatusDescription"]);
            Assert.Null(t["error"]);
        });
        for (var b = 0; b < 16; b++)
        {
            // EX425 has no GracefulShutdown: "Off" is its graceful off; no escalation was needed.
            Assert.Equal(lab.SystemPaths.Select(p => ($"{p}/Actions/ComputerSystem.Reset", (string?)"Off")).ToList(), PowerLab.Resets(lab.Farm[b]).OrderBy(r => r.Path).ToList());
            Assert.All(lab.SystemPaths, p => Assert.Equal("Off", lab.Farm[b].GetPowerState(p)));
        }

        // Confirmed state written back to the inventory.
        Assert.All(nodes, x => Assert.Equal(HmsState.Off, lab.Services.Components.Get(x).State));

        // Listed without tasks; visible to the cmdlet-side service.
        var list = await TestServer.ReadJsonAsync(await server.Client.GetAsync("/power-control/v1/transitions"));
        var summary = Assert.Single(list["transitions"]!.AsArray());
        Assert.Equal(id, (string?)summary!["transitionID"]);
        Assert.Null(summary["tasks"]);
        Assert.Equal("completed", (string?)summary["transitionStatus"]);
        var stored = lab.Services.Power.Transitions.Get(id);
        Assert.Equal(TransitionStatus.Completed, stored.TransitionStatus);
        Assert.All(stored.Tasks, t => Assert.Equal(["Off"], t.ResetTypesSent));
    }

    [Fact]
    public async Task Operations_follow_the_spec_sequences_and_preconditions()
    {
        await using var lab = await PowerLab.StartAsync(PowerLab.Ex425, 2, withServer: true);
        var server = lab.Server!;
        var bmc = lab.Farm[0];
        bmc.SetPowerState(lab.SystemPaths[1], "Off");
        lab.ClearRequests();

        // soft-restart: n0 is on → Off (graceful for EX425) then On; n1 is off → fails its precondition.
        var restart = await WaitForTransitionAsync(server.Client, await StartAsync(server, "soft-restart", [PowerLab.NodeXname(0, 0), PowerLab.NodeXname(0, 1)]));
        var byXname = restart["tasks"]!.AsArray().ToDictionary(t => (string)t!["xname"]!, t => t!);
        Assert.Equal("succeeded", (string?)byXname[PowerLab.NodeXname(0, 0)]["taskStatus"]);
        Assert.Equal("failed", (string?)byXname[PowerLab.NodeXname(0, 1)]["taskStatus"]);
        Assert.Equal("Component must be in the On state for Soft-Restart", (string?)byXname[PowerLab.NodeXname(0, 1)]["error"]);
        Assert.Equal([($"{lab.SystemPaths[0]}/Actions/ComputerSystem.Reset", (string?)"Off"), ($"{lab.SystemPaths[0]}/Actions/ComputerSystem.Reset", "On")], PowerLab.Resets(bmc));

        // init: on → off then on; off → just On. "reinit" is ochami's alias.
        lab.ClearRequests();
        var init = await WaitForTransitionAsync(server.Client, await StartAsync(server, "reinit", [PowerLab.NodeXname(0, 1)]));
        Assert.Equal("Init", (string?)init["operation"]);
        Assert.Equal("succeeded", (string?)init["tasks"]![0]!["taskStatus"]);
        Assert.Equal([($"{lab.SystemPaths[1]}/Actions/ComputerSystem.Reset", (string?)"On")], PowerLab.Resets(bmc));

        // on when already on: nothing sent.
        lab.ClearRequests();
        var on = await WaitForTransitionAsync(server.Client, await StartAsync(server, "on", [PowerLab.NodeXname(1, 0)]));
        Assert.Equal("Component already in desired state", (string?)on["tasks"]![0]!["taskStatusDescription"]);
        Assert.Empty(PowerLab.Resets(lab.Farm[1]));

        // force-off; unknown xname → failed with the reason; the others still run.
        var forceOff = await WaitForTransitionAsync(server.Client, await StartAsync(server, "Force-Off", [PowerLab.NodeXname(1, 1), "x3000c0s9b0n0"]));
        var tasks = forceOff["tasks"]!.AsArray().ToDictionary(t => (string)t!["xname"]!, t => t!);
        Assert.Equal("succeeded", (string?)tasks[PowerLab.NodeXname(1, 1)]["taskStatus"]);
        Assert.Equal("failed", (string?)tasks["x3000c0s9b0n0"]["taskStatus"]);
        Assert.Contains("Xname not found in HSM", (string?)tasks["x3000c0s9b0n0"]["error"]);
        Assert.Equal("Off", lab.Farm[1].GetPowerState(lab.SystemPaths[1]));
    }

    [Fact]
    public async Task Unsupported_operation_marks_the_task_unsupported_and_sends_nothing()
    {
        // A BMC that only offers On: soft-off is not possible.
        await using var lab = await PowerLab.StartAsync(PowerLab.Rackmount, 1, withServer: true, advertised: ["On"]);
        lab.ClearRequests();
        var body = await WaitForTransitionAsync(lab.Server!.Client, await StartAsync(lab.Server, "soft-off", [PowerLab.NodeXname(0, 0)]));
        Assert.Equal("unsupported", (string?)body["tasks"]![0]!["taskStatus"]);
        Assert.Equal(1, (int)body["taskCounts"]!["un-supported"]!);
        Assert.Equal("Component does not support the specified transition operation, Soft-Off", (string?)body["tasks"]![0]!["taskStatusDescription"]);
        Assert.Empty(PowerLab.Resets(lab.Farm[0]));
    }

    [Fact]
    public async Task Abort_stops_a_running_transition_and_fails_its_remaining_tasks()
    {
        await using var lab = await PowerLab.StartAsync(PowerLab.Rackmount, 1, withServer: true);
        var bmc = lab.Farm[0];
        // The OS ignores GracefulShutdown: the fixture answers 204 but the state never changes.
        bmc.PowerTransitionDelay = TimeSpan.FromHours(1);
        var transition = lab.Services.Power.Transitions.Create(new TransitionRequest
        {
            Operation = "off",
            TaskDeadlineMinutes = 1,
            Location = [new TransitionLocation { Xname = PowerLab.NodeXname(0, 0) }],
        });
        // Wait until the GracefulShutdown went out; the transition now waits for Off (up to a minute).
        var clock = Stopwatch.StartNew();
        while (PowerLab.Resets(bmc).Count == 0 && clock.Elapsed < TimeSpan.FromSeconds(10)) await Task.Delay(50);
        Assert.Equal("GracefulShutdown", Assert.Single(PowerLab.Resets(bmc)).ResetType);
        var abort = await lab.Server!.Client.DeleteAsync($"/power-control/v1/transitions/{transition.TransitionID}");
        Assert.Equal(HttpStatusCode.Accepted, abort.StatusCode);
        Assert.Equal("Accepted - abort initiated", (string?)(await TestServer.ReadJsonAsync(abort))["abortStatus"]);
        var aborted = await WaitForTransitionAsync(lab.Server.Client, transition.TransitionID, "aborted", 15);
        Assert.Equal("failed", (string?)aborted["tasks"]![0]!["taskStatus"]);
        Assert.Equal("Transition aborted", (string?)aborted["tasks"]![0]!["error"]);

        var again = await lab.Server.Client.DeleteAsync($"/power-control/v1/transitions/{transition.TransitionID}");
        Assert.Equal("Transition is already finished and cannot be aborted.", await TestServer.AssertProblemAsync(again, 400));
    }

    [Fact]
    public async Task Engine_escalates_GracefulShutdown_to_ForceOff_at_the_step_deadline()
    {
        await using var lab = await PowerLab.StartAsync(PowerLab.Rackmount, 1);
        var bmc = lab.Farm[0];
        bmc.PowerTransitionDelay = TimeSpan.FromHours(1); // GracefulShutdown never completes...
        var target = lab.Services.Power.Resolve(PowerLab.NodeXname(0, 0));
        using var client = new RedfishPowerClient(lab.Services.Power.Options);
        var runner = new PowerNodeRunner(client);
        var sentForceOff = false;
        var result = await runner.RunAsync(target, "Off", (allowed, current) => PowerPlanner.PlanOperation(PowerOperation.Off, allowed, current),
            new NodeRunOptions { Wait = true, StepTimeout = TimeSpan.FromMilliseconds(800) },
            d =>
            {
                if (d == "Applying transition, ForceOff" && !sentForceOff)
                {
                    sentForceOff = true;
                    bmc.PowerTransitionDelay = TimeSpan.Zero; // ...ForceOff does
                }
            });
        Assert.Equal(PowerActionStatus.Succeeded, result.Status);
        Assert.Equal(["GracefulShutdown", "ForceOff"], result.ResetTypesSent);
        Assert.Equal("Off", bmc.GetPowerState(lab.SystemPaths[0]));
    }

    [Fact]
    public async Task Deadline_zero_sends_without_confirming()
    {
        await using var lab = await PowerLab.StartAsync(PowerLab.Rackmount, 1, withServer: true, configure: (_, s) => s.PowerTransitionDelay = TimeSpan.FromSeconds(5));
        var body = await WaitForTransitionAsync(lab.Server!.Client, await StartAsync(lab.Server, "force-off", [PowerLab.NodeXname(0, 0)], deadline: 0), seconds: 4);
        Assert.Equal("succeeded", (string?)body["tasks"]![0]!["taskStatus"]);
        Assert.Equal("Not confirming", (string?)body["tasks"]![0]!["taskStatusDescription"]);
        Assert.Equal("PoweringOff", lab.Farm[0].GetPowerState(lab.SystemPaths[0]));
    }

    [Theory]
    [InlineData("/power-control/v1")]
    [InlineData("/v1")]
    [InlineData("")]
    public async Task Routes_are_served_under_every_base_path(string basePath)
    {
        await using var server = await TestServer.StartAsync();
        var list = await server.Client.GetAsync($"{basePath}/transitions");
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Empty((await TestServer.ReadJsonAsync(list))["transitions"]!.AsArray());
        Assert.Equal(HttpStatusCode.NoContent, (await server.Client.GetAsync($"{basePath}/liveness")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await server.Client.GetAsync($"{basePath}/readiness")).StatusCode);
        var health = await TestServer.ReadJsonAsync(await server.Client.GetAsync($"{basePath}/health"));
        Assert.Equal("connected, responsive", (string?)health["KvStore"]);
        Assert.Equal("disabled", (string?)health["Vault"]);
    }

    [Fact]
    public async Task Bad_requests_get_the_spec_errors_and_store_nothing()
    {
        await using var server = await TestServer.StartAsync();
        Assert.Equal("empty body not allowed", await TestServer.AssertProblemAsync(await server.SendJsonAsync(HttpMethod.Post, "/power-control/v1/transitions", ""), 400));
        Assert.Equal("invalid Operation type warp", await TestServer.AssertProblemAsync(
            await server.SendJsonAsync(HttpMethod.Post, "/power-control/v1/transitions", """{"operation":"warp","location":[{"xname":"x1000c0s0b0n0"}]}"""), 400));
        Assert.Equal("invalid xnames detected: nonsense", await TestServer.AssertProblemAsync(
            await server.SendJsonAsync(HttpMethod.Post, "/power-control/v1/transitions", """{"operation":"on","location":[{"xname":"nonsense"}]}"""), 400));
        Assert.StartsWith("error decoding JSON", await TestServer.AssertProblemAsync(
            await server.SendJsonAsync(HttpMethod.Post, "/power-control/v1/transitions", """{"operation":"""), 400));
        Assert.Empty(server.Services.Power.Transitions.List());

        Assert.Contains("not a UUID", await TestServer.AssertProblemAsync(await server.Client.GetAsync("/power-control/v1/transitions/not-a-uuid"), 400));
        Assert.Equal("TransitionID does not exist", await TestServer.AssertProblemAsync(await server.Client.GetAsync($"/power-control/v1/transitions/{Guid.NewGuid()}"), 404));
        Assert.Equal("TransitionID does not exist", await TestServer.AssertProblemAsync(await server.Client.DeleteAsync($"/power-control/v1/transitions/{Guid.NewGuid()}"), 404));

        Assert.Equal("invalid xnames detected: bogus x1c0s0b0n0q", await TestServer.AssertProblemAsync(await server.Client.GetAsync("/power-control/v1/power-status?xname=bogus&xname=x1c0s0b0n0q&xname=x1000c0s0b0n0"), 400));
        Assert.Equal("invalid powerStateFilter type: sideways", await TestServer.AssertProblemAsync(await server.Client.GetAsync("/power-control/v1/power-status?powerStateFilter=sideways"), 400));
        Assert.Equal("invalid ManagementStateFilter type: maybe", await TestServer.AssertProblemAsync(await server.Client.GetAsync("/power-control/v1/power-status?managementStateFilter=maybe"), 400));
        Assert.Equal("empty body not allowed", await TestServer.AssertProblemAsync(await server.SendJsonAsync(HttpMethod.Post, "/power-control/v1/power-status", ""), 400));
    }

    [Fact]
    public async Task Power_status_over_http_with_filters()
    {
        await using var lab = await PowerLab.StartAsync(PowerLab.Ex425, 2, withServer: true);
        lab.Farm[0].SetPowerState(lab.SystemPaths[0], "Off");
        await lab.Farm[1].StopAsync();
        var client = lab.Server!.Client;

        var all = await TestServer.ReadJsonAsync(await client.GetAsync("/power-control/v1/power-status"));
        Assert.Equal(4, all["status"]!.AsArray().Count);
        var first = all["status"]![0]!;
        Assert.Equal(PowerLab.NodeXname(0, 0), (string?)first["xname"]);
        Assert.Equal("off", (string?)first["powerState"]);
        Assert.Equal("available", (string?)first["managementState"]);
        Assert.Equal("", (string?)first["error"]);
        Assert.True(DateTime.TryParse((string?)first["lastUpdated"], out _));
        Assert.Contains("Force-Off", first["supportedPowerTransitions"]!.AsArray().Select(v => (string?)v));

        var off = await TestServer.ReadJsonAsync(await client.GetAsync($"/power-status?powerStateFilter=OFF&xname={PowerLab.NodeXname(0, 0)}&xname={PowerLab.NodeXname(0, 1)}"));
        Assert.Equal([PowerLab.NodeXname(0, 0)], off["status"]!.AsArray().Select(s => (string)s!["xname"]!));

        var unavailable = await TestServer.ReadJsonAsync(await lab.Server.SendJsonAsync(HttpMethod.Post, "/power-control/v1/power-status", """{"managementStateFilter":"unavailable"}"""));
        Assert.Equal([PowerLab.NodeXname(1, 0), PowerLab.NodeXname(1, 1)], unavailable["status"]!.AsArray().Select(s => (string)s!["xname"]!));
        Assert.All(unavailable["status"]!.AsArray(), s => Assert.Equal("undefined", (string?)s!["powerState"]));
        Assert.DoesNotContain("password", (await (await client.GetAsync("/power-control/v1/power-status")).Content.ReadAsStringAsync()), StringComparison.OrdinalIgnoreCase);
    }

    [Trait("Backend", TestStores.LiteDbOnly)]
    [Fact]
    public async Task A_transition_stored_while_no_server_ran_is_executed_when_one_starts()
    {
        using var temp = new TempDirectory();
        var path = temp.File("power.db");
        await using var lab = await PowerLab.StartAsync(PowerLab.Rackmount, 1);
        // Copy the inventory into a file store, store a transition there, then start a server on it.
        using (var file = OpenChami.Core.Storage.LiteDbStore.OpenFile(path))
        {
            var offline = new ChamiServices(file);
            offline.RedfishEndpoints.Upsert(lab.Services.RedfishEndpoints.Query().Select(r => new RedfishEndpointInput
            {
                ID = r.ID, FQDN = r.FQDN, User = "admin", Password = "password", SchemaVersion = 1,
                Systems = [new RedfishSystemRecord { Uri = "/redfish/v1/Systems/437XR1138R2", Actions = ["On", "ForceOff"] }],
            }).ToList());
            offline.Power.Transitions.Create(new TransitionRequest { Operation = "force-off", Location = [new TransitionLocation { Xname = PowerLab.NodeXname(0, 0) }] });
        }

        var services = new ChamiServices(OpenChami.Core.Storage.LiteDbStore.OpenFile(path));
        services.Power.Options.DefaultScheme = "http"; // the fixture speaks plain HTTP
        var server = await OpenChami.Core.Http.ChamiServer.StartAsync(services, new OpenChami.Core.Http.ChamiServerOptions { Port = 0 });
        using var client = new HttpClient { BaseAddress = new Uri(server.Url) };
        var id = services.Power.Transitions.List().Single().TransitionID;
        JsonNode done;
        try
        {
            done = await WaitForTransitionAsync(client, id, seconds: 20);
        }
        finally
        {
            await server.StopAsync();
            services.Store.Dispose();
        }

        Assert.Equal("succeeded", (string?)done["tasks"]![0]!["taskStatus"]);
        Assert.Equal("Off", lab.Farm[0].GetPowerState(lab.SystemPaths[0]));
    }
}
