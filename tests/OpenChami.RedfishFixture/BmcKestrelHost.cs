using System.Collections.Frozen;
using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace OpenChami.RedfishFixture;

/// <summary>
/// A bare Kestrel server (no generic host, DI container or logging) with one loopback listener per
/// simulated BMC; requests are routed to the simulator by the local port they arrived on. Sharing one
/// server across many BMCs matters: every Kestrel server owns a dedicated heartbeat thread.
/// </summary>
internal sealed class BmcKestrelHost : IHttpApplication<HttpContext>, IAsyncDisposable
{
    private static readonly byte[] NotReadyBody = "{}"u8.ToArray();

    private readonly KestrelServer _server;
    private FrozenDictionary<int, RedfishBmcSimulator> _byPort = FrozenDictionary<int, RedfishBmcSimulator>.Empty;
    private int _disposed;

    private BmcKestrelHost(KestrelServer server) => _server = server;

    /// <summary>Binds one listener per simulator (its requested port, 0 = any free port) and starts serving.</summary>
    /// <param name="simulators">The BMCs to serve.</param>
    /// <param name="simulatorOwnsHost">True for a standalone simulator: stopping it stops this server.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    public static async Task<BmcKestrelHost> StartAsync(IReadOnlyList<RedfishBmcSimulator> simulators,
        bool simulatorOwnsHost, CancellationToken cancellationToken)
    {
        var options = new KestrelServerOptions { AddServerHeader = false };
        options.Limits.MaxRequestBodySize = 1024 * 1024;

        var listeners = new ListenOptions[simulators.Count];
        for (var i = 0; i < simulators.Count; i++)
        {
            var simulator = simulators[i];
            var index = i;
            options.Listen(IPAddress.Loopback, simulator.RequestedPort, listen =>
            {
                listen.Protocols = HttpProtocols.Http1; // BMCs speak HTTP/1.1, so TLS needs no ALPN
                if (simulator.UseHttps)
                {
                    listen.UseTls(simulator.Certificate);
                }

                listeners[index] = listen;
            });
        }

        var transport = new SocketTransportFactory(Options.Create(new SocketTransportOptions()), NullLoggerFactory.Instance);
        var server = new KestrelServer(Options.Create(options), transport, NullLoggerFactory.Instance);
        var host = new BmcKestrelHost(server);
        try
        {
            await server.StartAsync(host, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            server.Dispose();
            throw;
        }

        // Kestrel writes the bound port back into each ListenOptions, which resolves port 0.
        var byPort = new Dictionary<int, RedfishBmcSimulator>(simulators.Count);
        for (var i = 0; i < simulators.Count; i++)
        {
            var port = listeners[i].IPEndPoint!.Port;
            byPort[port] = simulators[i];
            simulators[i].Attach(host, port, simulatorOwnsHost);
        }

        host._byPort = byPort.ToFrozenDictionary();
        return host;
    }

    public HttpContext CreateContext(IFeatureCollection contextFeatures) => new DefaultHttpContext(contextFeatures);

    public Task ProcessRequestAsync(HttpContext context)
    {
        if (_byPort.TryGetValue(context.Connection.LocalPort, out var simulator))
        {
            return simulator.HandleAsync(context);
        }

        // Only possible in the instant between binding and publishing the port map.
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        return context.Response.Body.WriteAsync(NotReadyBody).AsTask();
    }

    public void DisposeContext(HttpContext context, Exception? exception)
    {
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // Simulators have already released held requests, so a short grace period is enough.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await _server.StopAsync(timeout.Token).ConfigureAwait(false);
        }
        finally
        {
            _server.Dispose();
        }
    }
}
