using System.Collections.Concurrent;
using OpenChami.Core.Errors;
using OpenChami.Core.Power;
using OpenChami.Core.Tests.Support;
using OpenChami.RedfishFixture;

namespace OpenChami.Core.Tests.Power;

/// <summary>Power actions against simulated BMCs registered through SchemaVersion 1 ingestion.</summary>
public sealed class PowerActionTests
{
    private static async Task<List<PowerActionResult>> RunAsync(PowerLab lab, PowerAction action, IEnumerable<string> xnames,
        bool wait = false, bool fallback = false, FanOutOptions? fanOut = null, int timeoutSec = 10, BmcCredential? credential = null)
    {
        var results = new ConcurrentBag<PowerActionResult>();
        var targets = xnames.Select(x => lab.Services.Power.Resolve(x, credential)).ToList();
        foreach (var t in targets) lab.Services.Power.Validate(t, action, fallback);
        await lab.Services.Power.RunActionAsync(targets, action, fallback,
            new NodeRunOptions { Wait = wait, StepTimeout = TimeSpan.FromSeconds(timeoutSec) },
            fanOut ?? new FanOutOptions(), results.Add, CancellationToken.None);
        return results.OrderBy(r => r.Xname, StringComparer.Ordinal).ToList();
    }

    [Theory]
    [InlineData(PowerAction.ForceOff, "On", "Off")]
    [InlineData(PowerAction.GracefulShutdown, "On", "Off")]
    [InlineData(PowerAction.On, "Off", "On")]
    [InlineData(PowerAction.GracefulRestart, "On", "On")]
    [InlineData(PowerAction.ForceRestart, "On", "On")]
    [InlineData(PowerAction.Nmi, "On", "On")]
    public async Task Each_action_posts_its_reset_type_to_the_system_reset_target_and_power_state_follows(PowerAction action, string before, string after)
    {
        await using var lab = await PowerLab.StartAsync(PowerLab.Rackmount, 1);
        var (bmc, system) = lab.Locate(0, 0);
        bmc.SetPowerState(system, before);
        bmc.ClearRequests();

        var result = Assert.Single(await RunAsync(lab, action, [PowerLab.NodeXname(0, 0)]));

        Assert.Equal(PowerActionStatus.Succeeded, result.Status);
        Assert.Equal([action.ToString()], result.ResetTypesSent);
        var reset = Assert.Single(PowerLab.Resets(bmc));
        Assert.Equal($"{system}/Actions/ComputerSystem.Reset", reset.Path);
        Assert.Equal(action.ToString(), reset.ResetType);
        Assert.Equal(after, bmc.GetPowerState(system));
        // Authenticated with the credential ingestion stored; every request went to this node's resources.
        Assert.All(bmc.Requests, r => Assert.True(r.Authenticated, r.ToString()));
        Assert.All(bmc.Requests, r => Assert.StartsWith(system, r.Path));
    }

    [Fact]
    public async Task Wait_polls_until_the_delayed_power_state_is_observed()
    {
        await using var lab = await PowerLab.StartAsync(PowerLab.Rackmount, 1, configure: (_, s) => s.PowerTransitionDelay = TimeSpan.FromMilliseconds(1200));
        var (bmc, system) = lab.Locate(0, 0);

        var result = Assert.Single(await RunAsync(lab, PowerAction.ForceOff, [PowerLab.NodeXname(0, 0)], wait: true));

        Assert.Equal(PowerActionStatus.Succeeded, result.Status);
        Assert.Equal("Off", result.FinalPowerState);
        Assert.Equal("On", result.InitialPowerState);
        Assert.True(result.Duration >= TimeSpan.FromMilliseconds(1100), $"returned after {result.Duration} although the BMC takes 1.2 s");
        Assert.Equal("Off", bmc.GetPowerState(system));
        Assert.Equal(Model.HmsState.Off, lab.Services.Components.Get(PowerLab.NodeXname(0, 0)).State); // confirmed state written back
        var polls = bmc.Requests.Count(r => r.Method == "GET" && r.Path == system);
        Assert.InRange(polls, 3, 40); // saw PoweringOff at least once, and polling stayed bounded
    }

