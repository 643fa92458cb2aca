using OpenChami.Core.Model;

namespace OpenChami.Core.Http.Smd;

/// <summary>
/// A Component as clients send it: enums as text, so a bad value is reported as SMD does
/// (<c>state 'FAKE' is invalid</c>) instead of as a JSON decoding error. <c>Type</c> is ignored (derived from ID).
/// </summary>
public sealed class ComponentInput
{
    public string? ID { get; set; }

    public string? Type { get; set; }

    public string? State { get; set; }

    public string? Flag { get; set; }

    public bool? Enabled { get; set; }

    public string? SoftwareStatus { get; set; }

    public string? Role { get; set; }

    public string? SubRole { get; set; }

    public long? NID { get; set; }

    public string? Subtype { get; set; }

    public string? NetType { get; set; }

    public string? Arch { get; set; }

    public string? Class { get; set; }

    /// <summary>Converts the text fields; invalid enum values throw InvalidArgument (<c>state 'FAKE' is invalid; ...</c>).</summary>
    public Component ToComponent() => new()
    {
        ID = ID ?? string.Empty,
        State = Enum<HmsState>(State, "state"),
        Flag = Enum<HmsFlag>(Flag, "flag"),
        Enabled = Enabled,
        SoftwareStatus = string.IsNullOrEmpty(SoftwareStatus) ? null : SoftwareStatus,
        Role = string.IsNullOrEmpty(Role) ? null : HmsValues.ParseRole(Role),
        SubRole = string.IsNullOrEmpty(SubRole) ? null : HmsValues.ParseSubRole(SubRole),
        NID = NID,
        Subtype = string.IsNullOrEmpty(Subtype) ? null : Subtype,
        NetType = Enum<HmsNetType>(NetType, "nettype"),
        Arch = Enum<HmsArch>(Arch, "arch"),
        Class = Enum<HmsClass>(Class, "class"),
    };

    private static T? Enum<T>(string? value, string what) where T : struct, System.Enum =>
        string.IsNullOrEmpty(value) ? null : HmsValues.Parse<T>(value, what);
}
