using System.Net;
using OpenChami.Core.Inventory;
using OpenChami.Core.Model;
using OpenChami.Core.Tests.Support;

namespace OpenChami.Core.Tests.Inventory;

/// <summary>SchemaVersion 1 records built from the published DMTF and HPE mockups, POSTed over HTTP (smd.md §7, mockups README).</summary>
public sealed class RedfishMockupIngestionTests
{
    private const string Rfes = "/hsm/v2/Inventory/RedfishEndpoints";

    [Fact]
    public async Task Ex425_systems_without_uuid_become_two_nodes_with_action_info_values_and_no_fake_macs()
    {
        await using var server = await TestServer.StartAsync();
        var record = RedfishMockup.BuildRecord("EX425", "x1000c0s0b0", "172.16.0.104:5000");
        var response = await server.SendJsonAsync(HttpMethod.Post, Rfes, record.ToJsonString());
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);

        var rfe = server.Services.RedfishEndpoints;
        var n0 = rfe.FindComponentEndpoint("x1000c0s0b0n0")!;
        var n1 = rfe.FindComponentEndpoint("x1000c0s0b0n1")!;
        Assert.Equal("/redfish/v1/Systems/Node0", n0.OdataID);
        Assert.Equal("/redfish/v1/Systems/Node1", n1.OdataID);
        Assert.Null(n0.UUID);
        Assert.Equal("172.16.0.104:5000/redfish/v1/Systems/Node1", n1.RedfishURL);
        var reset = n1.RedfishSystemInfo!.Actions!.ComputerSystemReset!;
        Assert.Equal(["ForceOff", "On", "Off"], reset.AllowableValues);
        Assert.Equal("/redfish/v1/Systems/Node1/Actions/ComputerSystem.Reset", reset.Target);
        Assert.Equal("/redfish/v1/Systems/Node1/ResetActionInfo", reset.ActionInfo);
        Assert.Same(reset, n1.GetResetAction());

        Assert.Equal(["00:40:a6:83:52:5f"], n0.RedfishSystemInfo!.EthernetNICInfo!.Select(n => n.MACAddress));
        Assert.Equal("00:40:a6:83:52:5f", server.Services.EthernetInterfaces.FindByMac("00:40:a6:83:52:5f")!.MACAddress);
        Assert.Equal("x1000c0s0b0n0", server.Services.EthernetInterfaces.FindByMac("00:40:a6:83:52:5f")!.ComponentID);
        Assert.Equal("x1000c0s0b0n1", server.Services.EthernetInterfaces.FindByMac("00:40:a6:83:52:60")!.ComponentID);
        Assert.Equal(2, server.Services.EthernetInterfaces.All().Count); // HPCNet0 "Not Available" skipped, the BMC has none

        // The BMC, not the auxiliary MCU0 listed first, is the endpoint's manager.
        var bmc = rfe.FindComponentEndpoint("x1000c0s0b0")!;
        Assert.Equal(("/redfish/v1/Managers/BMC", "EnclosureManager"), (bmc.OdataID, bmc.RedfishSubtype));
        Assert.Equal(["ForceRestart", "StatefulReset"], bmc.RedfishManagerInfo!.Actions!.ManagerReset!.AllowableValues);

        var nodes = server.Services.Components.Query(new ComponentQuery { });
        Assert.Equal(["x1000c0s0b0", "x1000c0s0b0n0", "x1000c0s0b0n1"], nodes.Select(c => c.ID));
        Assert.Equal([1L, 2L], nodes.Where(c => c.Type == OpenChami.Core.Xnames.HmsType.Node).Select(c => c.NID!.Value));
        Assert.Equal("1.2.0", rfe.Get("x1000c0s0b0").DiscoveryInfo.RedfishVersion);

