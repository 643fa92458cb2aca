using OpenChami.Core.Model;
using OpenChami.Core.Xnames;

namespace OpenChami.Core.Inventory;

/// <summary>Component filters of spec/smd.md §5.2, shared by HTTP and cmdlets.</summary>
public sealed class ComponentQuery
{
    public FilterSet<string> Id { get; } = new();

    public FilterSet<HmsType> Type { get; } = new();

    public FilterSet<HmsState?> State { get; } = new();

    public FilterSet<HmsFlag?> Flag { get; } = new();

    public FilterSet<string> Role { get; } = new();

    public FilterSet<string> SubRole { get; } = new();

    public FilterSet<string> SoftwareStatus { get; } = new();

    public FilterSet<string> Subtype { get; } = new();

    public FilterSet<HmsArch?> Arch { get; } = new();

    public FilterSet<HmsClass?> Class { get; } = new();

    public bool? Enabled { get; set; }

    public bool? Locked { get; set; }

    public bool? ReservationDisabled { get; set; }

    /// <summary>Exact NIDs; OR-ed with <see cref="NidRanges"/>.</summary>
    public List<long> Nids { get; } = [];

    public List<(long Start, long End)> NidRanges { get; } = [];

    /// <summary>Group labels; the single value <c>NULL</c> means "in no group".</summary>
    public List<string> Groups { get; } = [];

    public List<string> Partitions { get; } = [];

    /// <summary>Xname patterns with * and ? wildcards (cmdlets); matched after the exact ids.</summary>
    public List<string> Wildcards { get; } = [];

    /// <summary>For the Query/{xname} routes: restrict to descendants of these ids (type filters then act on descendants).</summary>
    public List<string> AncestorIds { get; } = [];

    public bool HasNidFilter => Nids.Count > 0 || NidRanges.Count > 0;

    public bool MatchesNid(long? nid)
    {
        if (!HasNidFilter) return true;
        if (nid is not { } n) return false;
        return Nids.Contains(n) || NidRanges.Any(r => n >= r.Start && n <= r.End);
    }
}
