using OpenChami.Core.Inventory;
using OpenChami.Core.Inventory.Hardware;
using OpenChami.Core.Model;
using OpenChami.Core.Storage;

namespace OpenChami.Core.Discovery;

/// <summary>
/// What a walk found beyond SMD's SchemaVersion 1 record, written in the BMC's transaction (spec/discovery-power.md §2.9):
/// a ServiceEndpoint per Redfish service the root links, and the hardware inventory with its history.
/// </summary>
internal static class DiscoveredHardware
{
    /// <summary>Writes both; returns the change lines for the discovery result (Scanned events are not changes).</summary>
    public static List<string> Write(IStoreSession session, RedfishBmcInventory inventory, string bmc, string fqdn, IReadOnlyList<string> nodes,
        DateTime now, List<string> warnings)
    {
        var changes = new List<string>();
        var services = session.Collection<ServiceEndpoint>();
        foreach (var (service, path) in inventory.Services)
        {
            var key = ServiceEndpoint.KeyOf(service, bmc);
            var endpoint = new ServiceEndpoint
            {
                Key = key, RedfishEndpointID = bmc, RedfishType = service, UUID = inventory.UUID ?? string.Empty, OdataID = path,
                RedfishEndpointFQDN = fqdn, RedfishURL = fqdn + path,
            };
            var action = services.WriteIfChanged(services.Get(key), endpoint);
            if (action != ChangeAction.Unchanged) changes.Add($"{action} {InventoryObjectTypes.ServiceEndpoint} {key}");
        }

        var hardware = HardwareInventoryWriter.Apply(session, inventory, bmc, nodes, now);
        warnings.AddRange(hardware.Warnings);
        if (hardware.Added > 0 || hardware.Removed > 0) changes.Add($"Hardware: {hardware.Added} FRU(s) added, {hardware.Removed} removed");
        return changes;
    }
}
