using OpenChami.Core.Errors;

namespace OpenChami.Core.Model;

/// <summary>
/// Parsing and canonical spelling of the HMS enumerations. Role and SubRole are open sets in
/// SMD (sites configure extra values), so they are strings checked against a list here rather
/// than C# enums.
/// </summary>
public static class HmsValues
{
    private static readonly string[] BaseRoles = ["Compute", "Service", "System", "Application", "Storage", "Management"];
    private static readonly string[] BaseSubRoles = ["Master", "Worker", "Storage"];
    private static volatile string[] roles = BaseRoles;
    private static volatile string[] subRoles = BaseSubRoles;

    public static IReadOnlyList<string> Roles => roles;

    public static IReadOnlyList<string> SubRoles => subRoles;

    /// <summary>Adds site-specific roles (SMD's HMS_CONFIG_PATH equivalent).</summary>
    public static void AddRoles(IEnumerable<string> extra) => roles = roles.Concat(extra).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();

    public static void AddSubRoles(IEnumerable<string> extra) => subRoles = subRoles.Concat(extra).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();

    public static bool TryParse<TEnum>(string? value, out TEnum result) where TEnum : struct, Enum
    {
        result = default;
        if (string.IsNullOrWhiteSpace(value)) return false;
        var text = value.Trim();
        // Numbers would bind to arbitrary enum values; the wire only ever carries names.
        if (char.IsDigit(text[0]) || text[0] == '-' || text[0] == '+') return false;
        if (typeof(TEnum) == typeof(HmsFlag) && text.Equals("warn", StringComparison.OrdinalIgnoreCase))
        {
            result = (TEnum)(object)HmsFlag.Warning;
            return true;
        }
        return Enum.TryParse(text, ignoreCase: true, out result) && Enum.IsDefined(result);
    }

    /// <summary>
    /// What follows <c>'&lt;value&gt;' is invalid</c> in an enum error: the list helps at the prompt, and SMD's wire
    /// answer drops it to keep upstream's words (<see cref="Http.Smd.SmdHttp.Validation"/>).
    /// </summary>
    public const string ValidValues = "; valid values are ";

    public static TEnum Parse<TEnum>(string? value, string what) where TEnum : struct, Enum =>
        TryParse<TEnum>(value, out var result)
            ? result
            : throw ChamiException.Invalid($"Invalid{typeof(TEnum).Name.Replace("Hms", string.Empty)}",
                $"{what} '{value}' is invalid{ValidValues}{string.Join(", ", Enum.GetNames<TEnum>())}", value);

    public static string? CanonicalRole(string? value) => Canonical(value, roles);

    public static string? CanonicalSubRole(string? value) => Canonical(value, subRoles);

    public static string ParseRole(string value) =>
        CanonicalRole(value) ?? throw ChamiException.Invalid("InvalidRole", $"role '{value}' is invalid{ValidValues}{string.Join(", ", roles)}", value);

    public static string ParseSubRole(string value) =>
        CanonicalSubRole(value) ?? throw ChamiException.Invalid("InvalidSubRole", $"subrole '{value}' is invalid{ValidValues}{string.Join(", ", subRoles)}", value);

    private static string? Canonical(string? value, string[] set)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        var trimmed = value.Trim();
        return Array.Find(set, v => v.Equals(trimmed, StringComparison.OrdinalIgnoreCase));
    }
}
