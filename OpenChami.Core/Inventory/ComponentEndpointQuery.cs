using OpenChami.Core.Xnames;

namespace OpenChami.Core.Inventory;

/// <summary>Filters of <c>GET /Inventory/ComponentEndpoints</c>.</summary>
public sealed class ComponentEndpointQuery
{
    public FilterSet<string> Id { get; } = new();

    public FilterSet<string> RedfishEndpoint { get; } = new();

    public FilterSet<HmsType> Type { get; } = new();

    public FilterSet<string> RedfishType { get; } = new();
}
