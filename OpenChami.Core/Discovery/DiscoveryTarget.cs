using System.Globalization;
using System.Net;
using System.Net.Sockets;
using OpenChami.Core.Errors;

namespace OpenChami.Core.Discovery;

/// <summary>One (host, port, scheme) to probe. A BMC is identified by address AND port.</summary>
public sealed record DiscoveryTarget(string Host, int Port, string Scheme)
{
    /// <summary>True when the target came from a subnet expansion (silence there is normal, not an error).</summary>
    public bool FromSubnet { get; init; }

    /// <summary><c>scheme://host:port</c> (IPv6 hosts bracketed).</summary>
    public string BaseUrl => $"{Scheme}://{HostForUrl}:{Port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Host with the port when it is not the scheme's default (what SMD's FQDN carries, spec §2.4).</summary>
    public string HostWithPort => Port == DefaultPort(Scheme) ? Host : $"{HostForUrl}:{Port.ToString(CultureInfo.InvariantCulture)}";

    private string HostForUrl => Host.Contains(':') ? $"[{Host}]" : Host;

    public static int DefaultPort(string scheme) => scheme == "http" ? 80 : 443;

    public override string ToString() => $"{HostForUrl}:{Port.ToString(CultureInfo.InvariantCulture)}";
}

/// <summary>Turns -Subnet / -Address input into targets (spec/discovery-power.md §2.1).</summary>
public static class DiscoveryTargets
{
    /// <summary>Largest subnet one run expands (a /16): beyond that a typo, not a plan.</summary>
    public const int MinimumPrefixLength = 16;

    public static string NormalizeScheme(string? scheme)
    {
        var s = (scheme ?? "https").Trim().ToLowerInvariant();
        return s is "https" or "http"
            ? s
            : throw ChamiException.Invalid("InvalidScheme", $"Scheme '{scheme}' is not supported (use https or http)", scheme);
    }

    /// <summary>
    /// Expands subnets (every host address; network and broadcast skipped for prefixes ≤ /30) and explicit
    /// addresses (<c>host</c>, <c>host:port</c>, <c>[v6]:port</c>, <c>https://host:port</c>) into distinct targets,
    /// crossed with <paramref name="ports"/> where an entry names no port. Order: as given, duplicates removed.
    /// </summary>
    public static IReadOnlyList<DiscoveryTarget> Expand(IEnumerable<string>? subnets, IEnumerable<string>? addresses,
        IReadOnlyList<int>? ports, string? scheme)
    {
        var defaultScheme = NormalizeScheme(scheme);
        var portList = ports is { Count: > 0 } ? ports.Distinct().ToArray() : [443];
        foreach (var p in portList)
        {
            if (p is < 1 or > 65535) throw ChamiException.Invalid("InvalidPort", $"Port {p} is out of range 1-65535", p.ToString(CultureInfo.InvariantCulture));
        }

        var seen = new HashSet<(string, int)>();
        var targets = new List<DiscoveryTarget>();
        void Add(DiscoveryTarget t)
        {
            if (seen.Add((t.Host.ToLowerInvariant(), t.Port))) targets.Add(t);
        }

        foreach (var subnet in subnets ?? [])
        {
            foreach (var host in ExpandSubnet(subnet))
            {
                foreach (var p in portList) Add(new DiscoveryTarget(host, p, defaultScheme) { FromSubnet = true });
            }
        }

        foreach (var address in addresses ?? [])
        {
            var (host, port, targetScheme) = ParseAddress(address, defaultScheme);
            if (port is { } explicitPort)
            {
                Add(new DiscoveryTarget(host, explicitPort, targetScheme));
            }
            else
            {
                foreach (var p in portList) Add(new DiscoveryTarget(host, p, targetScheme));
            }
        }

        return targets;
    }

