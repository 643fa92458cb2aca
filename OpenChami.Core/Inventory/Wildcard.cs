using System.Text.RegularExpressions;

namespace OpenChami.Core.Inventory;

/// <summary>PowerShell-style * and ? patterns for xnames and names, without PowerShell.</summary>
public static class Wildcard
{
    public static bool HasWildcard(string pattern) => pattern.AsSpan().IndexOfAny('*', '?') >= 0;

    public static bool IsMatch(string value, string pattern)
    {
        if (!HasWildcard(pattern)) return string.Equals(value, pattern, StringComparison.OrdinalIgnoreCase);
        var regex = "^" + Regex.Escape(pattern).Replace(@"\*", ".*", StringComparison.Ordinal).Replace(@"\?", ".", StringComparison.Ordinal) + "$";
        return Regex.IsMatch(value, regex, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    }
}
