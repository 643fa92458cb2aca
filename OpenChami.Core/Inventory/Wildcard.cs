using System.Text.RegularExpressions;
using OpenChami.Core.Xnames;

namespace OpenChami.Core.Inventory;

/// <summary>PowerShell-style * and ? patterns for xnames and names, without PowerShell.</summary>
public static class Wildcard
{
    public static bool HasWildcard(string pattern) => pattern.AsSpan().IndexOfAny('*', '?') >= 0;

    /// <summary>
    /// The pattern-or-xname rule of every xname filter (Get-ChamiNode, Get-ChamiComponent, Get-ChamiRedfishEndpoint,
    /// the node queries): a wildcard pattern is matched as typed (trimmed, lower case); anything else names one
    /// xname, in its normal form when it parses (X1000C0S0B0N00 finds x1000c0s0b0n0).
    /// </summary>
    public static string XnamePattern(string value) =>
        !HasWildcard(value) && Xname.TryParse(value, out var id, out _) ? id : value.Trim().ToLowerInvariant();

    public static bool IsMatch(string value, string pattern)
    {
        if (!HasWildcard(pattern)) return string.Equals(value, pattern, StringComparison.OrdinalIgnoreCase);
        var regex = "^" + Regex.Escape(pattern).Replace(@"\*", ".*", StringComparison.Ordinal).Replace(@"\?", ".", StringComparison.Ordinal) + "$";
        return Regex.IsMatch(value, regex, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    }
}