    /// <summary>Every host address of an IPv4 CIDR (host bits of the given address are masked off).</summary>
    public static IEnumerable<string> ExpandSubnet(string cidr)
    {
        var (network, mask, prefix) = ExpandSubnetBounds(cidr);
        if (prefix < MinimumPrefixLength)
        {
            throw ChamiException.Invalid("SubnetTooLarge",
                $"Subnet '{cidr}' has {1L << (32 - prefix)} addresses; split it into /{MinimumPrefixLength} or smaller subnets", cidr);
        }
        var broadcast = network | ~mask;
        var (first, last) = prefix <= 30 ? (network + 1, broadcast - 1) : (network, broadcast);
        return Enumerate(first, last);

        static IEnumerable<string> Enumerate(uint first, uint last)
        {
            for (var a = (ulong)first; a <= last; a++)
            {
                var v = (uint)a;
                yield return $"{v >> 24}.{(v >> 16) & 0xFF}.{(v >> 8) & 0xFF}.{v & 0xFF}";
            }
        }
    }

    /// <summary>Network address, mask and prefix of an IPv4 CIDR.</summary>
    public static (uint Network, uint Mask, int Prefix) ExpandSubnetBounds(string cidr)
    {
        var text = cidr?.Trim() ?? string.Empty;
        var slash = text.IndexOf('/');
        if (slash < 0
            || !IPAddress.TryParse(text[..slash], out var address)
            || address.AddressFamily != AddressFamily.InterNetwork
            || !int.TryParse(text[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var prefix)
            || prefix > 32)
        {
            throw ChamiException.Invalid("InvalidSubnet", $"'{cidr}' is not an IPv4 CIDR subnet (e.g. 172.16.0.0/24)", cidr);
        }
        var bytes = address.GetAddressBytes();
        var ip = (uint)(bytes[0] << 24 | bytes[1] << 16 | bytes[2] << 8 | bytes[3]);
        var mask = prefix == 0 ? 0u : uint.MaxValue << (32 - prefix);
        return (ip & mask, mask, prefix);
    }

    /// <summary>Parses <c>host</c>, <c>host:port</c>, <c>[v6]:port</c> or a URL; port is null when not given.</summary>
    public static (string Host, int? Port, string Scheme) ParseAddress(string address, string defaultScheme)
    {
        var text = address?.Trim() ?? string.Empty;
        if (text.Length == 0) throw ChamiException.Invalid("InvalidAddress", "An empty address is not a target", address);

        if (text.Contains("://", StringComparison.Ordinal))
        {
            if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Host.Length == 0)
            {
                throw ChamiException.Invalid("InvalidAddress", $"'{address}' is not an http(s) BMC URL", address);
            }
            // A URL names exactly one target: its port, or the scheme's default.
            return (uri.Host.Trim('[', ']'), uri.Port, uri.Scheme);
        }

        string host;
        int? port = null;
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']');
            if (close < 0) throw ChamiException.Invalid("InvalidAddress", $"'{address}' has no closing ']'", address);
            host = text[1..close];
            var rest = text[(close + 1)..];
            if (rest.Length > 0) port = ParsePort(rest.StartsWith(':') ? rest[1..] : "x", address!);
        }
        else if (text.Count(c => c == ':') == 1)
        {
            var colon = text.IndexOf(':');
            host = text[..colon];
            port = ParsePort(text[(colon + 1)..], address!);
        }
        else
        {
            host = text; // a name, IPv4 or bare IPv6 address
        }

        if (host.Length == 0 || (Uri.CheckHostName(host) == UriHostNameType.Unknown))
        {
            throw ChamiException.Invalid("InvalidAddress", $"'{address}' is not a host name or IP address", address);
        }
        if (IPAddress.TryParse(host, out var ip) && (host.Contains(':') || host.Count(c => c == '.') == 3)) host = ip.ToString();
        return (host, port, defaultScheme);
    }

    private static int ParsePort(string text, string address) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p is >= 1 and <= 65535
            ? p
            : throw ChamiException.Invalid("InvalidAddress", $"'{address}' has an invalid port (1-65535)", address);
}
