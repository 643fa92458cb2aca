using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using OpenChami.Core.Model;
using OpenChami.Core.Serialization;
using OpenChami.Core.Storage;

namespace OpenChami.Core.Subscriptions;

/// <summary>
/// Delivers state-change notifications (spec/smd.md §2.10.3) for one store. It watches the store's committed component
/// changes (<see cref="CommitFeed"/>, fed by the same recorder as the audit journal, so every path — HTTP, cmdlets,
/// discovery, bulk imports — is covered), keeps only the changes of State/Flag, Enabled, Role/SubRole and SoftwareStatus,
/// and hands each unit of work's changes to a bounded queue: the write never waits. A background pump groups the
/// components that changed the same way into one upstream SCN payload per subscriber and POSTs it, at most
/// <see cref="MaxConcurrentDeliveries"/> at a time, each tried <see cref="Attempts"/> times with a pause from the
/// injected clock between tries. When the queue is full the oldest unit of work is dropped (counted in
/// <see cref="Dropped"/>), so a dead subscriber costs bounded memory.
/// </summary>
public sealed class ScnDispatcher
{
    /// <summary>Tries per notification.</summary>
    public const int Attempts = 3;

    /// <summary>Units of work waiting for delivery before the oldest is dropped.</summary>
    public const int QueueCapacity = 1024;

    public const int MaxConcurrentDeliveries = 8;

    private static readonly ConditionalWeakTable<IChamiStore, ScnDispatcher> Dispatchers = new();

