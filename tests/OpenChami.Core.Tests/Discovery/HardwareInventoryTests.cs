using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using OpenChami.Core.Discovery;
using OpenChami.Core.Inventory.Hardware;
using OpenChami.Core.Model;
using OpenChami.Core.Tests.Support;
using OpenChami.Core.Xnames;
using OpenChami.RedfishFixture;

namespace OpenChami.Core.Tests.Discovery;

/// <summary>
/// Hardware inventory from discovery (spec/discovery-power.md §2.9, spec/smd.md §2.11): the simulator serves the DMTF
/// mockups, expectations are computed from the JSON it serves (never from our walker).
/// </summary>
public sealed class HardwareInventoryTests
{
    private static readonly NetworkCredential Admin = new(RedfishBmcSimulator.DefaultUsername, RedfishBmcSimulator.DefaultPassword);
    private static readonly HashSet<string> Accelerators = new(StringComparer.OrdinalIgnoreCase) { "GPU", "FPGA", "Accelerator", "OEM" };

    internal static DiscoveryOptions Options(TimeProvider? time = null) => new()
    {
        Credentials = BmcCredentialMap.ForAll(Admin),
        ConnectTimeout = TimeSpan.FromSeconds(2),
        ProbeTimeout = TimeSpan.FromSeconds(3),
        RequestTimeout = TimeSpan.FromSeconds(3),
        BmcTimeout = TimeSpan.FromSeconds(60),
        TimeProvider = time ?? TimeProvider.System,
    };

    internal static async Task<DiscoveryResult> DiscoverAsync(ChamiServices services, RedfishBmcSimulator bmc, TimeProvider? time = null)
    {
        var summary = await services.Discovery.DiscoverAsync([new DiscoveryTarget(bmc.Address, bmc.Port, "http")], Options(time));
        var result = Assert.Single(summary.Results);
        Assert.True(result.Status != BmcDiscoveryStatus.Failed, result.Error);
        return result;
    }

    /// <summary>One expected part, from the served JSON.</summary>
    private sealed record Expected(HmsType Type, string? Serial, string? PartNumber, string? Manufacturer, bool Absent = false);

    private static Expected Part(HmsType type, JsonNode? resource) =>
        (string?)resource?["Status"]?["State"] == "Absent"
            ? new(type, null, null, null, Absent: true) // an empty slot: a location without a FRU
            : new(type, Text(resource, "SerialNumber"), Text(resource, "PartNumber"), Text(resource, "Manufacturer"));

    /// <summary>Members of a collection the simulator serves, in order.</summary>
    private static List<JsonObject> Members(RedfishBmcSimulator bmc, JsonNode? link) =>
        link?["@odata.id"] is JsonValue path && bmc.Resources.Get((string)path!) is JsonObject collection
            ? collection["Members"]!.AsArray().Select(m => bmc.Resources.Get((string)m!["@odata.id"]!)).OfType<JsonObject>().ToList()
            : [];

    private static string? Text(JsonNode? node, string name) =>
        node?[name] is JsonValue v && v.TryGetValue<string>(out var s) && s.Trim().Length > 0 && !s.Contains("Not Available", StringComparison.OrdinalIgnoreCase) ? s.Trim() : null;

    /// <summary>Per System (in Systems order): the node and its processors, accelerators, DIMMs and drives, as the JSON says.</summary>
    private static List<(string Path, List<Expected> Parts)> Expect(RedfishBmcSimulator bmc)
    {
        var result = new List<(string, List<Expected>)>();
        foreach (var system in Members(bmc, bmc.Resources.Get("/redfish/v1")!["Systems"]))
        {
            var parts = new List<Expected> { Part(HmsType.Node, system) };
            foreach (var cpu in Members(bmc, system["Processors"]))
            {
                var type = Accelerators.Contains(Text(cpu, "ProcessorType") ?? string.Empty) ? HmsType.NodeAccel : HmsType.Processor;
                parts.Add(Part(type, cpu));
            }
            foreach (var dimm in Members(bmc, system["Memory"]))
            {
                parts.Add(Part(HmsType.Memory, dimm));
            }
            foreach (var storage in Members(bmc, system["Storage"]))
            {
                foreach (var drive in storage["Drives"]!.AsArray().Select(d => bmc.Resources.Get((string)d!["@odata.id"]!)))
                {
                    parts.Add(Part(HmsType.Drive, drive));
                }
            }
            result.Add(((string)system["@odata.id"]!, parts));
        }
        return result;
    }

