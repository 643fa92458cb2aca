using System.Text.Json.Nodes;
using OpenChami.Core.Model;

namespace OpenChami.Core.Tests.Discovery;

/// <summary>
/// What a correct discovery of a mockup finds, computed from the mockup's JSON files alone (never from our
/// walker): Systems-collection members in order, their UUIDs, valid MACs and allowed reset types.
/// </summary>
internal sealed record MockupExpectation(string Folder, string? RootUuid, IReadOnlyList<ExpectedSystem> Systems)
{
    public const string MockupsRoot = "/work/shared/redfish-mockups";

    public static IEnumerable<string> Folders() =>
        Directory.EnumerateDirectories(MockupsRoot).Where(d => File.Exists(Path.Combine(d, "index.json"))).Order();

    public static MockupExpectation Load(string folder)
    {
        var root = Read(folder, "/redfish/v1");
        var systems = new List<ExpectedSystem>();
        var collection = Read(folder, (string)root["Systems"]!["@odata.id"]!);
        foreach (var member in collection["Members"]!.AsArray())
        {
            var path = ((string)member!["@odata.id"]!).TrimEnd('/');
            var system = Read(folder, path);
            var macs = new List<string>();
            if (system["EthernetInterfaces"]?["@odata.id"] is JsonValue nicsLink)
            {
                foreach (var nicMember in Read(folder, (string)nicsLink!)["Members"]!.AsArray())
                {
                    var nic = Read(folder, (string)nicMember!["@odata.id"]!);
                    var text = (string?)nic["MACAddress"];
                    if (!MacAddress.TryNormalize(text, out var mac)) MacAddress.TryNormalize((string?)nic["PermanentMACAddress"], out mac);
                    if (mac.Length > 0 && !macs.Contains(mac)) macs.Add(mac);
                }
            }
            var reset = system["Actions"]?["#ComputerSystem.Reset"];
            var resetTypes = reset?["ResetType@Redfish.AllowableValues"]?.AsArray().Select(v => (string)v!).ToList();
            if (resetTypes is null && reset?["@Redfish.ActionInfo"] is JsonValue infoLink)
            {
                var parameter = Read(folder, (string)infoLink!)["Parameters"]!.AsArray().First(p => (string?)p!["Name"] == "ResetType");
                resetTypes = parameter!["AllowableValues"]!.AsArray().Select(v => (string)v!).ToList();
            }
            systems.Add(new ExpectedSystem(path, (string?)system["UUID"], (string?)system["SerialNumber"], macs, resetTypes ?? [],
                (string?)reset?["target"]));
        }
        return new MockupExpectation(folder, (string?)root["UUID"], systems);
    }

    /// <summary>Short-form mockup layout: /redfish/v1/&lt;path&gt; is &lt;folder&gt;/&lt;path&gt;/index.json.</summary>
    private static JsonObject Read(string folder, string odataId)
    {
        var relative = odataId.TrimEnd('/');
        relative = relative.Length <= "/redfish/v1".Length ? string.Empty : relative["/redfish/v1/".Length..];
        return JsonNode.Parse(File.ReadAllText(Path.Combine(folder, relative, "index.json")))!.AsObject();
    }
}

internal sealed record ExpectedSystem(string Path, string? Uuid, string? Serial, IReadOnlyList<string> Macs, IReadOnlyList<string> ResetTypes, string? ResetTarget);
