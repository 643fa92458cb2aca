using OpenChami.Core.Model;

namespace OpenChami.Core.Boot;

/// <summary>Which entry a node boots from, and what SMD knows about it.</summary>
public sealed class BootResolution
{
    public Component? Component { get; init; }

    /// <summary>The node's MACs (request MAC first).</summary>
    public IReadOnlyList<string> Macs { get; init; } = [];

    public BootParamsEntry? Entry { get; init; }

    /// <summary>The entry's identity, e.g. <c>host:x1000c0s0b0n0</c>, <c>group:compute</c>, <c>tag:Default|arm64</c>; empty when none.</summary>
    public string Source { get; init; } = string.Empty;

    public string? Arch { get; init; }
}
