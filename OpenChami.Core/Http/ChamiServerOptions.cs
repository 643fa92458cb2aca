using System.Net;
using System.Security.Cryptography.X509Certificates;

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

    /// <summary>
    /// Proxies whose X-Forwarded-For / X-Real-IP is believed; nobody else's is. Default loopback
    /// (127.0.0.1/32, ::1/128) as spec/cloud-init.md §3/§8 says: a proxy on the head node itself.
    /// Clear it to believe no header at all.
    /// </summary>
    public IList<IPNetwork> TrustedProxies { get; } = [IPNetwork.Parse("127.0.0.1/32"), IPNetwork.Parse("::1/128")];

    /// <summary>Require bearer tokens even on loopback (beyond loopback they are always required).</summary>
    public bool RequireAuth { get; set; }

    /// <summary>Whether requests must carry a token: always when listening beyond loopback.</summary>
    public bool AuthEnabled => RequireAuth || !IPAddress.IsLoopback(BindAddress);

    /// <summary>Serve HTTPS with this certificate (with private key); null serves plain HTTP.</summary>
    public X509Certificate2? Certificate { get; set; }
}
