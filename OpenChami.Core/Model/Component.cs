using OpenChami.Core.Xnames;

namespace OpenChami.Core.Model;

/// <summary>
/// An SMD component (spec/smd.md §3.1). Property order is the wire order; null means "omit".
/// </summary>
public sealed class Component
{
    public string ID { get; set; } = string.Empty;

    public HmsType Type { get; set; }

    public HmsState? State { get; set; }

    public HmsFlag? Flag { get; set; }

    public bool? Enabled { get; set; }

    public string? SoftwareStatus { get; set; }

    public string? Role { get; set; }

    public string? SubRole { get; set; }

    public long? NID { get; set; }

    public string? Subtype { get; set; }

    public HmsNetType? NetType { get; set; }

    public HmsArch? Arch { get; set; }

    public HmsClass? Class { get; set; }

    /// <summary>Lock subsystem flag; omitted on the wire when false.</summary>
    public bool? ReservationDisabled { get; set; }

    public bool? Locked { get; set; }

    public Component Clone() => (Component)MemberwiseClone();

    public override string ToString() => ID;
}
