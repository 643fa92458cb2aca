using OpenChami.Core.Model;
using OpenChami.Core.Xnames;

namespace OpenChami.Core.Inventory;

/// <summary>Filters of <c>GET /Inventory/RedfishEndpoints</c> (spec/smd.md §5.3).</summary>
public sealed class RedfishEndpointQuery
{
    public FilterSet<string> Id { get; } = new();

    public FilterSet<string> Fqdn { get; } = new();

    public FilterSet<HmsType> Type { get; } = new();

    public FilterSet<string> Uuid { get; } = new();

    public FilterSet<string> MacAddr { get; } = new();

    public FilterSet<string> IPAddress { get; } = new();

    public FilterSet<DiscoveryStatus> LastStatus { get; } = new();
}
