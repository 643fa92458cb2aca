using OpenChami.Core.Model;

namespace OpenChami.Core.Discovery;

/// <summary>What <see cref="DiscoveredBmcWriter"/> did with one BMC: its name, its nodes, the changes, or why not.</summary>
internal sealed class BmcWriteOutcome
{
    public string? Xname { get; set; }
    public BmcDiscoveryStatus Status { get; set; }
    public RedfishEndpointInput? Record { get; set; }
    public List<string> Nodes { get; } = [];
    public List<string> Changes { get; } = [];
    public List<string> Warnings { get; } = [];
    public DiscoveryFailure? Failure { get; set; }
    public string? Error { get; set; }
}
