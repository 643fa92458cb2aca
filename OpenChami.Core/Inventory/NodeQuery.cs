using OpenChami.Core.Model;

namespace OpenChami.Core.Inventory;

/// <summary>How operators look for nodes: by xname pattern, NID, MAC, role, state or group (AND-ed).</summary>
public sealed class NodeQuery
{
    /// <summary>Xnames or wildcard patterns (<c>x1000c0s*</c>); OR-ed.</summary>
    public List<string> Xname { get; } = [];

    public List<long> Nid { get; } = [];

    public List<string> MacAddress { get; } = [];

    public List<string> Role { get; } = [];

    public List<HmsState> State { get; } = [];

    public List<string> Group { get; } = [];
}

/// <summary>What <c>New-ChamiNode</c> and inventory imports register for one node.</summary>
public sealed class NewNodeRequest
{
    public required string Xname { get; init; }

    public long? Nid { get; init; }

    public IReadOnlyList<string> MacAddress { get; init; } = [];

    /// <summary>Addresses given to the first NIC (or to the NIC at the same position when several MACs are given).</summary>
    public IReadOnlyList<string> IPAddress { get; init; } = [];

    public string? Role { get; init; }

    public string? SubRole { get; init; }

    public HmsArch? Arch { get; init; }

    public HmsState? State { get; init; }

    public bool? Enabled { get; init; }

    public IReadOnlyList<string> Group { get; init; } = [];

    public string? Description { get; init; }
}
