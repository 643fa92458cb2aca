using System.Text.Json.Serialization;
using OpenChami.Core.Xnames;

namespace OpenChami.Core.Inventory.Hardware;

/// <summary>
/// One hardware location (upstream SMD's HWInvByLoc, spec/smd.md §2.11): an xname where a part sits, whether it is
/// populated, and the FRU there. Stored keyed by xname; <see cref="RedfishEndpointID"/> and <see cref="Ancestors"/> are
/// indexed so a rediscovery reads only its own BMC's locations and a subtree query only its subtree.
/// </summary>
public sealed class HardwareLocation
{
    public string ID { get; set; } = string.Empty;

    public HmsType Type { get; set; }

    public int Ordinal { get; set; }

    /// <summary><c>Populated</c> or <c>Empty</c>.</summary>
    public string Status { get; set; } = HardwareStatus.Populated;

    /// <summary>The FRU at this location, or null for an empty one.</summary>
    public string? FRUID { get; set; }

    /// <summary>The <c>&lt;Type&gt;LocationInfo</c> object as JSON text (Redfish names and value types kept).</summary>
    public string? LocationInfo { get; set; }

    /// <summary>The BMC whose discovery found it.</summary>
    public string RedfishEndpointID { get; set; } = string.Empty;

    /// <summary>The Redfish resource it was read from.</summary>
    public string? OdataID { get; set; }

    /// <summary>Every ancestor xname (parent first): the index of <c>/Inventory/Hardware/Query/{xname}</c>.</summary>
    public List<string> Ancestors { get; set; } = [];

    public override string ToString() => ID;
}

/// <summary>A field-replaceable unit (upstream's HWInvByFRU): identified by its FRUID wherever it sits.</summary>
public sealed class HardwareFru
{
    public string FRUID { get; set; } = string.Empty;

    public HmsType Type { get; set; }

    public string FRUSubtype { get; set; } = string.Empty;

    /// <summary>The <c>&lt;Type&gt;FRUInfo</c> object as JSON text.</summary>
    public string? FRUInfo { get; set; }

    public string? Manufacturer { get; set; }

    public string? Model { get; set; }

    public string? PartNumber { get; set; }

    public string? SerialNumber { get; set; }

    public override string ToString() => FRUID;
}

/// <summary>One hardware history event (upstream's HWInvHist): what happened to which FRU at which location, when.</summary>
public sealed class HardwareHistoryEntry
{
    /// <summary>Storage key <c>&lt;xname&gt;/&lt;ticks&gt;/&lt;event&gt;/&lt;FRUID&gt;</c>; not on the wire.</summary>
    [JsonIgnore]
    public string Key { get; set; } = string.Empty;

    public string ID { get; set; } = string.Empty;

    public string FRUID { get; set; } = string.Empty;

    public DateTime Timestamp { get; set; }

    public string EventType { get; set; } = string.Empty;

    public static string KeyOf(string id, DateTime timestamp, string eventType, string fruid) =>
        $"{id}/{timestamp.ToUniversalTime().Ticks:D19}/{eventType}/{fruid}";
}

/// <summary>Upstream's location status values.</summary>
public static class HardwareStatus
{
    public const string Populated = "Populated";
    public const string Empty = "Empty";
}

/// <summary>Upstream's history event types (hms-smd pkg/sm/hwinvhist.go).</summary>
public static class HardwareEventType
{
    /// <summary>A FRU appeared at a location (first discovery, or a different FRU than before).</summary>
    public const string Added = "Added";

    /// <summary>A FRU left a location (replaced, or the location is gone).</summary>
    public const string Removed = "Removed";

    /// <summary>A rediscovery found the same FRU at the same location.</summary>
    public const string Scanned = "Scanned";

    /// <summary>Upstream: a FRU reported by a Redfish event outside a scan. OpenChami takes no BMC events, so it never writes it.</summary>
    public const string Detected = "Detected";

    public static readonly IReadOnlyList<string> All = [Added, Removed, Scanned, Detected];

    /// <summary>The canonical spelling of <paramref name="value"/> (case-insensitive), or null.</summary>
    public static string? Canonical(string? value) => All.FirstOrDefault(e => e.Equals(value?.Trim(), StringComparison.OrdinalIgnoreCase));
}
