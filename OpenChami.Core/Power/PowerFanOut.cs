namespace OpenChami.Core.Power;

/// <summary>How a fan-out over many components is paced.</summary>
public sealed class FanOutOptions
{
    /// <summary>Components worked on at once.</summary>
    public int ThrottleLimit { get; init; } = 32;

    /// <summary>Components started per batch (0 = no batching).</summary>
    public int BatchSize { get; init; }

    /// <summary>Pause between the starts of two batches, so a rack does not draw inrush current all at once.</summary>
    public TimeSpan BatchDelay { get; init; }
}

/// <summary>
/// Runs one job per item with bounded concurrency and staggered batches. One item's failure never stops
/// the others; <paramref name="onResult"/> is called (from worker threads) as each item finishes.
/// </summary>
public static class PowerFanOut
{
    public static async Task RunAsync<TItem, TResult>(IReadOnlyList<TItem> items, Func<TItem, CancellationToken, Task<TResult>> run,
        Action<TItem, TResult> onResult, FanOutOptions options, CancellationToken cancellationToken, TimeProvider? timeProvider = null)
    {
        // The stagger waits on the engine's clock, so tests can check the pacing exactly with a fake one.
        var clock = timeProvider ?? TimeProvider.System;
        using var slots = new SemaphoreSlim(Math.Max(1, options.ThrottleLimit));
        var running = new List<Task>(items.Count);
        var batchSize = options.BatchSize > 0 ? options.BatchSize : int.MaxValue;
        try
        {
            for (var i = 0; i < items.Count; i++)
            {
                if (i > 0 && i % batchSize == 0 && options.BatchDelay > TimeSpan.Zero)
                {
                    await Task.Delay(options.BatchDelay, clock, cancellationToken).ConfigureAwait(false);
                }

                await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
                var item = items[i];
                running.Add(Task.Run(async () =>
                {
                    try
                    {
                        onResult(item, await run(item, cancellationToken).ConfigureAwait(false));
                    }
                    finally
                    {
                        slots.Release();
                    }
                }, CancellationToken.None));
            }
        }
        finally
        {
            // Whatever was started finishes (or sees the cancellation) before we return.
            await Task.WhenAll(running).ConfigureAwait(false);
        }
    }
}
