using System.Text;
using System.Text.Json.Nodes;

namespace OpenChami.Core.Tests.Support;

/// <summary>
/// Builds the SchemaVersion 1 record discovery would send for one of the published mockups in
/// /work/shared/redfish-mockups (read-only data): Systems and Managers with their NICs and reset values,
/// taking AllowableValues inline or from the ResetActionInfo resource, as a Redfish walk does.
/// </summary>
public static class RedfishMockup
{
    public static string Root
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            for (var i = 0; i < 10 && dir is not null; i++, dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "shared", "redfish-mockups");
                if (Directory.Exists(candidate)) return candidate;
            }
            return Environment.GetEnvironmentVariable("OPENCHAMI_REDFISH_MOCKUPS") ?? "/work/shared/redfish-mockups";
        }
    }

    public static JsonNode Resource(string mockup, string odataId)
    {
        var relative = odataId.Replace("/redfish/v1", string.Empty, StringComparison.Ordinal).Trim('/');
        var file = Path.Combine(Root, mockup, relative, "index.json");
        return JsonNode.Parse(File.ReadAllText(file))!;
    }

    /// <summary>The record for <paramref name="mockup"/> served at <paramref name="host"/> (absolute URIs, as magellan sends).</summary>
    public static JsonObject BuildRecord(string mockup, string bmcXname, string host)
    {
        var root = Resource(mockup, "/redfish/v1");
        var systems = new JsonArray();
        foreach (var member in Resource(mockup, "/redfish/v1/Systems")["Members"]!.AsArray())
        {
            var path = (string)member!["@odata.id"]!;
            var system = Resource(mockup, path);
            var reset = system["Actions"]?["#ComputerSystem.Reset"];
            var allowed = reset?["ResetType@Redfish.AllowableValues"]?.AsArray().Select(v => (string)v!).ToList();
            if (allowed is null && reset?["@Redfish.ActionInfo"] is { } info)
            {
                allowed = Resource(mockup, (string)info!)["Parameters"]!.AsArray()
                    .First(p => (string?)p!["Name"] == "ResetType")!["AllowableValues"]!.AsArray().Select(v => (string)v!).ToList();
            }
            systems.Add(new JsonObject
            {
                ["uri"] = $"https://{host}{path}",
                ["uuid"] = (string?)system["UUID"] ?? "",
                ["name"] = (string?)system["Name"],
                ["system_type"] = (string?)system["SystemType"],
                ["manufacturer"] = (string?)system["Manufacturer"],
                ["serial"] = (string?)system["SerialNumber"],
                ["power"] = new JsonObject { ["state"] = (string?)system["PowerState"] },
                ["actions"] = new JsonArray((allowed ?? []).Select(a => (JsonNode)a).ToArray()),
                ["links"] = new JsonObject { ["chassis"] = new JsonArray((system["Links"]?["Chassis"]?.AsArray() ?? []).Select(c => (JsonNode)(string)c!["@odata.id"]!).ToArray()) },
                ["ethernet_interfaces"] = Interfaces(mockup, host, system),
            });
        }
        var managers = new JsonArray();
        foreach (var member in Resource(mockup, "/redfish/v1/Managers")["Members"]!.AsArray())
        {
            var path = (string)member!["@odata.id"]!;
            var manager = Resource(mockup, path);
            managers.Add(new JsonObject
            {
                ["uri"] = $"https://{host}{path}",
                ["uuid"] = (string?)manager["UUID"] ?? "",
                ["name"] = (string?)manager["Name"],
                ["type"] = (string?)manager["ManagerType"],
                ["firmware_version"] = (string?)manager["FirmwareVersion"],
                ["actions"] = new JsonArray((manager["Actions"]?["#Manager.Reset"]?["ResetType@Redfish.AllowableValues"]?.AsArray() ?? []).Select(v => (JsonNode)(string)v!).ToArray()),
                ["ethernet_interfaces"] = Interfaces(mockup, host, manager),
            });
        }
        return new JsonObject
        {
            ["ID"] = bmcXname,
            ["Type"] = "NodeBMC",
            ["FQDN"] = host,
            ["IPAddress"] = host.Split(':')[0],
            ["User"] = "admin",
            ["MACRequired"] = true,
            ["RediscoverOnUpdate"] = false,
            ["SchemaVersion"] = 1,
            ["UUID"] = (string?)root["UUID"],
            ["RedfishVersion"] = (string?)root["RedfishVersion"],
            ["Systems"] = systems,
            ["Managers"] = managers,
        };
    }

    private static JsonArray Interfaces(string mockup, string host, JsonNode resource)
    {
        var result = new JsonArray();
        if (resource["EthernetInterfaces"]?["@odata.id"] is not { } collection) return result;
        foreach (var member in Resource(mockup, (string)collection!)["Members"]!.AsArray())
        {
            var path = (string)member!["@odata.id"]!;
            var nic = Resource(mockup, path);
            var ip = nic["IPv4Addresses"]?.AsArray().Select(a => (string?)a?["Address"]).FirstOrDefault(a => !string.IsNullOrEmpty(a));
            result.Add(new JsonObject
            {
                ["uri"] = $"https://{host}{path}",
                ["mac"] = (string?)nic["MACAddress"],
                ["ip"] = ip,
                ["name"] = (string?)nic["Name"],
                ["description"] = (string?)nic["Description"],
                ["enabled"] = (bool?)nic["InterfaceEnabled"],
            });
        }
        return result;
    }
}

