using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenChami.Core.Errors;
using OpenChami.Core.Serialization;
using OpenChami.Core.Storage;

namespace OpenChami.Core.Http;

/// <summary>
/// A running OpenChami HTTP server (Kestrel) over one store. Started by <see cref="StartAsync"/>,
/// it keeps running in the background of the process until <see cref="StopAsync"/>.
/// </summary>
public sealed class ChamiServer : IAsyncDisposable
{
    private static readonly ConcurrentDictionary<Guid, ChamiServer> RunningServers = new();
    private readonly WebApplication app;
    private int stopped;

    private ChamiServer(WebApplication app, ChamiServices services, ServerLog log, ChamiServerOptions options, int port)
    {
        this.app = app;
        Services = services;
        Log = log;
        BindAddress = options.BindAddress;
        Port = port;
        var host = options.BindAddress.Equals(IPAddress.Any) ? "127.0.0.1"
            : options.BindAddress.Equals(IPAddress.IPv6Any) ? "[::1]"
            : options.BindAddress.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{options.BindAddress}]"
            : options.BindAddress.ToString();
        Url = $"{(options.Certificate is null ? "http" : "https")}://{host}:{port}";
        AuthEnabled = options.AuthEnabled;
        storeWarning = message => Log.Add(ServerLogLevel.Warning, "OpenChami.Storage", message);
        if (services.Store is LiteDbStore store) store.Warning += storeWarning;
    }

    // The store's warnings (its stamps file replaced, the database restored under it) go to this server's log.
    private readonly Action<string> storeWarning;

    public Guid Id { get; } = Guid.NewGuid();

    /// <summary>A URL this server answers on (loopback when bound to all addresses).</summary>
    public string Url { get; }

    public IPAddress BindAddress { get; }

    /// <summary>Whether HTTP callers need a bearer token (beyond loopback, or -RequireAuth).</summary>
    public bool AuthEnabled { get; }

    public int Port { get; }

    public string Database => Services.Store.Location;

    public DateTime StartTime { get; } = DateTime.UtcNow;

    public bool IsRunning => Volatile.Read(ref stopped) == 0;

    public ChamiServices Services { get; }

    public ServerLog Log { get; }

    /// <summary>Completes when the server has stopped, however it was stopped.</summary>
    public Task Completion => stoppedSource.Task;

    private readonly TaskCompletionSource stoppedSource = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static IReadOnlyCollection<ChamiServer> Running => RunningServers.Values.OrderBy(s => s.StartTime).ToList();

    /// <summary>Builds and starts the server; throws <c>ServerPortInUse</c> when the port is taken.</summary>
    public static async Task<ChamiServer> StartAsync(ChamiServices services, ChamiServerOptions options, CancellationToken cancellationToken = default)
    {
        if (services.Store.BackendName != "litedb") EnsureThreadsForBlockingStore();
        _ = services.Subscriptions; // starts state-change notification delivery for this store (Subscriptions/ScnDispatcher)
        var log = new ServerLog(options.LogCapacity, options.LogPath);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = "OpenChami",
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = Environments.Production,
            Args = [],
        });
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(log);
        // Inside pwsh the host must not take over Ctrl+C or SIGTERM: the session owns them.
        builder.Services.AddSingleton<IHostLifetime, EmbeddedHostLifetime>();
        builder.Services.AddSingleton(services);
        builder.Services.AddSingleton(options);
        builder.Services.AddHostedService<Power.PowerTransitionWorker>(); // runs PCS transitions in the background
        builder.Services.ConfigureHttpJsonOptions(o => ChamiJson.Apply(o.SerializerOptions));
        if (options.Certificate is not null) builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(options.BindAddress, options.Port, listen =>
            {
                if (options.Certificate is { } certificate) listen.UseHttps(certificate);
            });
            kestrel.Limits.MaxRequestBodySize = ChamiServerOptionsLimits.MaxRequestBodyBytes;
            kestrel.Limits.MaxRequestHeadersTotalSize = 32 * 1024;
            kestrel.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(15);
        });

        var app = builder.Build();
        ChamiPipeline.Configure(app);
        ChamiApi.Map(app);

        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsAddressInUse(ex))
        {
            await app.DisposeAsync().ConfigureAwait(false);
            log.Dispose();
            throw new ChamiException(ChamiErrorKind.Unavailable, "ServerPortInUse",
                $"Cannot listen on {options.BindAddress}:{options.Port}: the port is already in use. Stop the other server or choose another -Port (0 picks a free one).",
                $"{options.BindAddress}:{options.Port}", ex);
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        var port = address is null ? options.Port : new Uri(address.Replace("[::]", "localhost", StringComparison.Ordinal)).Port;
        var server = new ChamiServer(app, services, log, options, port);
        RunningServers[server.Id] = server;
        log.Add(ServerLogLevel.Information, "OpenChami.Server", $"listening on {server.Url} (bound to {options.BindAddress}), database {services.Store.Location}");
        return server;
    }

    /// <summary>Worker threads the pool creates at once, without its slow ramp-up.</summary>
    public const int MinimumWorkerThreads = 256;

    /// <summary>
    /// Store calls are synchronous (LiteDB is; Npgsql's sync API keeps one code path): with PostgreSQL every request of
    /// a boot storm holds a pool thread while it waits for its round trips. The pool would add about one thread a
    /// second and queue the rest, so boots time out; let it create them on demand. Not for LiteDB: its calls are local
    /// and mostly served from memory, and hundreds of runnable threads on a few cores only cost switching.
    /// </summary>
    private static void EnsureThreadsForBlockingStore()
    {
        ThreadPool.GetMinThreads(out var workers, out var completionPorts);
        if (workers < MinimumWorkerThreads) ThreadPool.SetMinThreads(MinimumWorkerThreads, completionPorts);
    }

    private static bool IsAddressInUse(Exception ex) =>
        ex is IOException { InnerException: SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse } }
        || ex is SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse }
        || ex.InnerException is { } inner && IsAddressInUse(inner);

    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref stopped, 1) != 0)
        {
            await Completion.ConfigureAwait(false);
            return;
        }
        RunningServers.TryRemove(Id, out _);
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await app.StopAsync(timeout.Token).ConfigureAwait(false);
            await app.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            await StopCompanionsAsync().ConfigureAwait(false);
            if (Services.Store is LiteDbStore store) store.Warning -= storeWarning;
            Log.Add(ServerLogLevel.Information, "OpenChami.Server", $"stopped {Url}");
            Log.Dispose();
            stoppedSource.TrySetResult();
        }
    }

    public ValueTask DisposeAsync() => new(StopAsync());

    private readonly List<IAsyncDisposable> companions = [];

    /// <summary>What lives and dies with this server (e.g. its dnsmasq), disposed when it stops.</summary>
    public IReadOnlyList<IAsyncDisposable> Companions
    {
        get
        {
            lock (companions) return companions.ToList();
        }
    }

    /// <summary>Ties <paramref name="companion"/> to this server: StopAsync disposes it (at once if already stopped).</summary>
    public void AddCompanion(IAsyncDisposable companion)
    {
        lock (companions)
        {
            if (IsRunning)
            {
                companions.Add(companion);
                return;
            }
        }
        companion.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    private async Task StopCompanionsAsync()
    {
        List<IAsyncDisposable> toStop;
        lock (companions)
        {
            toStop = companions.AsEnumerable().Reverse().ToList();
            companions.Clear();
        }
        foreach (var companion in toStop)
        {
            try
            {
                await companion.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                Log.Add(ServerLogLevel.Error, "OpenChami.Server", $"stopping {companion.GetType().Name} failed: {ex.Message}");
            }
        }
    }

    /// <summary>Stops every server in the process (module removal, process exit).</summary>
    public static void StopAll()
    {
        foreach (var server in RunningServers.Values) server.StopAsync().GetAwaiter().GetResult();
    }

    public override string ToString() => Url;

    private sealed class EmbeddedHostLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
