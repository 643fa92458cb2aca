using OpenChami.Core.Errors;
using OpenChami.Core.Storage;
using OpenChami.Core.Xnames;

namespace OpenChami.Core.Inventory.Hardware;

/// <summary>A location with the FRU populating it (null when empty or the FRU record was deleted); flat properties for tables.</summary>
public sealed record HardwareItem(HardwareLocation Location, HardwareFru? Fru)
{
    public string Xname => Location.ID;
    public HmsType Type => Location.Type;
    public string Status => Location.Status;
    public string? FruId => Location.FRUID;
    public string? Manufacturer => Fru?.Manufacturer;
    public string? Model => Fru?.Model;
    public string? PartNumber => Fru?.PartNumber;
    public string? SerialNumber => Fru?.SerialNumber;

    /// <summary>The BMC whose discovery found it.</summary>
    public string Bmc => Location.RedfishEndpointID;

    public override string ToString() => Location.ID;
}

/// <summary>Filters of the hardware reads (spec/smd.md §2.11). Empty lists filter nothing; values within a list are alternatives.</summary>
public sealed class HardwareQuery
{
    public List<string> Ids { get; } = [];
    public List<HmsType> Types { get; } = [];
    public List<string> FruIds { get; } = [];
    public List<string> Manufacturers { get; } = [];
    public List<string> PartNumbers { get; } = [];
    public List<string> SerialNumbers { get; } = [];

    /// <summary>Further test on the xname (the cmdlets' wildcards).</summary>
    public Func<string, bool>? XnameMatch { get; set; }
}

/// <summary>Filters of the history reads: by location or FRU, event type, time window and the FRU's fields.</summary>
public sealed class HardwareHistoryQuery
{
    public List<string> Ids { get; } = [];
    public List<string> FruIds { get; } = [];
    public List<string> EventTypes { get; } = [];
    public List<HmsType> Types { get; } = [];
    public List<string> Manufacturers { get; } = [];
    public List<string> PartNumbers { get; } = [];
    public List<string> SerialNumbers { get; } = [];
    public DateTime? StartTime { get; set; }
    public DateTime? EndTime { get; set; }
    public Func<string, bool>? XnameMatch { get; set; }
}

/// <summary>
/// The hardware inventory (upstream SMD's HWInvByLoc, HWInvByFRU and HWInvHist; spec/smd.md §2.11): reads and deletes.
/// Discovery writes it (<see cref="HardwareInventoryWriter"/>). Lookups by xname, FRUID, serial number, BMC or subtree
/// are index reads; only an unfiltered listing reads everything.
/// </summary>
public sealed class HardwareInventoryService(IChamiStore store)
{
    public IReadOnlyList<HardwareItem> Query(HardwareQuery? query = null) => store.Read(s =>
    {
        query ??= new HardwareQuery();
        var locations = s.Collection<HardwareLocation>();
        var frus = s.Collection<HardwareFru>();
        IEnumerable<HardwareLocation> candidates;
        if (query.Ids.Count > 0)
        {
            candidates = query.Ids.Select(i => Xname.TryParse(i, out var id, out _) ? locations.Get(id) : null).OfType<HardwareLocation>();
        }
        else if (query.FruIds.Count > 0)
        {
            var fruids = query.FruIds.Distinct().ToList();
            candidates = locations.Find(l => fruids.Contains(l.FRUID!));
        }
        else if (query.SerialNumbers.Count > 0)
        {
            var serials = query.SerialNumbers.Distinct().ToList();
            var fruids = frus.Find(f => serials.Contains(f.SerialNumber!)).Select(f => f.FRUID).ToList();
            candidates = fruids.Count == 0 ? [] : locations.Find(l => fruids.Contains(l.FRUID!));
        }
        else
        {
            candidates = locations.All();
        }
        return candidates.DistinctBy(l => l.ID)
            .Where(l => query.Types.Count == 0 || query.Types.Contains(l.Type))
            .Where(l => query.XnameMatch?.Invoke(l.ID) ?? true)
            .Select(l => new HardwareItem(l, l.FRUID is null ? null : frus.Get(l.FRUID)))
            .Where(i => query.FruIds.Count == 0 || query.FruIds.Contains(i.Location.FRUID ?? string.Empty, StringComparer.Ordinal))
            .Where(i => FruMatches(i.Fru, query.Manufacturers, query.PartNumbers, query.SerialNumbers))
            .OrderBy(i => i.Location.ID, XnameComparer.Instance).ToList();
    });

