using System.Net;
using OpenChami.Core.Errors;

namespace OpenChami.Core.Model;

/// <summary>
/// The one MAC and IP address parser. MACs are stored and returned as lower-case
/// <c>aa:bb:cc:dd:ee:ff</c>; input may use ':', '-', '.' or no separator.
/// </summary>
public static class MacAddress
{
    public static bool TryNormalize(string? input, out string normalized)
    {
        normalized = string.Empty;
        if (string.IsNullOrWhiteSpace(input)) return false;
        Span<char> hex = stackalloc char[12];
        var count = 0;
        foreach (var c in input.Trim())
        {
            if (c is ':' or '-' or '.') continue;
            if (!char.IsAsciiHexDigit(c) || count == 12) return false;
            hex[count++] = char.ToLowerInvariant(c);
        }
        if (count != 12) return false;
        normalized = string.Create(17, hex.ToString(), static (span, h) =>
        {
            for (int i = 0, o = 0; i < 12; i += 2)
            {
                if (i > 0) span[o++] = ':';
                span[o++] = h[i];
                span[o++] = h[i + 1];
            }
        });
        return true;
    }

    /// <summary>Normalizes or throws <c>InvalidMacAddress</c>.</summary>
    public static string Normalize(string? input) =>
        TryNormalize(input, out var mac)
            ? mac
            : throw ChamiException.Invalid("InvalidMacAddress", $"'{input}' is not a valid MAC address (expected 12 hex digits, e.g. 52:54:00:be:ef:01)", input);

    /// <summary>The SMD interface ID: the MAC without separators.</summary>
    public static string ToId(string normalizedMac) => normalizedMac.Replace(":", string.Empty, StringComparison.Ordinal);

    /// <summary>Canonical text of an IPv4/IPv6 address, or <c>InvalidIPAddress</c>.</summary>
    public static string NormalizeIp(string? input) =>
        TryNormalizeIp(input, out var ip) ? ip : throw ChamiException.Invalid("InvalidIPAddress", $"'{input}' is not a valid IP address", input);

    /// <summary>Canonical text of a dotted-quad IPv4 or an IPv6 address ("10.1" and "12345" are not addresses here).</summary>
    public static bool TryNormalizeIp(string? input, out string normalized)
    {
        var text = input?.Trim();
        var ok = !string.IsNullOrEmpty(text) && IPAddress.TryParse(text, out var ip) && (text.Contains(':') || text.Count(c => c == '.') == 3);
        normalized = ok ? IPAddress.Parse(text!).ToString() : string.Empty;
        return ok;
    }
}
