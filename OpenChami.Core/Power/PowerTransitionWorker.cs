using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace OpenChami.Core.Power;

/// <summary>
/// Runs PCS transitions in the background of the server process: picks up new transitions as they are
/// created (and every few seconds, for ones created by another process on the same database), resumes
/// transitions left in progress by a server that stopped, notices aborts, and expires old transitions.
/// </summary>
public sealed class PowerTransitionWorker(ChamiServices services, ILogger<PowerTransitionWorker> logger) : BackgroundService
{
    private static readonly TimeSpan ScanInterval = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan ExpireInterval = TimeSpan.FromMinutes(1);

    private readonly string id = Guid.NewGuid().ToString("N");
    private readonly SemaphoreSlim wake = new(0);
    private readonly ConcurrentDictionary<string, Task> running = new(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var transitions = services.Power.Transitions;
        void OnCreated() => wake.Release();
        transitions.Created += OnCreated;
        var clock = services.Power.Options.TimeProvider;
        var lastExpire = DateTimeOffset.MinValue;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    StartUnfinished(transitions, stoppingToken);
                    if (clock.GetUtcNow() - lastExpire > ExpireInterval)
                    {
                        transitions.Expire();
                        lastExpire = clock.GetUtcNow();
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // A store hiccup must not stop the server; the next scan tries again.
                    logger.LogError(ex, "power transition scan failed");
                }

                try
                {
                    await wake.WaitAsync(ScanInterval, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
        finally
        {
            transitions.Created -= OnCreated;
            await Task.WhenAll(running.Values).ConfigureAwait(false);
        }
    }

    private void StartUnfinished(PowerTransitionService transitions, CancellationToken stoppingToken)
    {
        foreach (var unfinished in transitions.Unfinished())
        {
            var tid = unfinished.TransitionID;
            if (running.ContainsKey(tid))
            {
                if (unfinished.TransitionStatus == TransitionStatus.AbortSignaled) transitions.CancelIfRunning(tid);
                transitions.Heartbeat(tid, id);
                continue;
            }

            var claimed = transitions.Claim(tid, id);
            if (claimed is null) continue;
            running[tid] = Task.Run(async () =>
            {
                try
                {
                    await transitions.ExecuteAsync(claimed, stoppingToken).ConfigureAwait(false);
                }
                catch (Exception ex)
                {
                    logger.LogError(ex, "power transition {TransitionID} failed", tid);
                }
                finally
                {
                    running.TryRemove(tid, out _);
                }
            }, CancellationToken.None);
        }
    }
}
