using System.Net;

namespace OpenChami.Core.Discovery;

/// <summary>How one discovery (or scan) run behaves. Defaults follow spec/discovery-power.md §2.2-§2.7.</summary>
public sealed class DiscoveryOptions
{
    /// <summary>TCP connect timeout of the probe (and of every new connection).</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Timeout of the unauthenticated service-root GET.</summary>
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Timeout of every request of the walk.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Upper bound for one BMC's whole walk.</summary>
    public TimeSpan BmcTimeout { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary>BMCs talked to at the same time (HTTP probe, walk, store); honoured exactly.</summary>
    public int ThrottleLimit { get; set; } = 64;

    /// <summary>
    /// TCP connects in flight at the same time (default 512, never below <see cref="ThrottleLimit"/>). Connects are
    /// cheap, so a silent subnet costs about one <see cref="ConnectTimeout"/> rather than count / throttle × timeout.
    /// </summary>
    public int ConnectThrottleLimit { get; set; } = 512;

    /// <summary>Accept any TLS certificate (BMCs are usually self-signed; must be asked for explicitly).</summary>
    public bool SkipCertificateCheck { get; set; }

    public BmcCredentialMap Credentials { get; set; } = new();

    /// <summary>Operator's IP/MAC/serial → BMC xname map; null = generated names (§2.5).</summary>
    public XnameMap? XnameMap { get; set; }

    /// <summary>
    /// Clock of every timeout and budget above and of result timestamps (default the system clock); tests inject a
    /// fake one so a cut-off is asserted when its timer fires, not against wall-clock margins.
    /// </summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Walk and plan, but write nothing (-WhatIf).</summary>
    public bool Preview { get; set; }

    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(TimeProvider);
        if (ThrottleLimit < 1 || ConnectThrottleLimit < 1) throw Errors.ChamiException.Invalid("InvalidThrottleLimit", "ThrottleLimit must be at least 1");
        foreach (var (name, value) in new[] { ("ConnectTimeout", ConnectTimeout), ("ProbeTimeout", ProbeTimeout), ("RequestTimeout", RequestTimeout), ("BmcTimeout", BmcTimeout) })
        {
            if (value <= TimeSpan.Zero) throw Errors.ChamiException.Invalid("InvalidTimeout", $"{name} must be positive");
        }
    }
}

/// <summary>
/// Credentials per BMC: keys are <c>host:port</c>, <c>host</c>, an IPv4 CIDR (most specific wins) or
/// <c>default</c>/<c>*</c>; a target matches the most specific key.
/// </summary>
public sealed class BmcCredentialMap
{
    private readonly Dictionary<string, NetworkCredential> exact = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<(uint Network, uint Mask, int Prefix, NetworkCredential Credential)> subnets = [];

    public NetworkCredential? Default { get; set; }

    public int Count => exact.Count + subnets.Count + (Default is null ? 0 : 1);

    public static BmcCredentialMap ForAll(NetworkCredential? credential) => new() { Default = credential };

    public void Add(string key, NetworkCredential credential)
    {
        var k = key?.Trim() ?? string.Empty;
        if (k is "default" or "*")
        {
            Default = credential;
            return;
        }
        if (k.Contains('/'))
        {
            var hosts = DiscoveryTargets.ExpandSubnetBounds(k);
            subnets.Add((hosts.Network, hosts.Mask, hosts.Prefix, credential));
            subnets.Sort((a, b) => b.Prefix.CompareTo(a.Prefix));
            return;
        }
        var (host, port, _) = DiscoveryTargets.ParseAddress(k, "https");
        exact[port is null ? host : $"{host}:{port}"] = credential;
    }

    public NetworkCredential? Resolve(DiscoveryTarget target)
    {
        if (exact.TryGetValue($"{target.Host}:{target.Port}", out var c) || exact.TryGetValue(target.Host, out c)) return c;
        if (IPAddress.TryParse(target.Host, out var ip) && ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
        {
            var b = ip.GetAddressBytes();
            var v = (uint)(b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3]);
            foreach (var s in subnets)
            {
                if ((v & s.Mask) == s.Network) return s.Credential;
            }
        }
        return Default;
    }
}