    /// <summary>Gives the rackmount's System a Storage resource with two drives (the mockup has none), so drives are walked too.</summary>
    private static List<JsonObject> AddDrives(RedfishBmcSimulator bmc, string system)
    {
        var drives = new List<JsonObject>();
        for (var i = 0; i < 2; i++)
        {
            var drive = new JsonObject
            {
                ["@odata.id"] = $"{system}/Storage/1/Drives/{i}", ["Id"] = $"{i}", ["Name"] = $"Drive {i}", ["Manufacturer"] = "Contoso Storage",
                ["Model"] = "CS-960", ["PartNumber"] = $"CS960-{i}", ["SerialNumber"] = $"SN-DRV-{i}7", ["MediaType"] = "SSD", ["CapacityBytes"] = 960197124096L,
            };
            bmc.Resources.Set($"{system}/Storage/1/Drives/{i}", drive);
            drives.Add(drive);
        }
        bmc.Resources.Set($"{system}/Storage", new JsonObject { ["Members"] = new JsonArray(new JsonObject { ["@odata.id"] = $"{system}/Storage/1" }) });
        bmc.Resources.Set($"{system}/Storage/1", new JsonObject
        {
            ["@odata.id"] = $"{system}/Storage/1", ["Id"] = "1",
            ["Drives"] = new JsonArray(drives.Select(d => (JsonNode)new JsonObject { ["@odata.id"] = (string)d["@odata.id"]! }).ToArray()),
        });
        bmc.Resources.Update(system, s => s["Storage"] = new JsonObject { ["@odata.id"] = $"{system}/Storage" });
        return drives;
    }

