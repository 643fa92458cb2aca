using System.Net;
using OpenChami.Core.Model;

namespace OpenChami.Core.Discovery;

/// <summary>What kind of value a Redfish field holds, for <see cref="RedfishValues.Check"/>.</summary>
internal enum RedfishValueKind
{
    MacAddress,
    IPAddress,
    Uuid,
    SerialNumber,
}

/// <summary>One field the walk left out: where, what the BMC said, and why.</summary>
public sealed record SkippedField(string Resource, string Field, string Value, string Reason)
{
    /// <summary>The warning: <c>x3000c0s1b0: /redfish/v1/Managers/BMC/EthernetInterfaces/1: MACAddress 'N/A' skipped (placeholder)</c>.</summary>
    public string Describe(string bmc) => $"{bmc}: {Resource}: {Field} '{Value}' skipped ({Reason})";
}

/// <summary>
/// The one place that decides whether a value a BMC sent is real. Vendors put placeholders where addresses,
/// MACs, UUIDs and serials go (<c>N/A</c>, <c>""</c>, <c>Unknown</c>, <c>null</c>, <c>0.0.0.0</c>,
/// <c>00:00:00:00:00:00</c>, an all-zero UUID...): those are absent, never stored and never a reason to fail a BMC.
/// </summary>
internal static class RedfishValues
{
    // Compared case-insensitively after trimming. "0" and "NA" are not here: Redfish uses "0" as an Id.
    private static readonly HashSet<string> Words = new(StringComparer.OrdinalIgnoreCase)
    {
        "n/a", "none", "null", "nil", "unknown", "undefined", "not available", "notavailable", "not applicable",
        "not specified", "not set", "to be filled by o.e.m.", "default string", "-", "--",
    };

    /// <summary>True for text that stands for "no value": empty, whitespace, placeholder words, all-zero/all-ones addresses and UUIDs.</summary>
    public static bool IsPlaceholder(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return true;
        text = text.Trim();
        if (Words.Contains(text)) return true;
        if (MacAddress.TryNormalize(text, out var mac)) return mac is "00:00:00:00:00:00" or "ff:ff:ff:ff:ff:ff";
        if (Guid.TryParse(text, out var guid)) return guid == Guid.Empty || guid == AllOnes;
        if ((text.Contains(':') || text.Count(c => c == '.') == 3) && IPAddress.TryParse(text, out var ip))
        {
            return ip.Equals(IPAddress.Any) || ip.Equals(IPAddress.IPv6Any) || ip.Equals(IPAddress.Broadcast);
        }
        return false;
    }

    private static readonly Guid AllOnes = Guid.Parse("ffffffff-ffff-ffff-ffff-ffffffffffff");

    /// <summary>A link we may follow: a path on the BMC or an absolute http(s) URL (anything else is not a link).</summary>
    public static bool IsLink(string text) =>
        text.StartsWith('/') || ((text.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || text.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
            && Uri.TryCreate(text, UriKind.Absolute, out _));

    /// <summary>
    /// The value to store for a field of <paramref name="kind"/>, or null with the reason it was left out
    /// (a placeholder, or text that is not a MAC / IP address / UUID). Null input is simply absent (no reason).
    /// </summary>
    public static string? Check(string? raw, RedfishValueKind kind, out string? reason)
    {
        reason = null;
        if (raw is null) return null;
        if (IsPlaceholder(raw))
        {
            reason = "placeholder";
            return null;
        }
        switch (kind)
        {
            case RedfishValueKind.MacAddress:
                if (MacAddress.TryNormalize(raw, out var mac)) return mac;
                reason = "not a MAC address";
                return null;
            case RedfishValueKind.IPAddress:
                if (MacAddress.TryNormalizeIp(raw, out var ip)) return ip;
                reason = "not an IP address";
                return null;
            case RedfishValueKind.Uuid:
                if (Guid.TryParse(raw, out _)) return raw;
                reason = "not a UUID";
                return null;
            default:
                return raw;
        }
    }
}