    /// <summary>The serial number of the FRU at <paramref name="xname"/> (two key reads), or null.</summary>
    internal static string? SerialNumberOf(IStoreSession session, string xname) =>
        session.Collection<HardwareLocation>().Get(xname)?.FRUID is { } fruid ? session.Collection<HardwareFru>().Get(fruid)?.SerialNumber : null;

    public HardwareItem Get(string xname)
    {
        var id = ParseXname(xname);
        return store.Read(s => s.Collection<HardwareLocation>().Get(id) is { } l
            ? new HardwareItem(l, l.FRUID is null ? null : s.Collection<HardwareFru>().Get(l.FRUID))
            : null) ?? throw NoSuchXname(id);
    }

    /// <summary>
    /// <paramref name="xname"/>'s subtree (upstream's <c>/Inventory/Hardware/Query/{xname}</c>): the location itself, with
    /// <paramref name="children"/> every location below it (an index read by ancestor), with <paramref name="parents"/> the
    /// stored locations above it. <c>s0</c> and <c>all</c> mean everything. Nothing found is <c>NotFound</c>.
    /// </summary>
    public IReadOnlyList<HardwareItem> Subtree(string xname, bool children, bool parents)
    {
        if (xname.Equals("s0", StringComparison.OrdinalIgnoreCase) || xname.Equals("all", StringComparison.OrdinalIgnoreCase)) return Query();
        var id = ParseXname(xname);
        var items = store.Read(s =>
        {
            var locations = s.Collection<HardwareLocation>();
            var frus = s.Collection<HardwareFru>();
            var found = new List<HardwareLocation>();
            if (parents) found.AddRange(HardwareInventoryWriter.AncestorsOf(id).Select(locations.Get).OfType<HardwareLocation>());
            if (locations.Get(id) is { } self) found.Add(self);
            if (children) found.AddRange(locations.Find(l => l.Ancestors.Contains(id)));
            return found.DistinctBy(l => l.ID).Select(l => new HardwareItem(l, l.FRUID is null ? null : frus.Get(l.FRUID)))
                .OrderBy(i => i.Location.ID, XnameComparer.Instance).ToList();
        });
        return items.Count > 0 ? items : throw NoSuchXname(id);
    }

    public void Delete(string xname)
    {
        var id = ParseXname(xname);
        if (!store.Write(s => s.Collection<HardwareLocation>().Delete(id))) throw NoSuchXname(id);
    }

    public int DeleteAll() => store.Write(s => s.Collection<HardwareLocation>().DeleteAll());

    public IReadOnlyList<HardwareFru> QueryFrus(HardwareQuery? query = null) => store.Read(s =>
    {
        query ??= new HardwareQuery();
        var frus = s.Collection<HardwareFru>();
        IEnumerable<HardwareFru> candidates = query.FruIds.Count > 0 ? query.FruIds.Select(frus.Get).OfType<HardwareFru>()
            : query.SerialNumbers.Count > 0 ? frus.Find(f => query.SerialNumbers.Contains(f.SerialNumber!))
            : frus.All();
        return candidates.DistinctBy(f => f.FRUID)
            .Where(f => query.Types.Count == 0 || query.Types.Contains(f.Type))
            .Where(f => FruMatches(f, query.Manufacturers, query.PartNumbers, query.SerialNumbers))
            .OrderBy(f => f.FRUID, StringComparer.Ordinal).ToList();
    });

    public HardwareFru GetFru(string fruid) => store.Read(s => s.Collection<HardwareFru>().Get(fruid)) ?? throw NoSuchFru(fruid);

