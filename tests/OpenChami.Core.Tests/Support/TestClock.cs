using Microsoft.Extensions.Time.Testing;

namespace OpenChami.Core.Tests.Support;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that also knows which of its timers are still pending, so a test can move
/// time forward exactly when the code under test is waiting on it (a poll, a retry pause, a batch stagger) and
/// never while it is busy. Time only moves when the test says so: durations and request timestamps become
/// exact numbers, whatever the load on the machine.
/// </summary>
public sealed class TestClock : TimeProvider
{
    /// <summary>Where every TestClock starts.</summary>
    public static readonly DateTimeOffset Epoch = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider fake = new(Epoch);
    private readonly Lock gate = new();
    private readonly HashSet<PendingTimer> pending = [];

    /// <summary>Fake time since <see cref="Epoch"/>.</summary>
    public TimeSpan Elapsed => GetUtcNow() - Epoch;

    public override DateTimeOffset GetUtcNow() => fake.GetUtcNow();

    public override long GetTimestamp() => fake.GetTimestamp();

    public override long TimestampFrequency => fake.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public void Advance(TimeSpan by) => fake.Advance(by);

    /// <summary>Due times (as offsets from now) of the pending timers, earliest first.</summary>
    public IReadOnlyList<TimeSpan> PendingDueIn()
    {
        var now = GetUtcNow();
        lock (gate) return pending.Select(t => t.Due - now).Order().ToList();
    }

    /// <summary>
    /// Runs <paramref name="work"/> to completion, moving time to the next pending timer whenever every pending
    /// timer is due within <paramref name="window"/>. A Redfish request in flight holds a timer for its timeout
    /// (longer than the window), so time stands still while any request is on the wire. Only for work that
    /// does one thing at a time (one component, or throttle 1). <paramref name="realLimit"/> is a hang guard.
    /// </summary>
    public async Task<T> RunAsync<T>(Task<T> work, TimeSpan window, TimeSpan? realLimit = null)
    {
        await DriveAsync(work, window, realLimit ?? TimeSpan.FromSeconds(60));
        return await work;
    }

    public Task RunAsync(Task work, TimeSpan window, TimeSpan? realLimit = null) => DriveAsync(work, window, realLimit ?? TimeSpan.FromSeconds(60));

    private async Task DriveAsync(Task work, TimeSpan window, TimeSpan realLimit)
    {
        using var guard = new CancellationTokenSource(realLimit);
        while (!work.IsCompleted)
        {
            var due = PendingDueIn();
            if (due.Count > 0 && due[^1] <= window)
            {
                Advance(due[0] > TimeSpan.Zero ? due[0] : TimeSpan.Zero);
                await Task.Yield();
                continue;
            }

            if (guard.IsCancellationRequested) throw new TimeoutException($"work did not finish within {realLimit} of real time (fake time {Elapsed}, pending timers {string.Join(", ", due)})");
            await Task.WhenAny(work, Task.Delay(2, CancellationToken.None));
        }

        await work;
    }

    /// <summary>Waits (real time, bounded) until <paramref name="condition"/> holds; for handing over between steps of a test.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, string what, TimeSpan? realLimit = null)
    {
        using var guard = new CancellationTokenSource(realLimit ?? TimeSpan.FromSeconds(60));
        while (!condition())
        {
            if (guard.IsCancellationRequested) throw new TimeoutException($"gave up waiting for {what}");
            await Task.Delay(2, CancellationToken.None);
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new PendingTimer(this);
        timer.Schedule(dueTime); // before the fake timer exists: a zero due time fires inside CreateTimer
        timer.Inner = fake.CreateTimer(s =>
        {
            timer.Fired(period);
            callback(s);
        }, state, dueTime, period);
        return timer;
    }

    private sealed class PendingTimer(TestClock clock) : ITimer
    {
        public ITimer Inner { get; set; } = null!;

        public DateTimeOffset Due { get; private set; }

        public void Schedule(TimeSpan dueTime)
        {
            lock (clock.gate)
            {
                if (dueTime == Timeout.InfiniteTimeSpan)
                {
                    clock.pending.Remove(this);
                    return;
                }

                Due = clock.GetUtcNow() + dueTime;
                clock.pending.Add(this);
            }
        }

        public void Fired(TimeSpan period)
        {
            if (period == Timeout.InfiniteTimeSpan || period == TimeSpan.Zero) Schedule(Timeout.InfiniteTimeSpan);
            else Schedule(period);
        }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            Schedule(dueTime);
            return Inner.Change(dueTime, period);
        }

        public void Dispose()
        {
            Schedule(Timeout.InfiniteTimeSpan);
            Inner.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
