using System.Globalization;
using OpenChami.Core.Discovery;
using OpenChami.Core.Storage;
using OpenChami.Core.Xnames;

namespace OpenChami.Core.Inventory.Hardware;

/// <summary>
/// Writes one discovered BMC's hardware into the inventory, in the discovery's transaction (spec/discovery-power.md §2.9):
/// names every part in upstream's xname scheme under the node or enclosure it belongs to, upserts FRUs and locations, and
/// appends a history event per location — Added, Removed, or Scanned when the same FRU is seen again. Reads only this
/// BMC's previous locations (an index read), so the cost per BMC does not grow with the inventory.
/// </summary>
internal static class HardwareInventoryWriter
{
    public sealed record Result(int Added, int Removed, int Scanned, IReadOnlyList<string> Warnings);

    public static Result Apply(IStoreSession session, RedfishBmcInventory inventory, string bmc, IReadOnlyList<string> nodes, DateTime now)
    {
        var warnings = new List<string>();
        var located = Locate(inventory, bmc, nodes, warnings);
        var locations = session.Collection<HardwareLocation>();
        var frus = session.Collection<HardwareFru>();
        var history = session.Collection<HardwareHistoryEntry>();
        var previous = locations.Find(l => l.RedfishEndpointID == bmc).ToDictionary(l => l.ID, StringComparer.Ordinal);
        int added = 0, removed = 0, scanned = 0;

        void Event(string xname, string fruid, string eventType)
        {
            history.Upsert(new HardwareHistoryEntry
            {
                Key = HardwareHistoryEntry.KeyOf(xname, now, eventType, fruid), ID = xname, FRUID = fruid, Timestamp = now, EventType = eventType,
            });
        }

        var endpoints = session.Collection<Model.RedfishEndpoint>();
        var foreign = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (xname, part) in located)
        {
            if (foreign.Count > 0 && AncestorsOf(xname).Any(foreign.Contains)) continue; // below a location left to another BMC
            var before = previous.GetValueOrDefault(xname) ?? locations.Get(xname);
            if (before is not null && before.RedfishEndpointID != bmc && endpoints.Exists(before.RedfishEndpointID))
            {
                // Another BMC's discovery inventoried this location (BMCs sharing a slot share its enclosure): it stays
                // theirs, as a MAC stays with its first owner, so two BMCs never take a location back and forth.
                warnings.Add($"{part.Path}: hardware location {xname} is inventoried by {before.RedfishEndpointID}; left there");
                foreign.Add(xname);
                continue;
            }
            string? fruid = null;
            if (!part.Absent)
            {
                fruid = FruId.For(part.Type, xname, part.Manufacturer, part.PartNumber, part.Model, part.SerialNumber);
                var fru = new HardwareFru
                {
                    FRUID = fruid, Type = part.Type, FRUSubtype = part.Subtype, FRUInfo = part.FruInfo.ToJsonString(),
                    Manufacturer = part.Manufacturer, Model = part.Model, PartNumber = part.PartNumber, SerialNumber = part.SerialNumber,
                };
                frus.WriteIfChanged(frus.Get(fruid), fru);
            }
            previous.Remove(xname);
            var location = new HardwareLocation
            {
                ID = xname, Type = part.Type, Ordinal = OrdinalOf(xname), Status = fruid is null ? HardwareStatus.Empty : HardwareStatus.Populated,
                FRUID = fruid, LocationInfo = part.LocationInfo.ToJsonString(), RedfishEndpointID = bmc, OdataID = part.Path, Ancestors = AncestorsOf(xname),
            };
            locations.WriteIfChanged(before, location);

            if (before?.FRUID is { } old && old == fruid)
            {
                Event(xname, old, HardwareEventType.Scanned);
                scanned++;
                continue;
            }
            if (before?.FRUID is { } gone)
            {
                Event(xname, gone, HardwareEventType.Removed);
                removed++;
            }
            if (fruid is not null)
            {
                Event(xname, fruid, HardwareEventType.Added);
                added++;
            }
        }
        // Locations this BMC had last time and no longer reports: their FRUs left.
        foreach (var gone in previous.Values)
        {
            if (gone.FRUID is not null)
            {
                Event(gone.ID, gone.FRUID, HardwareEventType.Removed);
                removed++;
            }
            locations.Delete(gone.ID);
        }
        return new Result(added, removed, scanned, warnings);
    }

    /// <summary>Xname of every part (upstream's scheme, spec/smd.md §2.11); a part with no valid name is a warning, not an error.</summary>
    private static List<(string Xname, RedfishHardwarePart Part)> Locate(RedfishBmcInventory inventory, string bmc, IReadOnlyList<string> nodes, List<string> warnings)
    {
        var nodeOf = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < inventory.Systems.Count && i < nodes.Count; i++) nodeOf[inventory.Systems[i].Path] = nodes[i];
        var slot = Xname.GetParent(bmc);
        var slotIsModule = slot is not null && Xname.GetHmsType(slot) == HmsType.ComputeModule;
        var enclosureOf = new Dictionary<string, string>(StringComparer.Ordinal);
        var drivesInGroup = new Dictionary<(string, int), int>();
        var result = new List<(string, RedfishHardwarePart)>();
        foreach (var part in inventory.Hardware)
        {
            string? xname = part.Type switch
            {
                HmsType.Node => nodeOf.GetValueOrDefault(part.Owner),
                HmsType.NodeEnclosure => slotIsModule ? enclosureOf[part.Owner] = $"{slot}e{N(part.Ordinal)}" : null,
                HmsType.NodeEnclosurePowerSupply => enclosureOf.TryGetValue(part.Owner, out var enclosure) ? $"{enclosure}t{N(part.Ordinal)}" : null,
                _ when nodeOf.GetValueOrDefault(part.Owner) is not { } node => null,
                HmsType.Processor => $"{nodeOf[part.Owner]}p{N(part.Ordinal)}",
                HmsType.NodeAccel => $"{nodeOf[part.Owner]}a{N(part.Ordinal)}",
                HmsType.Memory => $"{nodeOf[part.Owner]}d{N(part.Ordinal)}",
                HmsType.NodeHsnNic => $"{nodeOf[part.Owner]}h{N(part.Ordinal)}",
                HmsType.Drive => $"{nodeOf[part.Owner]}g{N(part.Group)}k{N(NextDrive(drivesInGroup, part))}",
                _ => null,
            };
            if (xname is null || !Xname.TryParse(xname, out var normalized, out var type) || type != part.Type)
            {
                warnings.Add($"{part.Path}: no {part.Type} xname for it under {bmc}{(xname is null ? string.Empty : $" ({xname} is out of range)")}; left out of the hardware inventory");
                continue;
            }
            result.Add((normalized, part));
        }
        return result;
    }

    private static int NextDrive(Dictionary<(string, int), int> counts, RedfishHardwarePart part)
    {
        var key = (part.Owner, part.Group);
        var next = counts.GetValueOrDefault(key);
        counts[key] = next + 1;
        return next;
    }

    private static string N(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Upstream's Ordinal: the number of the xname's last segment.</summary>
    private static int OrdinalOf(string xname)
    {
        var end = xname.Length;
        var start = end;
        while (start > 0 && char.IsAsciiDigit(xname[start - 1])) start--;
        return int.TryParse(xname.AsSpan(start, end - start), NumberStyles.None, CultureInfo.InvariantCulture, out var ordinal) ? ordinal : 0;
    }

    public static List<string> AncestorsOf(string xname)
    {
        var ancestors = new List<string>();
        for (var parent = Xname.GetParent(xname); parent is not null && parent != "s0"; parent = Xname.GetParent(parent)) ancestors.Add(parent);
        return ancestors;
    }
}
