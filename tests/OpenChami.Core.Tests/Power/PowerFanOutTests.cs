using System.Collections.Concurrent;
using System.Diagnostics;
using OpenChami.Core.Power;
using OpenChami.Core.Tests.Support;
using Xunit.Abstractions;

namespace OpenChami.Core.Tests.Power;

public sealed class PowerFanOutTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Concurrency_never_exceeds_the_throttle_limit_and_reaches_it()
    {
        var inFlight = 0;
        var peak = 0;
        var done = new ConcurrentBag<int>();
        await PowerFanOut.RunAsync(Enumerable.Range(0, 60).ToList(), async (i, ct) =>
        {
            var now = Interlocked.Increment(ref inFlight);
            InterlockedMax(ref peak, now);
            await Task.Delay(15, ct);
            Interlocked.Decrement(ref inFlight);
            return i;
        }, (_, r) => done.Add(r), new FanOutOptions { ThrottleLimit = 6 }, CancellationToken.None);

        Assert.Equal(60, done.Count);
        Assert.Equal(6, peak);
    }

    [Fact]
    public async Task Cancellation_stops_starting_new_items()
    {
        using var cancel = new CancellationTokenSource();
        var started = 0;
        var run = PowerFanOut.RunAsync(Enumerable.Range(0, 100).ToList(), async (i, ct) =>
        {
            Interlocked.Increment(ref started);
            if (i == 3) cancel.Cancel();
            await Task.Delay(5, CancellationToken.None);
            return i;
        }, (_, _) => { }, new FanOutOptions { ThrottleLimit = 2, BatchSize = 1, BatchDelay = TimeSpan.FromMilliseconds(1) }, cancel.Token);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        Assert.InRange(started, 4, 6);
    }

    [Fact]
    public async Task Two_hundred_fifty_six_nodes_on_128_blades_power_off_and_confirm()
    {
        await using var lab = await PowerLab.StartAsync(PowerLab.Ex425, 128, configure: (_, s) => s.PowerTransitionDelay = TimeSpan.FromMilliseconds(500));
        var targets = lab.AllNodes.Select(x => lab.Services.Power.Resolve(x)).ToList();
        var results = new ConcurrentBag<PowerActionResult>();
        var clock = Stopwatch.StartNew();
        await lab.Services.Power.RunActionAsync(targets, PowerAction.ForceOff, false,
            new NodeRunOptions { Wait = true, StepTimeout = TimeSpan.FromSeconds(60) },
            new FanOutOptions { ThrottleLimit = 64 }, results.Add, CancellationToken.None);
        clock.Stop();

        Assert.Equal(256, results.Count);
        Assert.All(results, r => Assert.Equal(PowerActionStatus.Succeeded, r.Status));
        Assert.All(lab.Farm.Simulators, s => Assert.All(lab.SystemPaths, p => Assert.Equal("Off", s.GetPowerState(p))));
        var polls = lab.Farm.Simulators.Sum(s => s.Requests.Count(r => r.Method == "GET"));
        output.WriteLine($"256 nodes ForceOff+confirm (BMC delay 500 ms, throttle 64): {clock.Elapsed.TotalSeconds:F2} s, {polls} GETs ({polls / 256.0:F1} per node)");
        Assert.InRange(polls / 256.0, 2, 12); // polling is bounded by the back-off, not a busy loop
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
