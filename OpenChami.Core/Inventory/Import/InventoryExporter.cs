using System.Text;
using System.Text.Json;
using OpenChami.Core.Model;
using OpenChami.Core.Serialization;
using OpenChami.Core.Storage;
using OpenChami.Core.Xnames;

namespace OpenChami.Core.Inventory.Import;

/// <summary>Export-ChamiInventory: the inventory as one <see cref="InventoryDocument"/>.</summary>
internal static class InventoryExporter
{
    /// <summary>Every inventory collection in a stable order (no secrets).</summary>
    public static InventoryDocument Read(IStoreSession s)
    {
        var groupMembers = GroupService.AllMembers(s);
        var partitionMembers = PartitionService.AllMembers(s);
        return new InventoryDocument
        {
            Components = s.Collection<Component>().All().OrderBy(c => c.ID, XnameComparer.Instance).ThenBy(c => c.ID, StringComparer.Ordinal).ToList(),
            EthernetInterfaces = s.Collection<EthernetInterface>().All().OrderBy(e => e.ID, StringComparer.Ordinal).ToList(),
            Groups = s.Collection<Group>().All().Select(g => GroupService.WithMembers(g, groupMembers[g.Label])).OrderBy(g => g.Label, StringComparer.Ordinal).ToList(),
            Partitions = s.Collection<Partition>().All().Select(p => PartitionService.WithMembers(p, partitionMembers[p.Name])).OrderBy(p => p.Name, StringComparer.Ordinal).ToList(),
            RedfishEndpoints = s.Collection<RedfishEndpoint>().All().OrderBy(r => r.ID, XnameComparer.Instance).ThenBy(r => r.ID, StringComparer.Ordinal).ToList(),
            ComponentEndpoints = s.Collection<ComponentEndpoint>().All().OrderBy(c => c.ID, XnameComparer.Instance).ThenBy(c => c.ID, StringComparer.Ordinal).ToList(),
            ServiceEndpoints = s.Collection<ServiceEndpoint>().All().OrderBy(e => e.Key, StringComparer.Ordinal).ToList(),
        };
    }

    public static string ToJson(InventoryDocument document) => JsonSerializer.Serialize(document, ChamiJson.Indented) + "\n";

    public static void WriteFile(string path, InventoryDocument document)
    {
        var json = ToJson(document);
        // Write beside the target and rename, so a failed export never leaves half a file.
        var full = System.IO.Path.GetFullPath(path);
        var temp = full + ".tmp";
        File.WriteAllText(temp, json, new UTF8Encoding(false));
        File.Move(temp, full, overwrite: true);
    }
}
