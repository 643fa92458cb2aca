using System.Net;

namespace OpenChami.Core.Http;

/// <summary>How <see cref="ChamiServer"/> listens.</summary>
public sealed class ChamiServerOptions
{
    public const int DefaultPort = 8081;

    /// <summary>Loopback by default: serving beyond this machine is an explicit choice.</summary>
    public IPAddress BindAddress { get; set; } = IPAddress.Loopback;

    /// <summary>0 picks a free port; <see cref="ChamiServer.Port"/> tells which.</summary>
    public int Port { get; set; } = DefaultPort;

    /// <summary>Optional file that also receives the server log (the in-memory ring always does).</summary>
    public string? LogPath { get; set; }

    /// <summary>How many log entries the in-memory ring keeps.</summary>
    public int LogCapacity { get; set; } = 10_000;

    /// <summary>Proxies whose X-Forwarded-For is believed; nobody else's is.</summary>
    public IList<IPAddress> TrustedProxies { get; } = [];
}
