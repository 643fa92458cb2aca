using OpenChami.Core.Model;

namespace OpenChami.Core.Inventory;

/// <summary>
/// Filters of <c>GET /Inventory/EthernetInterfaces</c> (spec/smd.md §5.3), shared by HTTP and cmdlets.
/// Values are stored normalized (MACs colon form, IDs without separators, xnames normalized).
/// An empty value matches the empty field (<c>ComponentID=</c> = interfaces without a component).
/// </summary>
public sealed class EthernetInterfaceQuery
{
    public FilterSet<string> Id { get; } = new();

    public FilterSet<string> MacAddress { get; } = new();

    /// <summary>Matches when any address of the interface matches.</summary>
    public FilterSet<string> IPAddress { get; } = new();

    /// <summary>Matches when any address of the interface is on the network.</summary>
    public FilterSet<string> Network { get; } = new();

    public FilterSet<string> ComponentId { get; } = new();

    /// <summary>HMS type names of the owning component (canonical spelling), or empty.</summary>
    public FilterSet<string> Type { get; } = new();

    /// <summary>Only interfaces last written before this instant.</summary>
    public DateTime? OlderThan { get; set; }

    /// <summary>Only interfaces last written after this instant.</summary>
    public DateTime? NewerThan { get; set; }

    public bool Matches(EthernetInterface nic)
    {
        if (!Id.Matches(nic.ID) || !MacAddress.Matches(nic.MACAddress)) return false;
        if (!ComponentId.Matches(nic.ComponentID) || !Type.Matches(nic.Type)) return false;
        if (!MatchesAny(IPAddress, nic.IPAddresses.Select(ip => ip.IPAddress))) return false;
        if (!MatchesAny(Network, nic.IPAddresses.Select(ip => ip.Network ?? string.Empty))) return false;
        if (OlderThan is { } older && nic.LastUpdate >= older) return false;
        if (NewerThan is { } newer && nic.LastUpdate <= newer) return false;
        return true;
    }

    /// <summary>List-valued field: a positive matches any element (or "" matches an empty list); negatives exclude any element.</summary>
    private static bool MatchesAny(FilterSet<string> filter, IEnumerable<string> values)
    {
        if (filter.IsEmpty) return true;
        var list = values.ToList();
        if (filter.Include.Count > 0 && !list.Any(filter.Include.Contains) && !(list.Count == 0 && filter.Include.Contains(string.Empty))) return false;
        if (list.Any(filter.Exclude.Contains) || (list.Count == 0 && filter.Exclude.Contains(string.Empty))) return false;
        return true;
    }
}

/// <summary>Fields to change on an interface (PATCH); null leaves a field alone, <see cref="IPAddresses"/> replaces the list.</summary>
public sealed class EthernetInterfacePatch
{
    public string? Description { get; set; }

    public string? ComponentID { get; set; }

    public List<IPAddressMapping>? IPAddresses { get; set; }

    public bool IsEmpty => Description is null && ComponentID is null && IPAddresses is null;
}