    public void DeleteFru(string fruid)
    {
        if (!store.Write(s => s.Collection<HardwareFru>().Delete(fruid))) throw NoSuchFru(fruid);
    }

    public int DeleteAllFrus() => store.Write(s => s.Collection<HardwareFru>().DeleteAll());

    /// <summary>History events, oldest first (then by location).</summary>
    public IReadOnlyList<HardwareHistoryEntry> History(HardwareHistoryQuery? query = null) => store.Read(s =>
    {
        query ??= new HardwareHistoryQuery();
        var history = s.Collection<HardwareHistoryEntry>();
        var frus = s.Collection<HardwareFru>();
        var ids = query.Ids.Select(i => Xname.TryParse(i, out var id, out _) ? id : i).Distinct().ToList();
        var fruids = query.FruIds.Distinct().ToList();
        IEnumerable<HardwareHistoryEntry> candidates = ids.Count > 0 ? history.Find(h => ids.Contains(h.ID))
            : fruids.Count > 0 ? history.Find(h => fruids.Contains(h.FRUID))
            : history.All();
        var needFru = query.Manufacturers.Count > 0 || query.PartNumbers.Count > 0 || query.SerialNumbers.Count > 0;
        var fruCache = new Dictionary<string, HardwareFru?>(StringComparer.Ordinal);
        return candidates
            .Where(h => fruids.Count == 0 || fruids.Contains(h.FRUID))
            .Where(h => query.EventTypes.Count == 0 || query.EventTypes.Contains(h.EventType, StringComparer.OrdinalIgnoreCase))
            .Where(h => (query.StartTime is not { } start || h.Timestamp.ToUniversalTime() >= start) && (query.EndTime is not { } end || h.Timestamp.ToUniversalTime() <= end))
            .Where(h => query.Types.Count == 0 || query.Types.Contains(Xname.GetHmsType(h.ID)))
            .Where(h => query.XnameMatch?.Invoke(h.ID) ?? true)
            .Where(h => !needFru || FruMatches(fruCache.TryGetValue(h.FRUID, out var f) ? f : fruCache[h.FRUID] = frus.Get(h.FRUID),
                query.Manufacturers, query.PartNumbers, query.SerialNumbers))
            .OrderBy(h => h.Timestamp).ThenBy(h => h.ID, XnameComparer.Instance).ThenBy(h => h.Key, StringComparer.Ordinal).ToList();
    });

    /// <summary>Deletes the history of one location (<paramref name="byFru"/> false) or one FRU; the count deleted.</summary>
    public int DeleteHistory(string id, bool byFru)
    {
        if (!byFru) id = ParseXname(id);
        return store.Write(s => byFru
            ? s.Collection<HardwareHistoryEntry>().DeleteMany(h => h.FRUID == id)
            : s.Collection<HardwareHistoryEntry>().DeleteMany(h => h.ID == id));
    }

    private static bool FruMatches(HardwareFru? fru, List<string> manufacturers, List<string> partNumbers, List<string> serials) =>
        (manufacturers.Count == 0 || manufacturers.Contains(fru?.Manufacturer ?? string.Empty, StringComparer.OrdinalIgnoreCase))
        && (partNumbers.Count == 0 || partNumbers.Contains(fru?.PartNumber ?? string.Empty, StringComparer.OrdinalIgnoreCase))
        && (serials.Count == 0 || serials.Contains(fru?.SerialNumber ?? string.Empty, StringComparer.Ordinal));

    private static string ParseXname(string xname) =>
        Xname.TryParse(xname, out var id, out _) ? id : throw ChamiException.Invalid("InvalidXname", "invalid xname", xname);

    private static ChamiException NoSuchXname(string xname) => ChamiException.NotFound("HardwareNotFound", "no such xname.", xname);

    private static ChamiException NoSuchFru(string fruid) => ChamiException.NotFound("FruNotFound", "no such FRU ID.", fruid);
}
