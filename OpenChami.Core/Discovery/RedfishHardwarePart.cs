using System.Text.Json.Nodes;
using OpenChami.Core.Xnames;

namespace OpenChami.Core.Discovery;

/// <summary>
/// One piece of hardware the walk read (spec/discovery-power.md §2.9): a node (its System), processor, accelerator,
/// DIMM, drive, HSN NIC, node enclosure (a Chassis) or power supply, with the Redfish fields upstream SMD keeps as
/// location and FRU information. Xnames are given later by the writer, which knows the BMC's and the nodes' names.
/// </summary>
public sealed class RedfishHardwarePart
{
    /// <summary>The resource path (<c>/redfish/v1/Systems/Node0/Memory/DIMM3</c>), or the System/Chassis path for a node or enclosure.</summary>
    public required string Path { get; init; }

    public required HmsType Type { get; init; }

    /// <summary>The System (node parts) or Chassis (power supplies) this part belongs to.</summary>
    public required string Owner { get; init; }

    /// <summary>Place among its siblings of the same type under <see cref="Owner"/> (0-based, member order).</summary>
    public int Ordinal { get; set; }

    /// <summary>Drives only: which Storage resource of the System holds it (0-based), the StorageGroup ordinal.</summary>
    public int Group { get; set; }

    /// <summary>Redfish <c>Status.State</c> is <c>Absent</c>: an empty slot (a location without a FRU).</summary>
    public bool Absent { get; set; }

    public string? Manufacturer { get; set; }

    public string? Model { get; set; }

    public string? PartNumber { get; set; }

    public string? SerialNumber { get; set; }

    /// <summary>Upstream's FRUSubtype (e.g. a processor's <c>ProcessorType</c>, a drive's <c>MediaType</c>), or empty.</summary>
    public string Subtype { get; set; } = string.Empty;

    public JsonObject LocationInfo { get; init; } = [];

    public JsonObject FruInfo { get; init; } = [];

    public override string ToString() => $"{Type} {Path}";
}