    [Fact]
    public async Task Without_wait_returns_before_the_transition_completes()
    {
        await using var lab = await PowerLab.StartAsync(PowerLab.Rackmount, 1, configure: (_, s) => s.PowerTransitionDelay = TimeSpan.FromSeconds(3));
        var result = Assert.Single(await RunAsync(lab, PowerAction.ForceOff, [PowerLab.NodeXname(0, 0)]));
        Assert.Equal(PowerActionStatus.Succeeded, result.Status);
        Assert.True(result.Duration < TimeSpan.FromSeconds(2), result.Duration.ToString());
        Assert.Null(result.FinalPowerState); // not observed after the reset
        Assert.Equal(Model.HmsState.On, lab.Services.Components.Get(PowerLab.NodeXname(0, 0)).State); // unconfirmed: inventory unchanged
        Assert.Equal("PoweringOff", lab.Locate(0, 0).Bmc.GetPowerState(lab.SystemPaths[0]));
    }

    [Fact]
    public async Task Wait_times_out_when_the_state_never_arrives()
    {
        await using var lab = await PowerLab.StartAsync(PowerLab.Rackmount, 1, configure: (_, s) => s.PowerTransitionDelay = TimeSpan.FromSeconds(30));
        var result = Assert.Single(await RunAsync(lab, PowerAction.GracefulShutdown, [PowerLab.NodeXname(0, 0)], wait: true, timeoutSec: 1));
        Assert.Equal(PowerActionStatus.TimedOut, result.Status);
        Assert.Equal("PoweringOff", result.FinalPowerState);
        Assert.Contains("Timeout waiting for transition, gracefulshutdown", result.Error);
    }

    [Fact]
    public async Task Unsupported_reset_type_is_refused_before_any_request()
    {
        await using var lab = await PowerLab.StartAsync(PowerLab.Ex425, 1);
        var target = lab.Services.Power.Resolve(PowerLab.NodeXname(0, 0));

        var ex = Assert.Throws<ChamiException>(() => lab.Services.Power.Validate(target, PowerAction.GracefulRestart, allowFallback: false));
        Assert.Equal("ResetTypeNotSupported", ex.ErrorId);
        Assert.Equal(ChamiErrorKind.NotSupported, ex.Kind);
        Assert.Contains("ForceOff, On, Off", ex.Message);
        Assert.Throws<ChamiException>(() => lab.Services.Power.Validate(target, PowerAction.Nmi, allowFallback: true));
        Assert.Empty(lab.Farm[0].Requests);
    }

    [Fact]
    public async Task Reset_types_read_from_action_info_when_none_were_stored_still_refuse_before_posting()
    {
        // A CE with no AllowableValues: the engine reads @Redfish.ActionInfo (EX425: ForceOff, On, Off) and refuses.
        await using var lab = await PowerLab.StartAsync(PowerLab.Ex425, 1, advertised: []);
        var target = lab.Services.Power.Resolve(PowerLab.NodeXname(0, 0));
        Assert.Empty(target.AllowedResetTypes);
        Assert.Equal("/redfish/v1/Systems/Node0/ResetActionInfo", target.ActionInfo);
        lab.Farm[0].ClearRequests();

        var results = new List<PowerActionResult>();
        await lab.Services.Power.RunActionAsync([target], PowerAction.GracefulShutdown, false, new NodeRunOptions(), new FanOutOptions(), results.Add, CancellationToken.None);

        var result = Assert.Single(results);
        Assert.Equal(PowerActionStatus.Failed, result.Status);
        Assert.Contains("does not support ResetType GracefulShutdown", result.Error);
        Assert.Empty(PowerLab.Resets(lab.Farm[0]));
        Assert.Contains(lab.Farm[0].Requests, r => r.Path == "/redfish/v1/Systems/Node0/ResetActionInfo");
    }

    [Fact]
    public async Task PowerCycle_without_PowerCycle_sends_ForceOff_then_On_after_off_is_seen()
    {
        await using var lab = await PowerLab.StartAsync(PowerLab.Ex425, 1, configure: (_, s) => s.PowerTransitionDelay = TimeSpan.FromMilliseconds(400));
        var (bmc, system) = lab.Locate(0, 1);

        var result = Assert.Single(await RunAsync(lab, PowerAction.PowerCycle, [PowerLab.NodeXname(0, 1)], wait: true));

        Assert.Equal(PowerActionStatus.Succeeded, result.Status);
        Assert.Equal(["ForceOff", "On"], result.ResetTypesSent);
        Assert.Equal([($"{system}/Actions/ComputerSystem.Reset", "ForceOff"), ($"{system}/Actions/ComputerSystem.Reset", "On")], PowerLab.Resets(bmc));
        // On was only sent once the node was seen Off.
        var posts = bmc.Requests.Where(r => r.Method == "POST").ToList();
        Assert.Contains(bmc.Requests, r => r.Method == "GET" && r.Path == system && r.Timestamp > posts[0].Timestamp && r.Timestamp < posts[1].Timestamp);
        Assert.True(posts[1].Timestamp - posts[0].Timestamp >= TimeSpan.FromMilliseconds(350));
        Assert.Equal("On", bmc.GetPowerState(system));
        Assert.Equal("On", bmc.GetPowerState(lab.SystemPaths[0])); // the blade's other node was not touched
    }