    [Theory]
    [InlineData("public-rackmount1")]
    [InlineData("EX425")]
    public async Task Discovery_stores_every_part_of_the_mockup_with_its_serial_and_part_number(string mockup)
    {
        await using var farm = await RedfishFixtureFarm.StartAsync(Path.Combine(MockupExpectation.MockupsRoot, mockup), 1);
        var bmc = farm[0];
        var firstSystem = (string)bmc.Resources.Get("/redfish/v1/Systems")!["Members"]![0]!["@odata.id"]!;
        var drives = AddDrives(bmc, firstSystem);
        using var store = TestStores.Create();
        var services = new ChamiServices(store);

        var result = await DiscoverAsync(services, bmc);

        var expected = Expect(bmc);
        Assert.Equal(2, expected[0].Parts.Count(p => p.Type == HmsType.Drive));
        Assert.Equal(drives.Select(d => (string)d["SerialNumber"]!), expected[0].Parts.Where(p => p.Type == HmsType.Drive).Select(p => p.Serial));
        for (var i = 0; i < expected.Count; i++)
        {
            var node = result.Nodes[i];
            var stored = services.Hardware.Subtree(node, children: true, parents: false);
            foreach (var type in new[] { HmsType.Node, HmsType.Processor, HmsType.NodeAccel, HmsType.Memory, HmsType.Drive })
            {
                var want = expected[i].Parts.Where(p => p.Type == type).ToList();
                var got = stored.Where(s => s.Location.Type == type).ToList();
                Assert.Equal(want.Count, got.Count);
                // Member order is xname order: p0, p1 ... d0, d1 ... (compared as sets of serials and part numbers per type).
                Assert.Equal(want.Select(w => w.Serial ?? "").Order(), got.Select(g => g.Fru?.SerialNumber ?? "").Order());
                Assert.Equal(want.Select(w => w.PartNumber ?? "").Order(), got.Select(g => g.Fru?.PartNumber ?? "").Order());
                Assert.Equal(want.Select(w => w.Absent ? HardwareStatus.Empty : HardwareStatus.Populated).Order(), got.Select(g => g.Location.Status).Order());
                Assert.All(got, g => Assert.Equal(type, Xname.GetHmsType(g.Location.ID)));
            }
            // FRU identity: type + manufacturer + part/model + serial; without a serial, bound to the location.
            foreach (var item in stored.Where(s => s.Fru is not null))
            {
                var fru = item.Fru!;
                Assert.Equal(fru.SerialNumber is null ? $"FRUIDfor{item.Location.ID}" : null, fru.SerialNumber is null ? fru.FRUID : null);
                if (fru.SerialNumber is not null) Assert.EndsWith(new string(fru.SerialNumber.Where(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-').ToArray()), fru.FRUID);
                Assert.StartsWith(fru.SerialNumber is null ? "FRUIDfor" : $"{item.Location.Type}.", fru.FRUID);
            }
            // The drives sit in storage group 0 of the first node: ..g0k0, ..g0k1.
            if (i == 0) Assert.Equal([$"{node}g0k0", $"{node}g0k1"], stored.Where(s => s.Location.Type == HmsType.Drive).Select(s => s.Location.ID));
        }
        // First discovery: one Added event per populated location, nothing else.
        var history = services.Hardware.History();
        Assert.All(history, h => Assert.Equal(HardwareEventType.Added, h.EventType));
        Assert.Equal(services.Hardware.Query().Count(i => i.Fru is not null), history.Count);
        // ServiceEndpoints: exactly the services the service root links.
        var root = bmc.Resources.Get("/redfish/v1")!.AsObject();
        var linked = new[] { "AccountService", "EventService", "SessionService", "UpdateService" }.Where(root.ContainsKey)
            .Concat(root.ContainsKey("Tasks") || root.ContainsKey("TaskService") ? ["TaskService"] : []).Order();
        Assert.Equal(linked, services.RedfishEndpoints.QueryServiceEndpoints(endpointXname: result.Xname).Select(s => s.RedfishType).Order());
    }

    [Fact]
    public async Task Rackmount_enclosure_and_power_supplies_come_from_the_chassis()
    {
        await using var farm = await RedfishFixtureFarm.StartAsync(Path.Combine(MockupExpectation.MockupsRoot, "public-rackmount1"), 1);
        var bmc = farm[0];
        using var store = TestStores.Create();
        var services = new ChamiServices(store);
        var result = await DiscoverAsync(services, bmc);

        var chassis = Members(bmc, bmc.Resources.Get("/redfish/v1")!["Chassis"]).Single(c => (string?)c["ChassisType"] == "RackMount");
        var supplies = Members(bmc, bmc.Resources.Get((string)chassis["PowerSubsystem"]!["@odata.id"]!)!["PowerSupplies"]);
        var enclosure = Xname.GetParent(result.Xname!) + "e0";
        var stored = services.Hardware.Get(enclosure);
        Assert.Equal(HmsType.NodeEnclosure, stored.Location.Type);
        Assert.Equal((string?)chassis["SerialNumber"], stored.Fru!.SerialNumber);
        var psus = services.Hardware.Subtree(enclosure, children: true, parents: false).Where(i => i.Location.Type == HmsType.NodeEnclosurePowerSupply).ToList();
        Assert.Equal(supplies.Select(s => (string?)s["SerialNumber"]), psus.Select(p => p.Fru?.SerialNumber));
        Assert.Equal(supplies.Select((_, k) => $"{enclosure}t{k}"), psus.Select(p => p.Location.ID));
    }

    [Fact]
    public async Task Rediscovery_after_a_dimm_swap_records_removed_and_added_and_scans_the_rest()
    {
        await using var farm = await RedfishFixtureFarm.StartAsync(Path.Combine(MockupExpectation.MockupsRoot, "EX425"), 1);
        var bmc = farm[0];
        using var store = TestStores.Create();
        var time = new FakeTimeProvider(TestClock.Epoch);
        var services = new ChamiServices(store) { Time = time };
        var first = await DiscoverAsync(services, bmc, time);
        var node = first.Nodes[0];
        var dimm = services.Hardware.Query().Single(i => i.Location.OdataID == "/redfish/v1/Systems/Node0/Memory/DIMM3").Location.ID;
        Assert.StartsWith($"{node}d", dimm);
        var before = services.Hardware.Get(dimm).Fru!;
        var populated = services.Hardware.Query().Count(i => i.Fru is not null);

        const string NewSerial = "99887766";
        bmc.Resources.Update("/redfish/v1/Systems/Node0/Memory/DIMM3", d => d["SerialNumber"] = NewSerial);
        time.Advance(TimeSpan.FromHours(1));
        var second = await DiscoverAsync(services, bmc, time);

        Assert.Equal(BmcDiscoveryStatus.Updated, second.Status);
        var after = services.Hardware.Get(dimm).Fru!;
        Assert.Equal(NewSerial, after.SerialNumber);
        Assert.NotEqual(before.FRUID, after.FRUID);
        var secondRun = time.GetUtcNow().UtcDateTime;
        var latest = services.Hardware.History(new HardwareHistoryQuery { StartTime = secondRun }).ToList();
        Assert.Equal([(HardwareEventType.Removed, before.FRUID), (HardwareEventType.Added, after.FRUID)],
            latest.Where(h => h.ID == dimm).Select(h => (h.EventType, h.FRUID)).OrderByDescending(e => e.EventType));
        Assert.All(latest.Where(h => h.ID != dimm), h => Assert.Equal(HardwareEventType.Scanned, h.EventType));
        Assert.Equal(populated - 1, latest.Count(h => h.EventType == HardwareEventType.Scanned));
        // The old FRU is still known (it may turn up elsewhere), and its history says where it was.
        Assert.Equal([HardwareEventType.Added, HardwareEventType.Removed], services.Hardware.History(new HardwareHistoryQuery { FruIds = { before.FRUID } }).Select(h => h.EventType));
        Assert.Equal(before.FRUID, services.Hardware.GetFru(before.FRUID).FRUID);
    }

    [Fact]
    public async Task A_malformed_or_missing_hardware_member_loses_that_part_never_the_bmc()
    {
        await using var farm = await RedfishFixtureFarm.StartAsync(Path.Combine(MockupExpectation.MockupsRoot, "EX425"), 1);
        var bmc = farm[0];
        bmc.Resources.Set("/redfish/v1/Systems/Node0/Memory/DIMM2", new JsonArray("not", "a", "memory", "resource"));
        bmc.Resources.Remove("/redfish/v1/Systems/Node0/Memory/DIMM4");
        bmc.Resources.Update("/redfish/v1/Systems/Node0/Memory/DIMM5", d =>
        {
            d["SerialNumber"] = new JsonObject { ["odd"] = true };
            d["CapacityMiB"] = "lots";
            d["MemoryLocation"] = "nowhere";
        });
        bmc.Resources.Update("/redfish/v1/Systems/Node1", s => s["Processors"] = "not a link");
        using var store = TestStores.Create();
        var services = new ChamiServices(store);

        var result = await DiscoverAsync(services, bmc);

        Assert.Equal(BmcDiscoveryStatus.Added, result.Status);
        Assert.Equal(2, result.Nodes.Count);
        var dimmsListed = bmc.Resources.Get("/redfish/v1/Systems/Node0/Memory")!["Members"]!.AsArray().Count;
        var node0 = services.Hardware.Subtree(result.Nodes[0], children: true, parents: false);
        Assert.Equal(dimmsListed - 2, node0.Count(i => i.Location.Type == HmsType.Memory)); // DIMM2 and DIMM4 lost, the rest kept
        Assert.Contains(result.Warnings, w => w.Contains("DIMM2", StringComparison.Ordinal));
        var dimm5 = node0.Single(i => i.Location.OdataID == "/redfish/v1/Systems/Node0/Memory/DIMM5");
        Assert.Null(dimm5.Fru!.SerialNumber); // an object where a serial goes is no serial
        Assert.Equal($"FRUIDfor{dimm5.Location.ID}", dimm5.Fru.FRUID);
        var node1 = services.Hardware.Subtree(result.Nodes[1], children: true, parents: false);
        Assert.DoesNotContain(node1, i => i.Location.Type == HmsType.Processor); // its Processors link is garbage
        Assert.Equal(bmc.Resources.Get("/redfish/v1/Systems/Node1/Memory")!["Members"]!.AsArray().Count, node1.Count(i => i.Location.Type == HmsType.Memory));
    }

    [Fact]
    public async Task Writing_a_bmcs_hardware_and_reading_by_xname_fru_or_subtree_never_reads_a_whole_hardware_collection()
    {
        await using var farm = await RedfishFixtureFarm.StartAsync(Path.Combine(MockupExpectation.MockupsRoot, "EX425"), 1);
        var store = new ScanCountingStore(TestStores.Create());
        using var _ = store;
        var services = new ChamiServices(store);
        var first = await DiscoverAsync(services, farm[0]);
        store.Reset();

        await DiscoverAsync(services, farm[0]); // the rediscovery: this BMC's locations by index, FRUs and locations by key
        var item = services.Hardware.Get($"{first.Nodes[0]}p0");
        services.Hardware.Subtree(first.Nodes[0], children: true, parents: true);
        services.Hardware.History(new HardwareHistoryQuery { Ids = { item.Xname } });
        services.Hardware.Query(new HardwareQuery { SerialNumbers = { item.SerialNumber! } });
        services.Nodes.Get(first.Nodes[0]);

        foreach (var type in new[] { nameof(HardwareLocation), nameof(HardwareFru), nameof(HardwareHistoryEntry) })
        {
            Assert.Equal(0, store.Scans.GetValueOrDefault(type));
        }
    }
}
