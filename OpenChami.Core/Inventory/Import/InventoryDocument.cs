using OpenChami.Core.Model;

namespace OpenChami.Core.Inventory.Import;

/// <summary>
/// <c>Export-ChamiInventory</c>'s JSON: every inventory collection, sorted, without secrets (RFE Password is always "").
/// Importing it into an empty database and exporting again gives the same bytes.
/// </summary>
public sealed class InventoryDocument
{
    public const string FormatName = "openchami-inventory";

    public string Format { get; set; } = FormatName;

    public int Version { get; set; } = 1;

    public List<Component> Components { get; set; } = [];

    public List<EthernetInterface> EthernetInterfaces { get; set; } = [];

    public List<Group> Groups { get; set; } = [];

    public List<Partition> Partitions { get; set; } = [];

    public List<RedfishEndpoint> RedfishEndpoints { get; set; } = [];

    public List<ComponentEndpoint> ComponentEndpoints { get; set; } = [];

    public List<ServiceEndpoint> ServiceEndpoints { get; set; } = [];
}
