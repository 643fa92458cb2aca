using System.Diagnostics;

namespace OpenChami.RedfishFixture;

/// <summary>
/// N simulated BMCs of one mockup, each on its own loopback port. Listeners are grouped onto a few shared
/// Kestrel servers (started in parallel) rather than one server per BMC, which keeps 256 BMCs to a handful
/// of threads. Dispose to stop every BMC and free the ports.
/// </summary>
public sealed class RedfishFixtureFarm : IAsyncDisposable
{
    /// <summary>Listeners per Kestrel server: few servers (few heartbeat threads) yet parallel binding.</summary>
    public const int ListenersPerServer = 64;

    private readonly BmcKestrelHost[] _hosts;
    private int _disposed;

    private RedfishFixtureFarm(RedfishMockup mockup, RedfishBmcSimulator[] simulators, BmcKestrelHost[] hosts,
        TimeSpan startDuration)
    {
        Mockup = mockup;
        Simulators = simulators;
        _hosts = hosts;
        StartDuration = startDuration;
    }

    /// <summary>The mockup every BMC serves.</summary>
    public RedfishMockup Mockup { get; }

    /// <summary>The BMCs, in creation order.</summary>
    public IReadOnlyList<RedfishBmcSimulator> Simulators { get; }

    /// <summary>Number of BMCs.</summary>
    public int Count => Simulators.Count;

    /// <summary>The BMC at <paramref name="index"/>.</summary>
    public RedfishBmcSimulator this[int index] => Simulators[index];

    /// <summary>Address and port of every BMC, in order.</summary>
    public IReadOnlyList<RedfishBmcEndpoint> Endpoints => Simulators.Select(s => s.Endpoint).ToArray();

    /// <summary>Wall time of <see cref="StartAsync(RedfishMockup,int,Action{int,RedfishBmcSimulator},CancellationToken)"/> (binding only, mockup load excluded).</summary>
    public TimeSpan StartDuration { get; }

    /// <summary>Loads <paramref name="mockupFolder"/> (cached per process) and starts <paramref name="count"/> BMCs.</summary>
    public static Task<RedfishFixtureFarm> StartAsync(string mockupFolder, int count,
        Action<int, RedfishBmcSimulator>? configure = null, CancellationToken cancellationToken = default) =>
        StartAsync(RedfishMockup.Load(mockupFolder), count, configure, cancellationToken);

    /// <summary>
    /// Starts <paramref name="count"/> BMCs serving <paramref name="mockup"/>. <paramref name="configure"/> runs for
    /// each BMC before its port is bound (set Port, UseHttps, credentials, faults here).
    /// </summary>
    public static async Task<RedfishFixtureFarm> StartAsync(RedfishMockup mockup, int count,
        Action<int, RedfishBmcSimulator>? configure = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(mockup);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);

        var stopwatch = Stopwatch.StartNew();
        var simulators = new RedfishBmcSimulator[count];
        for (var i = 0; i < count; i++)
        {
            simulators[i] = new RedfishBmcSimulator(mockup) { Name = $"bmc-{i}" };
            configure?.Invoke(i, simulators[i]);
        }

        var starts = simulators.Chunk(ListenersPerServer)
            .Select(chunk => BmcKestrelHost.StartAsync(chunk, simulatorOwnsHost: false, cancellationToken))
            .ToArray();
        try
        {
            await Task.WhenAll(starts).ConfigureAwait(false);
        }
        catch
        {
            // Don't leak the servers that did start when one failed (e.g. a fixed port in use).
            foreach (var start in starts.Where(static s => s.IsCompletedSuccessfully))
            {
                await start.Result.DisposeAsync().ConfigureAwait(false);
            }

            throw;
        }

        return new RedfishFixtureFarm(mockup, simulators, starts.Select(static s => s.Result).ToArray(), stopwatch.Elapsed);
    }

    /// <summary>Stops every BMC and closes all ports.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // Release held requests first so the servers shut down without waiting for them.
        await Task.WhenAll(Simulators.Select(static s => s.StopAsync())).ConfigureAwait(false);
        await Task.WhenAll(_hosts.Select(static h => h.DisposeAsync().AsTask())).ConfigureAwait(false);
    }
}