    [Fact]
    public async Task Friendly_stop_uses_Off_where_the_BMC_has_no_GracefulShutdown()
    {
        await using var lab = await PowerLab.StartAsync(PowerLab.Ex425, 1);
        var result = Assert.Single(await RunAsync(lab, PowerAction.GracefulShutdown, [PowerLab.NodeXname(0, 0)], fallback: true, wait: true));
        Assert.Equal(["Off"], result.ResetTypesSent);
        Assert.Equal("Off", lab.Farm[0].GetPowerState(lab.SystemPaths[0]));
    }

    [Fact]
    public async Task Node_already_in_the_target_state_gets_no_reset()
    {
        await using var lab = await PowerLab.StartAsync(PowerLab.Rackmount, 1);
        var result = Assert.Single(await RunAsync(lab, PowerAction.On, [PowerLab.NodeXname(0, 0)]));
        Assert.Equal(PowerActionStatus.Succeeded, result.Status);
        Assert.Empty(result.ResetTypesSent);
        Assert.Equal("Component already in desired state", result.Message);
        Assert.Empty(PowerLab.Resets(lab.Farm[0]));
    }

    [Fact]
    public async Task Unreachable_and_failing_BMCs_are_reported_while_the_others_succeed()
    {
        await using var lab = await PowerLab.StartAsync(PowerLab.Rackmount, 5, configure: (i, s) =>
        {
            if (i == 2) s.Fault = RedfishFault.ServerError;
            if (i == 3) s.Fault = RedfishFault.RefuseCredentials;
            if (i == 4) { s.Fault = RedfishFault.Timeout; s.TimeoutHold = TimeSpan.FromSeconds(20); }
        });
        lab.Services.Power.Options.RequestTimeout = TimeSpan.FromSeconds(1);
        await lab.Farm[1].StopAsync(); // port still bound in the farm, connection dropped: unreachable

        var results = await RunAsync(lab, PowerAction.ForceOff, Enumerable.Range(0, 5).Select(i => PowerLab.NodeXname(i, 0)), wait: true);

        Assert.Equal(5, results.Count);
        Assert.Equal(PowerActionStatus.Succeeded, results[0].Status);
        Assert.Equal("Off", lab.Farm[0].GetPowerState(lab.SystemPaths[0]));
        Assert.All(results.Skip(1), r => Assert.Equal(PowerActionStatus.Failed, r.Status));
        Assert.Contains("cannot reach the BMC", results[1].Error);
        Assert.Contains("500", results[2].Error);
        Assert.Contains("(after 3 attempts)", results[2].Error);
        Assert.Contains("rejected the credentials (401)", results[3].Error);
        Assert.Contains("did not answer", results[4].Error);
        Assert.All(results, r => Assert.DoesNotContain(RedfishBmcSimulator.DefaultPassword, r.Error ?? string.Empty));
        Assert.All(results.Skip(1), r => Assert.Empty(r.ResetTypesSent));
    }

    [Fact]
    public async Task Explicit_credential_replaces_a_wrong_stored_one_without_changing_the_store()
    {
        await using var lab = await PowerLab.StartAsync(PowerLab.Rackmount, 1, password: "stale-secret");
        var failed = Assert.Single(await RunAsync(lab, PowerAction.ForceOff, [PowerLab.NodeXname(0, 0)]));
        Assert.Equal(PowerActionStatus.Failed, failed.Status);
        Assert.DoesNotContain("stale-secret", failed.Error);

        var ok = Assert.Single(await RunAsync(lab, PowerAction.ForceOff, [PowerLab.NodeXname(0, 0)], credential: new BmcCredential("admin", "password")));
        Assert.Equal(PowerActionStatus.Succeeded, ok.Status);
        Assert.Equal("stale-secret", lab.Services.Credentials.Get(PowerLab.BmcXname(0))!.Secret);
        Assert.DoesNotContain("password", new BmcCredential("admin", "password").ToString().Replace("(password hidden)", ""));
    }

