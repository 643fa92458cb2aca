using System.Text.Json.Nodes;
using OpenChami.Core.Inventory.Hardware;
using OpenChami.Core.Xnames;

namespace OpenChami.Core.Http.Smd;

/// <summary>
/// Upstream SMD's hardware inventory JSON (spec/smd.md §2.11): HWInvByLoc
/// <c>{ID,Type,Ordinal,Status,HWInventoryByLocationType,&lt;Type&gt;LocationInfo,PopulatedFRU}</c> and HWInvByFRU
/// <c>{FRUID,Type,FRUSubtype,HWInventoryByFRUType,&lt;Type&gt;FRUInfo}</c>, whose info keys are named after the type.
/// </summary>
public static class HardwareWire
{
    public static JsonObject Location(HardwareItem item)
    {
        var l = item.Location;
        var json = new JsonObject
        {
            ["ID"] = l.ID,
            ["Type"] = l.Type.ToString(),
            ["Ordinal"] = l.Ordinal,
            ["Status"] = l.Status,
            ["HWInventoryByLocationType"] = $"HWInvByLoc{l.Type}",
        };
        if (Parse(l.LocationInfo) is { } info) json[$"{l.Type}LocationInfo"] = info;
        if (item.Fru is { } fru) json["PopulatedFRU"] = Fru(fru);
        return json;
    }

    public static JsonObject Fru(HardwareFru fru)
    {
        var json = new JsonObject
        {
            ["FRUID"] = fru.FRUID,
            ["Type"] = fru.Type.ToString(),
            ["FRUSubtype"] = fru.FRUSubtype,
            ["HWInventoryByFRUType"] = $"HWInvByFRU{fru.Type}",
        };
        if (Parse(fru.FRUInfo) is { } info) json[$"{fru.Type}FRUInfo"] = info;
        return json;
    }

    public static JsonArray Locations(IEnumerable<HardwareItem> items) => new(items.Select(i => (JsonNode)Location(i)).ToArray());

    public static JsonArray Frus(IEnumerable<HardwareFru> frus) => new(frus.Select(f => (JsonNode)Fru(f)).ToArray());

    /// <summary>
    /// Upstream's SystemHWInventory (the answer of <c>/Inventory/Hardware/Query/{xname}</c>): <c>{"XName","Format",
    /// "&lt;plural&gt;":[..]}</c>. <c>FullyFlat</c> lists every location in its type's array; <c>NestNodesOnly</c> (the
    /// default) puts a node's processors, accelerators, memory, drives and HSN NICs inside the node's entry instead.
    /// </summary>
    public static JsonObject SystemInventory(string xname, string format, IReadOnlyList<HardwareItem> items)
    {
        var json = new JsonObject { ["XName"] = xname, ["Format"] = format };
        var nest = format == QueryFormats.NestNodesOnly;
        var nodes = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var item in items.Where(i => i.Location.Type == HmsType.Node))
        {
            nodes[item.Location.ID] = Location(item);
        }
        foreach (var item in items)
        {
            var location = item.Location.Type == HmsType.Node ? nodes[item.Location.ID] : Location(item);
            var plural = Plural(item.Location.Type);
            var owner = nest && item.Location.Type != HmsType.Node && item.Location.Ancestors.FirstOrDefault(nodes.ContainsKey) is { } node ? nodes[node] : json;
            if (owner[plural] is not JsonArray list) owner[plural] = list = [];
            list.Add(location);
        }
        return json;
    }

    /// <summary>Upstream's array names in SystemHWInventory.</summary>
    private static string Plural(HmsType type) => type switch
    {
        HmsType.Memory => "Memory",
        HmsType.Chassis => "Chassis",
        HmsType.NodeHsnNic => "NodeHsnNics",
        HmsType.NodeEnclosurePowerSupply => "NodeEnclosurePowerSupplies",
        HmsType.NodeAccelRiser => "NodeAccelRisers",
        _ => type + "s",
    };

    private static JsonNode? Parse(string? text) => string.IsNullOrEmpty(text) ? null : JsonNode.Parse(text);

    public static class QueryFormats
    {
        public const string FullyFlat = "FullyFlat";
        public const string NestNodesOnly = "NestNodesOnly";
        public const string Hierarchical = "Hierarchical";
    }
}
