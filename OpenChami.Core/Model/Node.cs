namespace OpenChami.Core.Model;

/// <summary>
/// The operator's view of a compute node: its Node component together with its NICs,
/// groups and BMC. Read-only projection; writes go through the component, interface and
/// group services.
/// </summary>
public sealed class Node
{
    public required string Xname { get; init; }

    public long? Nid { get; init; }

    public HmsState? State { get; init; }

    public HmsFlag? Flag { get; init; }

    public bool Enabled { get; init; }

    public string? Role { get; init; }

    public string? SubRole { get; init; }

    public HmsArch? Arch { get; init; }

    public HmsClass? Class { get; init; }

    public HmsNetType? NetType { get; init; }

    /// <summary>The BMC xname derived from the node xname (x..b0n0 → x..b0).</summary>
    public string? Bmc { get; init; }

    /// <summary>Lower-case colon MACs of the node's interfaces, in insertion order.</summary>
    public IReadOnlyList<string> MacAddress { get; init; } = [];

    public IReadOnlyList<string> IPAddress { get; init; } = [];

    public IReadOnlyList<string> Groups { get; init; } = [];

    public IReadOnlyList<EthernetInterface> Interfaces { get; init; } = [];

    /// <summary>The node's serial number from the hardware inventory (its System's, read by discovery), or null.</summary>
    public string? SerialNumber { get; init; }

    public required Component Component { get; init; }

    public override string ToString() => Xname;
}