/// <summary>Writes ochami nodes.yaml files (current format) of any size: 2 nodes per BMC.</summary>
public static class NodesYaml
{
    public static string Generate(int nodes, int nodesPerBmc = 2, bool withBmcs = true)
    {
        var sb = new StringBuilder();
        var bmcCount = (nodes + nodesPerBmc - 1) / nodesPerBmc;
        if (withBmcs)
        {
            sb.Append("bmcs:\n");
            for (var b = 0; b < bmcCount; b++)
            {
                var (x, slot) = Location(b);
                sb.Append($"- name: bmc{b:D5}\n  xname: x{x}c0s{slot}b0\n  mac: de:ca:{b >> 16 & 0xff:x2}:{b >> 8 & 0xff:x2}:{b & 0xff:x2}:e1\n  ip: 172.16.{b >> 8 & 0xff}.{b & 0xff}\n");
            }
        }
        sb.Append("nodes:\n");
        for (var n = 0; n < nodes; n++)
        {
            var b = n / nodesPerBmc;
            var (x, slot) = Location(b);
            sb.Append($"- name: compute{n + 1}\n  nid: {n + 1}\n  xname: x{x}c0s{slot}b0n{n % nodesPerBmc}\n");
            if (withBmcs) sb.Append($"  bmc: bmc{b:D5}\n");
            sb.Append($"  groups: [compute{(n % 2 == 0 ? ", even" : "")}]\n");
            sb.Append("  interfaces:\n");
            sb.Append($"  - mac_addr: 52:54:{n >> 16 & 0xff:x2}:{n >> 8 & 0xff:x2}:{n & 0xff:x2}:01\n    ip_addrs:\n    - name: management\n      ip_addr: 10.{n >> 16 & 0xff}.{n >> 8 & 0xff}.{n & 0xff}\n");
            sb.Append($"  - mac_addr: 02:00:{n >> 16 & 0xff:x2}:{n >> 8 & 0xff:x2}:{n & 0xff:x2}:02\n    ip_addrs:\n    - name: hsn\n      ip_addr: 192.168.{n >> 8 & 0xff}.{n & 0xff}\n    - name: hsn2\n      ip_addr: 192.169.{n >> 8 & 0xff}.{n & 0xff}\n");
        }
        return sb.ToString();
    }

    private static (int Cabinet, int Slot) Location(int bmc) => (1000 + bmc / 64, bmc % 64);
}