    private readonly IChamiStore store;
    private readonly Func<TimeProvider> clock;
    private readonly Channel<IReadOnlyList<object>> queue = Channel.CreateBounded<IReadOnlyList<object>>(
        new BoundedChannelOptions(QueueCapacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
        _ => Interlocked.Increment(ref droppedCount));
    private readonly SemaphoreSlim slots = new(MaxConcurrentDeliveries);
    private static long droppedCount;
    private long delivered;
    private long failed;
    private int pumping;

    private ScnDispatcher(IChamiStore store, Func<TimeProvider> clock)
    {
        this.store = store;
        this.clock = clock;
        store.Commits?.Watch("components", Project, Enqueue);
    }

    /// <summary>The dispatcher of <paramref name="store"/>, started on first use.</summary>
    public static ScnDispatcher For(IChamiStore store, Func<TimeProvider> clock) =>
        Dispatchers.GetValue(store, s => new ScnDispatcher(s, clock));

    /// <summary>Pause before the second and third try.</summary>
    public static IReadOnlyList<TimeSpan> Backoff { get; } = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)];

    /// <summary>How long one POST may take.</summary>
    public static TimeSpan RequestTimeout { get; } = TimeSpan.FromSeconds(10);

    /// <summary>Notifications a subscriber accepted (2xx).</summary>
    public long Delivered => Interlocked.Read(ref delivered);

    /// <summary>Notifications given up after <see cref="Attempts"/> tries.</summary>
    public long Failed => Interlocked.Read(ref failed);

    /// <summary>Units of work dropped because the queue was full (all dispatchers of the process).</summary>
    public static long Dropped => Interlocked.Read(ref droppedCount);

    private static readonly HttpClient Http = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = RequestTimeout };

    /// <summary>One component's notifiable change, as the payloads it belongs to (null when nothing notifiable changed).</summary>
    private sealed record Change(string Id, ScnPayload[] Kinds);

    private static object? Project(string id, object? before, object? after)
    {
        if (after is not Component now) return null; // a deletion notifies nothing
        var was = before as Component;
        var kinds = new List<ScnPayload>(1);
        if (was is null || was.State != now.State || was.Flag != now.Flag)
        {
            if (now.State is not null) kinds.Add(new ScnPayload { State = now.State.ToString(), Flag = now.Flag?.ToString() });
        }

        if (was is not null && (was.Enabled ?? true) != (now.Enabled ?? true)) kinds.Add(new ScnPayload { Enabled = now.Enabled ?? true });
        if ((was is null || was.Role != now.Role || was.SubRole != now.SubRole) && (now.Role is not null || now.SubRole is not null))
        {
            kinds.Add(new ScnPayload { Role = now.Role, SubRole = now.SubRole });
        }

        if ((was is null || was.SoftwareStatus != now.SoftwareStatus) && !string.IsNullOrEmpty(now.SoftwareStatus))
        {
            kinds.Add(new ScnPayload { SoftwareStatus = now.SoftwareStatus });
        }

        return kinds.Count == 0 ? null : new Change(now.ID, [.. kinds]);
    }

    private void Enqueue(IReadOnlyList<object> changes)
    {
        queue.Writer.TryWrite(changes); // bounded, drops the oldest: never blocks the writer
        if (Interlocked.CompareExchange(ref pumping, 1, 0) != 0) return;
        // Not in the writer's execution context: its store session (an AsyncLocal) is over once the write returns.
        using (ExecutionContext.SuppressFlow()) _ = Task.Run(PumpAsync);
    }

    /// <summary>Runs while there is work, then ends (nothing waits forever for a store nobody writes to).</summary>
    private async Task PumpAsync()
    {
        while (true)
        {
            while (queue.Reader.TryRead(out var changes))
            {
                try
                {
                    await DispatchAsync(changes).ConfigureAwait(false);
                }
                catch (Exception)
                {
                    // a store that went away, a subscription that can't be read: the next unit of work tries again
                }
            }

            Volatile.Write(ref pumping, 0);
            if (!queue.Reader.TryPeek(out _) || Interlocked.CompareExchange(ref pumping, 1, 0) != 0) return;
        }
    }

    private async Task DispatchAsync(IReadOnlyList<object> changes)
    {
        var subscriptions = store.Read(s => s.Collection<ScnSubscription>().All());
        if (subscriptions.Count == 0) return;
        foreach (var payload in Group(changes))
        {
            foreach (var subscription in subscriptions.Where(s => Matches(s, payload)))
            {
                await slots.WaitAsync().ConfigureAwait(false);
                _ = DeliverAsync(subscription.Url, payload);
            }
        }
    }

    /// <summary>Components that changed the same way share one payload, in the order they were changed.</summary>
    internal static IReadOnlyList<ScnPayload> Group(IReadOnlyList<object> changes)
    {
        var payloads = new Dictionary<(bool?, string?, string?, string?, string?, string?), ScnPayload>();
        foreach (var change in changes.OfType<Change>())
        {
            foreach (var kind in change.Kinds)
            {
                var key = (kind.Enabled, kind.Flag, kind.Role, kind.SubRole, kind.SoftwareStatus, kind.State);
                if (!payloads.TryGetValue(key, out var payload))
                {
                    payload = new ScnPayload { Enabled = kind.Enabled, Flag = kind.Flag, Role = kind.Role, SubRole = kind.SubRole, SoftwareStatus = kind.SoftwareStatus, State = kind.State };
                    payloads[key] = payload;
                }

                if (!payload.Components.Contains(change.Id)) payload.Components.Add(change.Id);
            }
        }

        return payloads.Values.ToList();
    }

    internal static bool Matches(ScnSubscription subscription, ScnPayload payload) =>
        payload.State is { } state ? subscription.States?.Contains(state, StringComparer.OrdinalIgnoreCase) == true
        : payload.Enabled is not null ? subscription.Enabled == true
        : payload.SoftwareStatus is { } sw ? subscription.SoftwareStatus?.Contains(sw, StringComparer.Ordinal) == true
        : (payload.Role is { } role && subscription.Roles?.Contains(role, StringComparer.OrdinalIgnoreCase) == true)
          || (payload.SubRole is { } subRole && subscription.SubRoles?.Contains(subRole, StringComparer.OrdinalIgnoreCase) == true);

    private async Task DeliverAsync(string url, ScnPayload payload)
    {
        try
        {
            for (var attempt = 1; attempt <= Attempts; attempt++)
            {
                try
                {
                    using var response = await Http.PostAsJsonAsync(url, payload, ChamiJson.Options).ConfigureAwait(false);
                    if (response.IsSuccessStatusCode)
                    {
                        Interlocked.Increment(ref delivered);
                        return;
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    // unreachable or too slow: counts as a failed try
                }

                if (attempt < Attempts) await Task.Delay(Backoff[attempt - 1], clock()).ConfigureAwait(false);
            }

            Interlocked.Increment(ref failed);
        }
        finally
        {
            slots.Release();
        }
    }
}
