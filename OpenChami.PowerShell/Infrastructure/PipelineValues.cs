namespace OpenChami.PowerShell.Infrastructure;

/// <summary>
/// Parses values of parameters that bind from pipeline properties (CSV cells). Such parameters are
/// strings on purpose: PowerShell silently skips a pipeline property it cannot convert to a typed
/// parameter, so a CSV row with <c>State=Bogus</c> or <c>Nid=abc</c> would be created with defaults
/// instead of being refused. Parsing here turns those rows into errors with stable ids.
/// </summary>
internal static class PipelineValues
{
    /// <summary>Splits values that may arrive as "a,b" or "a;b" from CSV cells into separate items.</summary>
    public static IEnumerable<string> SplitList(IEnumerable<string>? values) =>
        (values ?? [])
            .SelectMany(v => (v ?? string.Empty).Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    /// <summary>Empty means "not given"; anything else must name a value of <typeparamref name="TEnum"/> (InvalidState, InvalidArch...).</summary>
    public static TEnum? Enum<TEnum>(string? value, string what) where TEnum : struct, System.Enum =>
        string.IsNullOrWhiteSpace(value) ? null : Core.Model.HmsValues.Parse<TEnum>(value, what);

    public static bool? Boolean(string? value, string what) => value?.Trim().ToLowerInvariant() switch
    {
        null or "" => null,
        "true" or "yes" or "1" => true,
        "false" or "no" or "0" => false,
        _ => throw Core.Errors.ChamiException.Invalid($"Invalid{what}", $"{what} '{value}' is invalid; use true or false", value),
    };

    public static long? Nid(string? value) =>
        string.IsNullOrWhiteSpace(value) ? null
        : long.TryParse(value.Trim(), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var nid) ? nid
        : throw Core.Errors.ChamiException.Invalid("InvalidNid", $"NID '{value}' is not an integer", value);
}
