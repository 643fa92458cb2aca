namespace OpenChami.PowerShell.Infrastructure;

/// <summary>Small parameter helpers shared by cmdlets.</summary>
internal static class CmdletHelpers
{
    /// <summary>Splits values that may arrive as "a,b" or "a;b" from CSV cells into separate items.</summary>
    public static IEnumerable<string> SplitList(IEnumerable<string>? values) =>
        (values ?? [])
            .SelectMany(v => (v ?? string.Empty).Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