        // Re-discovery (PUT) converges: nothing added, nothing duplicated.
        var again = rfe.Upsert(System.Text.Json.JsonSerializer.Deserialize<RedfishEndpointInput>(record.ToJsonString(), Serialization.ChamiJson.Options)!);
        Assert.Equal(0, again.Added);
        Assert.All(again.Items.Where(i => i.ObjectType != InventoryObjectTypes.RedfishEndpoint), i => Assert.Equal(ChangeAction.Unchanged, i.Action));
        Assert.Equal(3, rfe.QueryComponentEndpoints().Count);
    }

    [Fact]
    public async Task Public_rackmount1_gives_one_node_three_distinct_system_nics_and_inline_reset_values()
    {
        await using var server = await TestServer.StartAsync();
        var record = RedfishMockup.BuildRecord("public-rackmount1", "x3000c0s1b0", "192.168.0.10");
        Assert.Equal(HttpStatusCode.Created, (await server.SendJsonAsync(HttpMethod.Post, Rfes, record.ToJsonString())).StatusCode);

        var rfe = server.Services.RedfishEndpoints;
        var node = rfe.FindComponentEndpoint("x3000c0s1b0n0")!;
        Assert.Equal("38947555-7742-3448-3784-823347823834", node.UUID);
        Assert.Equal("Physical", node.RedfishSubtype);
        Assert.Equal(["On", "ForceOff", "GracefulShutdown", "GracefulRestart", "ForceRestart", "Nmi", "ForceOn", "PushPowerButton"],
            node.RedfishSystemInfo!.Actions!.ComputerSystemReset!.AllowableValues);
        Assert.Equal("/redfish/v1/Systems/437XR1138R2/Actions/ComputerSystem.Reset", node.RedfishSystemInfo.Actions.ComputerSystemReset.Target);
        Assert.Equal("/redfish/v1/Chassis/1U/Power", node.RedfishSystemInfo.PowerURL);
        Assert.Equal(["12:44:6a:3b:04:11", "aa:bb:cc:dd:ee:00", "aa:bb:cc:dd:ee:fe"],
            server.Services.EthernetInterfaces.OfComponent("x3000c0s1b0n0").Select(n => n.MACAddress).Order());
        Assert.Equal(["23:11:8a:33:cf:ea", "aa:bb:cc:dd:ee:ff"],
            server.Services.EthernetInterfaces.OfComponent("x3000c0s1b0").Select(n => n.MACAddress).Order());
        Assert.Equal("192.168.0.10", server.Services.EthernetInterfaces.FindByMac("23:11:8a:33:cf:ea")!.IPAddresses.Single().IPAddress);
        var manager = rfe.FindComponentEndpoint("x3000c0s1b0")!;
        Assert.Equal(["ForceRestart", "GracefulRestart"], manager.RedfishManagerInfo!.Actions!.ManagerReset!.AllowableValues);
        Assert.Equal("58893887-8974-2487-2389-841168418919", manager.UUID);
    }

    [Fact]
    public void Systems_sharing_a_uuid_merge_and_take_power_control_ids_from_the_duplicate()
    {
        using var store = TestStores.Create();
        var services = new ChamiServices(store);
        var input = new RedfishEndpointInput
        {
            ID = "x1000c0s0b0",
            SchemaVersion = 1,
            Systems =
            [
                new RedfishSystemRecord { Uri = "https://h/redfish/v1/Systems/1", Uuid = "U-1", Links = new RedfishLinksRecord { Chassis = ["/redfish/v1/Chassis/1"] } },
                new RedfishSystemRecord { Uri = "https://h/redfish/v1/Systems/1b", Uuid = "u-1", Power = new RedfishPowerRecord { PowerControlIds = ["/redfish/v1/Chassis/1/Power#/PowerControl/0"] } },
                new RedfishSystemRecord { Uri = "https://h/redfish/v1/Systems/2" },
                new RedfishSystemRecord { Uri = "https://h/redfish/v1/Systems/3" },
            ],
        };
        var changes = services.RedfishEndpoints.Upsert(input);
        Assert.Equal(["x1000c0s0b0n0", "x1000c0s0b0n1", "x1000c0s0b0n2"], services.RedfishEndpoints.QueryComponentEndpoints().Select(c => c.ID));
        var pc = Assert.Single(services.RedfishEndpoints.FindComponentEndpoint("x1000c0s0b0n0")!.RedfishSystemInfo!.PowerControl!);
        Assert.Equal(("/redfish/v1/Chassis/1/Power#/PowerControl/0", "0"), (pc.OdataId, pc.MemberId));
        Assert.Equal(3, changes.OfType(InventoryObjectTypes.Component).Count(c => c.Action == ChangeAction.Added));
        // No managers: no BMC component is invented.
        Assert.Null(services.Components.Find("x1000c0s0b0"));
    }
}
