using OpenChami.Core.Model;

namespace OpenChami.Core.Inventory;

/// <summary>Fields to change on an existing component; null leaves a field as it is.</summary>
public sealed class ComponentPatch
{
    public HmsState? State { get; set; }

    public HmsFlag? Flag { get; set; }

    /// <summary>
    /// <see cref="Flag"/> was filled in by the route (SMD's StateData sets OK with the state), not asked for:
    /// a Locked flag then stays without complaint. A Flag that was asked for is never dropped silently.
    /// </summary>
    public bool FlagIsDefault { get; set; }

    public bool? Enabled { get; set; }

    public string? SoftwareStatus { get; set; }

    public string? Role { get; set; }

    public string? SubRole { get; set; }

    public long? NID { get; set; }

    /// <summary>Remove the NID (SMD's PATCH .../NID with a negative value).</summary>
    public bool UnsetNid { get; set; }

    public string? Subtype { get; set; }

    public HmsNetType? NetType { get; set; }

    public HmsArch? Arch { get; set; }

    public HmsClass? Class { get; set; }

    /// <summary>Allow state changes the SMD state machine would refuse.</summary>
    public bool Force { get; set; }

    public bool IsEmpty =>
        State is null && Flag is null && Enabled is null && SoftwareStatus is null && Role is null && SubRole is null &&
        NID is null && !UnsetNid && Subtype is null && NetType is null && Arch is null && Class is null;
}