    [Fact]
    public async Task Batches_are_staggered_and_throttle_bounds_concurrency()
    {
        await using var lab = await PowerLab.StartAsync(PowerLab.Rackmount, 6);
        var nodes = Enumerable.Range(0, 6).Select(i => PowerLab.NodeXname(i, 0)).ToList();

        var results = await RunAsync(lab, PowerAction.ForceOff, nodes, fanOut: new FanOutOptions { ThrottleLimit = 8, BatchSize = 2, BatchDelay = TimeSpan.FromMilliseconds(400) });

        Assert.All(results, r => Assert.Equal(PowerActionStatus.Succeeded, r.Status));
        Assert.All(Enumerable.Range(0, 6), i => Assert.Single(PowerLab.Resets(lab.Farm[i])));
        // The delay separates batch starts, so compare each BMC's FIRST request (sent right after its batch
        // started), not the reset, which follows a state read whose latency varies on a loaded machine.
        // Allow half the delay per gap for scheduling jitter: no stagger at all would be ~0 ms.
        var posts = Enumerable.Range(0, 6).Select(i => lab.Farm[i].Requests.Min(r => r.Timestamp)).ToList();
        Assert.True(posts[2] - posts[0] >= TimeSpan.FromMilliseconds(200), $"batch 2 started {(posts[2] - posts[0]).TotalMilliseconds} ms after batch 1");
        Assert.True(posts[4] - posts[2] >= TimeSpan.FromMilliseconds(200), $"batch 3 started {(posts[4] - posts[2]).TotalMilliseconds} ms after batch 2");
        Assert.True(posts[4] - posts[0] >= TimeSpan.FromMilliseconds(600), $"batch 3 started {(posts[4] - posts[0]).TotalMilliseconds} ms after batch 1");
    }

    [Fact]
    public async Task Throttle_limit_one_runs_components_one_after_another()
    {
        await using var lab = await PowerLab.StartAsync(PowerLab.Rackmount, 3, configure: (_, s) => s.PowerTransitionDelay = TimeSpan.FromMilliseconds(300));
        var results = await RunAsync(lab, PowerAction.ForceOff, Enumerable.Range(0, 3).Select(i => PowerLab.NodeXname(i, 0)), wait: true,
            fanOut: new FanOutOptions { ThrottleLimit = 1 });
        Assert.All(results, r => Assert.Equal(PowerActionStatus.Succeeded, r.Status));
        var spans = Enumerable.Range(0, 3).Select(i => (Start: lab.Farm[i].Requests.Min(r => r.Timestamp), End: lab.Farm[i].Requests.Max(r => r.Timestamp)))
            .OrderBy(s => s.Start).ToList();
        Assert.True(spans[1].Start >= spans[0].End && spans[2].Start >= spans[1].End, "components overlapped with -ThrottleLimit 1");
    }

    [Fact]
    public async Task Power_status_reads_live_state_and_reports_unreachable_bmcs()
    {
        await using var lab = await PowerLab.StartAsync(PowerLab.Ex425, 2);
        lab.Farm[0].SetPowerState(lab.SystemPaths[1], "Off");
        await lab.Farm[1].StopAsync();

        var statuses = await lab.Services.Power.GetStatusAsync([], null, 8, CancellationToken.None);

        Assert.Equal([PowerLab.NodeXname(0, 0), PowerLab.NodeXname(0, 1), PowerLab.NodeXname(1, 0), PowerLab.NodeXname(1, 1)], statuses.Select(s => s.Xname));
        Assert.Equal(["on", "off", "undefined", "undefined"], statuses.Select(s => s.PowerState));
        Assert.Equal(["available", "available", "unavailable", "unavailable"], statuses.Select(s => s.ManagementState));
        Assert.Contains("cannot reach", statuses[2].Error);
        Assert.Equal(new[] { "Force-Off", "Hard-Restart", "Init", "Off", "On", "Soft-Off", "Soft-Restart" }, statuses[0].SupportedPowerTransitions.Order(StringComparer.Ordinal));
        var unknown = Assert.Single(await lab.Services.Power.GetStatusAsync(["x9c0s0b0n0"], null, 8, CancellationToken.None));
        Assert.Equal("undefined", unknown.PowerState);
        Assert.Contains("Xname not found in HSM", unknown.Error);
    }
}
