using System.Net;
using Microsoft.AspNetCore.Http;

namespace OpenChami.Core.Http.CloudInit;

/// <summary>
/// The address a node-facing request comes from (spec/cloud-init.md §3 steps 1-2). Proxy headers are
/// believed only from a peer inside <see cref="ChamiServerOptions.TrustedProxies"/>; then
/// X-Forwarded-For is walked right to left and the first address that is not itself a trusted proxy
/// wins (X-Real-IP when there is no XFF). Forged headers from anyone else are ignored.
/// </summary>
public static class CloudInitNodeIdentity
{
    public static IPAddress ClientAddress(HttpContext context, IEnumerable<IPNetwork> trustedProxies)
    {
        var trusted = trustedProxies as IReadOnlyCollection<IPNetwork> ?? trustedProxies.ToList();
        var peer = Unwrap(context.Connection.RemoteIpAddress ?? IPAddress.None);
        if (!IsTrusted(peer, trusted)) return peer;

        var forwarded = context.Request.Headers["X-Forwarded-For"];
        if (forwarded.Count > 0)
        {
            // Several headers are one list, in order; the right-most entries were added by the proxies nearest us.
            var hops = forwarded.SelectMany(h => (h ?? string.Empty).Split(',')).Select(h => h.Trim()).ToList();
            for (var i = hops.Count - 1; i >= 0; i--)
            {
                if (!TryParseHop(hops[i], out var hop)) return peer; // garbage in the chain: trust nothing beyond it
                if (!IsTrusted(hop, trusted)) return hop;
            }
            return peer;
        }
        var realIp = context.Request.Headers["X-Real-IP"].ToString().Trim();
        return realIp.Length > 0 && TryParseHop(realIp, out var real) ? real : peer;
    }

    private static bool IsTrusted(IPAddress address, IReadOnlyCollection<IPNetwork> trusted) =>
        trusted.Any(network => network.Contains(address));

    private static bool TryParseHop(string text, out IPAddress address)
    {
        // "[2001:db8::1]:1234", "192.0.2.1:1234" and bare addresses all occur in the wild.
        var value = text;
        if (value.StartsWith('[') && value.IndexOf(']') is var close and > 0) value = value[1..close];
        else if (value.Count(c => c == ':') == 1) value = value[..value.IndexOf(':')];
        if (IPAddress.TryParse(value, out var parsed))
        {
            address = Unwrap(parsed);
            return true;
        }
        address = IPAddress.None;
        return false;
    }

    private static IPAddress Unwrap(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
