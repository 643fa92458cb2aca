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
        bool wait = false, bool fallback = false, FanOutOptions? fanOut = null, int timeoutSec = 10, BmcCredential? credential = null,
        TestClock? clock = null)
    {
        var results = new ConcurrentBag<PowerActionResult>();
        var targets = xnames.Select(x => lab.Services.Power.Resolve(x, credential)).ToList();
        foreach (var t in targets) lab.Services.Power.Validate(t, action, fallback);
        var run = lab.Services.Power.RunActionAsync(targets, action, fallback,
            new NodeRunOptions { Wait = wait, StepTimeout = TimeSpan.FromSeconds(timeoutSec) },
            fanOut ?? new FanOutOptions(), results.Add, CancellationToken.None);
        // On a fake clock, time moves only while the engine waits (polls, retry pauses; the lab's 5 s request
        // timeout is outside the window, so never while a request is on the wire).
        if (clock is not null) await clock.RunAsync(run, window: TimeSpan.FromSeconds(1));
        else await run;
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
        var clock = new TestClock();
        await using var lab = await PowerLab.StartAsync(PowerLab.Rackmount, 1, configure: (_, s) => s.PowerTransitionDelay = TimeSpan.FromMilliseconds(1200), clock: clock);
        var (bmc, system) = lab.Locate(0, 0);

        var result = Assert.Single(await RunAsync(lab, PowerAction.ForceOff, [PowerLab.NodeXname(0, 0)], wait: true, clock: clock));

        Assert.Equal(PowerActionStatus.Succeeded, result.Status);
        Assert.Equal("Off", result.FinalPowerState);
        Assert.Equal("On", result.InitialPowerState);
        // Lab polls: first after 50 ms, x1.5, at most 200 ms apart. Off is first seen by the first poll after
        // the BMC's 1.2 s: not before it, and not a whole interval after it.
        Assert.InRange(result.Duration, TimeSpan.FromMilliseconds(1200), TimeSpan.FromMilliseconds(1400));
        Assert.Equal("Off", bmc.GetPowerState(system));
        Assert.Equal(Model.HmsState.Off, lab.Services.Components.Get(PowerLab.NodeXname(0, 0)).State); // confirmed state written back
        var polls = bmc.Requests.Count(r => r.Method == "GET" && r.Path == system);
        Assert.Equal(1 + 8, polls); // the initial read, then the 8 polls of the back-off schedule
    }

    [Fact]
    public async Task Without_wait_returns_before_the_transition_completes()
    {
        var clock = new TestClock();
        await using var lab = await PowerLab.StartAsync(PowerLab.Rackmount, 1, configure: (_, s) => s.PowerTransitionDelay = TimeSpan.FromSeconds(3), clock: clock);
        var result = Assert.Single(await RunAsync(lab, PowerAction.ForceOff, [PowerLab.NodeXname(0, 0)], clock: clock));
        Assert.Equal(PowerActionStatus.Succeeded, result.Status);
        Assert.Equal(TimeSpan.Zero, result.Duration); // never waited on the clock
        Assert.Null(result.FinalPowerState); // not observed after the reset
        Assert.Equal(Model.HmsState.On, lab.Services.Components.Get(PowerLab.NodeXname(0, 0)).State); // unconfirmed: inventory unchanged
        Assert.Equal("PoweringOff", lab.Locate(0, 0).Bmc.GetPowerState(lab.SystemPaths[0]));
    }

    [Fact]
    public async Task Wait_times_out_when_the_state_never_arrives()
    {
        var clock = new TestClock();
        await using var lab = await PowerLab.StartAsync(PowerLab.Rackmount, 1, configure: (_, s) => s.PowerTransitionDelay = TimeSpan.FromSeconds(30), clock: clock);
        var result = Assert.Single(await RunAsync(lab, PowerAction.GracefulShutdown, [PowerLab.NodeXname(0, 0)], wait: true, timeoutSec: 1, clock: clock));
        Assert.Equal(PowerActionStatus.TimedOut, result.Status);
        Assert.Equal(TimeSpan.FromSeconds(1), result.Duration); // the last pause is cut to the deadline, not a full interval past it
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
        var clock = new TestClock();
        await using var lab = await PowerLab.StartAsync(PowerLab.Ex425, 1, configure: (_, s) => s.PowerTransitionDelay = TimeSpan.FromMilliseconds(400), clock: clock);
        var (bmc, system) = lab.Locate(0, 1);

        var result = Assert.Single(await RunAsync(lab, PowerAction.PowerCycle, [PowerLab.NodeXname(0, 1)], wait: true, clock: clock));

        Assert.Equal(PowerActionStatus.Succeeded, result.Status);
        Assert.Equal(["ForceOff", "On"], result.ResetTypesSent);
        Assert.Equal([($"{system}/Actions/ComputerSystem.Reset", "ForceOff"), ($"{system}/Actions/ComputerSystem.Reset", "On")], PowerLab.Resets(bmc));
        // On was only sent once the node was seen Off.
        var posts = bmc.Requests.Where(r => r.Method == "POST").ToList();
        Assert.Contains(bmc.Requests, r => r.Method == "GET" && r.Path == system && r.Timestamp > posts[0].Timestamp && r.Timestamp < posts[1].Timestamp);
        Assert.True(posts[1].Timestamp - posts[0].Timestamp >= TimeSpan.FromMilliseconds(400), $"On sent {posts[1].Timestamp - posts[0].Timestamp} after ForceOff; the BMC takes 400 ms");
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
        // A fake clock: a request timeout fires when the test says so, never because a loaded machine was slow
        // to answer (the 1 s wall-clock timeout this used made the 500 BMC "not answer" now and then).
        var clock = new TestClock();
        await using var lab = await PowerLab.StartAsync(PowerLab.Rackmount, 5, configure: (i, s) =>
        {
            if (i == 2) s.Fault = RedfishFault.ServerError;
            if (i == 3) s.Fault = RedfishFault.RefuseCredentials;
            if (i == 4) s.Fault = RedfishFault.Timeout;
        }, clock: clock);
        var timeout = lab.Services.Power.Options.RequestTimeout;
        await lab.Farm[1].StopAsync(); // port still bound in the farm, connection dropped: unreachable
        var bag = new ConcurrentBag<PowerActionResult>();
        var targets = Enumerable.Range(0, 5).Select(i => lab.Services.Power.Resolve(PowerLab.NodeXname(i, 0))).ToList();
        var run = lab.Services.Power.RunActionAsync(targets, PowerAction.ForceOff, false, new NodeRunOptions { Wait = true },
            new FanOutOptions(), bag.Add, CancellationToken.None);
        using (var guard = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
        {
            while (!run.IsCompleted)
            {
                guard.Token.ThrowIfCancellationRequested();
                var due = clock.PendingDueIn();
                // Retry pauses and polls (at most a few hundred ms in all, far below the 5 s request timeout) move
                // as soon as they are pending; the held request's timeout once everything else has finished.
                if (due.Count > 0 && due[0] < TimeSpan.FromSeconds(1)) clock.Advance(due[0] > TimeSpan.Zero ? due[0] : TimeSpan.Zero);
                else if (bag.Count == 4 && lab.Farm[4].Requests.Count == 1 && due.Count == 1 && due[0] <= timeout) clock.Advance(due[0]); // less when pauses moved after it was sent
                else await Task.Delay(2);
            }
        }

        await run;
        var results = bag.OrderBy(r => r.Xname, StringComparer.Ordinal).ToList();
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
    public async Task A_failing_BMC_is_retried_after_doubling_pauses_on_the_engine_clock()
    {
        var clock = new TestClock();
        await using var lab = await PowerLab.StartAsync(PowerLab.Rackmount, 1, configure: (_, s) => s.Fault = RedfishFault.ServerError, clock: clock);

        var result = Assert.Single(await RunAsync(lab, PowerAction.ForceOff, [PowerLab.NodeXname(0, 0)], clock: clock));

        Assert.Equal(PowerActionStatus.Failed, result.Status);
        Assert.Contains("(after 3 attempts)", result.Error);
        var attempts = lab.Farm[0].Requests.Select(r => r.Timestamp - TestClock.Epoch).ToList();
        Assert.Equal(new[] { 0, 50, 150 }.Select(ms => TimeSpan.FromMilliseconds(ms)), attempts); // lab RetryDelay 50 ms, doubled
        Assert.Equal(TimeSpan.FromMilliseconds(150), result.Duration);
    }

    [Fact]
    public async Task A_request_the_BMC_never_answers_times_out_on_the_engine_clock_and_is_not_repeated()
    {
        var clock = new TestClock();
        await using var lab = await PowerLab.StartAsync(PowerLab.Rackmount, 1, configure: (_, s) => s.Fault = RedfishFault.Timeout, clock: clock);
        var timeout = lab.Services.Power.Options.RequestTimeout;
        var results = new List<PowerActionResult>();
        var run = lab.Services.Power.RunActionAsync([lab.Services.Power.Resolve(PowerLab.NodeXname(0, 0))], PowerAction.ForceOff, false,
            new NodeRunOptions(), new FanOutOptions(), results.Add, CancellationToken.None);

        await TestClock.WaitUntilAsync(() => lab.Farm[0].Requests.Count == 1 && clock.PendingDueIn().SequenceEqual([timeout]), "the held request");
        clock.Advance(timeout - TimeSpan.FromTicks(1));
        Assert.False(run.IsCompleted); // one tick early: still waiting
        clock.Advance(TimeSpan.FromTicks(1));
        await run.WaitAsync(TimeSpan.FromSeconds(60));

        var result = Assert.Single(results);
        Assert.Equal(PowerActionStatus.Failed, result.Status);
        Assert.Contains("did not answer GET /redfish/v1/Systems/437XR1138R2 within 5 s", result.Error);
        Assert.Equal(timeout, result.Duration);
        Assert.Single(lab.Farm[0].Requests); // may have been acted on: never repeated blindly
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
        // On a fake clock shared by the engine and the BMCs, a request's timestamp is the fake time at which it
        // was sent. Time moves only when the test moves it, and only once a batch has finished and the stagger
        // is the one thing waiting, so the stagger shows as exact numbers whatever the load on the machine.
        var clock = new TestClock();
        var delay = TimeSpan.FromMilliseconds(400);
        await using var lab = await PowerLab.StartAsync(PowerLab.Rackmount, 6, clock: clock);
        var targets = Enumerable.Range(0, 6).Select(i => lab.Services.Power.Resolve(PowerLab.NodeXname(i, 0))).ToList();
        var results = new ConcurrentBag<PowerActionResult>();

        var run = lab.Services.Power.RunActionAsync(targets, PowerAction.ForceOff, false, new NodeRunOptions(),
            new FanOutOptions { ThrottleLimit = 8, BatchSize = 2, BatchDelay = delay }, results.Add, CancellationToken.None);
        for (var batch = 1; batch <= 3; batch++)
        {
            var done = 2 * batch;
            await TestClock.WaitUntilAsync(() => results.Count >= done || run.IsFaulted, $"batch {batch} to finish");
            Assert.Equal(done, results.Count);
            // Nothing of the later batches went out: not at this fake time, not ever before the stagger elapses.
            Assert.All(Enumerable.Range(done, 6 - done), i => Assert.Empty(lab.Farm[i].Requests));
            if (batch == 3) break;
            await TestClock.WaitUntilAsync(() => clock.PendingDueIn().SequenceEqual([delay]), $"the stagger after batch {batch}");
            clock.Advance(delay);
        }

        await run.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.All(results, r => Assert.Equal(PowerActionStatus.Succeeded, r.Status));
        Assert.All(Enumerable.Range(0, 6), i => Assert.Single(PowerLab.Resets(lab.Farm[i])));
        var firstRequest = Enumerable.Range(0, 6).Select(i => lab.Farm[i].Requests.Min(r => r.Timestamp) - TestClock.Epoch).ToList();
        Assert.Equal(new[] { 0, 0, 400, 400, 800, 800 }.Select(ms => TimeSpan.FromMilliseconds(ms)), firstRequest);
    }

    [Fact]
    public async Task Throttle_limit_one_runs_components_one_after_another()
    {
        var clock = new TestClock();
        await using var lab = await PowerLab.StartAsync(PowerLab.Rackmount, 3, configure: (_, s) => s.PowerTransitionDelay = TimeSpan.FromMilliseconds(300), clock: clock);
        var results = await RunAsync(lab, PowerAction.ForceOff, Enumerable.Range(0, 3).Select(i => PowerLab.NodeXname(i, 0)), wait: true,
            fanOut: new FanOutOptions { ThrottleLimit = 1 }, clock: clock);
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
