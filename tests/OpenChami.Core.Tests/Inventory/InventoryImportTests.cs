using OpenChami.Core.Errors;
using OpenChami.Core.Inventory;
using OpenChami.Core.Inventory.Import;
using OpenChami.Core.Model;
using OpenChami.Core.Storage;
using OpenChami.Core.Tests.Support;

namespace OpenChami.Core.Tests.Inventory;

/// <summary>Import-ChamiInventory's engine: nodes.yaml (both formats), CSV, our JSON; idempotency, -WhatIf, validation, transactions.</summary>
public sealed class InventoryImportTests
{
    private static (ChamiServices Services, IChamiStore Store) NewStore()
    {
        var store = TestStores.Create();
        return (new ChamiServices(store), store);
    }

    private static string ExportJson(ChamiServices services) => InventoryExporter.ToJson(services.Inventory.Export());

    private const string SpecExample = """
        bmcs:
        - name: bmc01
          xname: x1000c0s0b0
          mac: de:ca:fc:0f:fe:e1
          ip: 172.16.0.101
          fqdn: x1000c0s0b0.demo.openchami.cluster
        - xname: x1000c0s0b1
          mac: de:ca:fc:0f:fe:e2
          ip: 172.16.0.102
        nodes:
        - name: compute1
          nid: 1
          xname: x1000c0s0b0n0
          bmc: bmc01
          groups: [compute, slurm]
          interfaces:
          - mac_addr: 52:54:00:be:ef:01
            ip_addrs:
            - name: management
              ip_addr: 172.16.0.1
          - mac_addr: 02:00:00:91:31:b3
            ip_addrs:
            - name: hsn
              ip_addr: 192.168.0.1
        - name: compute2
          nid: 2
          xname: x1000c0s0b1n0          # BMC derived: x1000c0s0b1
          groups: [compute]
          interfaces:
          - mac_addr: 52:54:00:be:ef:02
            ip_addrs: [{name: management, ip_addr: 172.16.0.2}]
        """;

    [Fact]
    public void Spec_example_gives_the_documented_state_and_a_second_import_changes_nothing()
    {
        var (services, store) = NewStore();
        using var _ = store;
        var first = services.Inventory.Apply(InventoryImportService.Parse(SpecExample, "nodes.yaml"));
        Assert.Empty(InventoryImportService.Parse(SpecExample, "nodes.yaml").Problems);
        Assert.Equal(0, first.Unchanged);
        Assert.Contains(first.Items, i => i is { ObjectType: "RedfishEndpoint", ID: "x1000c0s0b0", Action: ChangeAction.Added });

        var rfe = services.RedfishEndpoints.Get("x1000c0s0b0");
        Assert.Equal(("bmc01", "x1000c0s0b0.demo.openchami.cluster", "x1000c0s0b0", "demo.openchami.cluster", "de:ca:fc:0f:fe:e1", "172.16.0.101"),
            (rfe.Name, rfe.FQDN, rfe.Hostname, rfe.Domain, rfe.MACAddr, rfe.IPAddress));
        Assert.Equal("x1000c0s0b1", services.RedfishEndpoints.Get("x1000c0s0b1").FQDN);
        var node = services.Components.Get("x1000c0s0b1n0");
        Assert.Equal((HmsState.On, HmsFlag.OK, true, 2L, "Compute"), (node.State, node.Flag, node.Enabled, node.NID, node.Role));
        Assert.Equal(HmsState.Ready, services.Components.Get("x1000c0s0b1").State);
        Assert.Equal("The slurm group", services.Groups.Get("slurm").Description);
        Assert.Equal(["x1000c0s0b0n0", "x1000c0s0b1n0"], services.Groups.Get("compute").Members.Ids);
        Assert.Equal("management", services.EthernetInterfaces.FindByMac("52:54:00:be:ef:02")!.IPAddresses.Single().Network);

        var before = ExportJson(services);
        var second = services.Inventory.Apply(InventoryImportService.Parse(SpecExample, "nodes.yaml"));
        Assert.All(second.Items, i => Assert.Equal(ChangeAction.Unchanged, i.Action));
        Assert.Equal(first.Items.Count, second.Items.Count);
        Assert.Equal(before, ExportJson(services));
    }

    [Fact]
    public void WhatIf_reports_exact_changes_and_writes_nothing()
    {
        var (services, store) = NewStore();
        using var _ = store;
        var report = services.Inventory.Apply(InventoryImportService.Parse(SpecExample, "nodes.yaml"), whatIf: true);
        Assert.True(report.Added > 10);
        Assert.All(report.Items, i => Assert.True(i.WhatIf));
        Assert.Empty(services.Components.Query(new ComponentQuery()));
        Assert.Empty(services.RedfishEndpoints.Query());
        Assert.Empty(services.EthernetInterfaces.All());
    }

    [Fact]
    public void Old_format_shares_bmcs_by_mac_and_labels_addresses_with_network()
    {
        const string old = """
            nodes:
            - name: compute1
              nid: 1
              xname: x1000c0s0b0n0
              bmc_mac: de:ca:fc:0f:fe:e1
              bmc_ip: 172.16.0.101
              group: compute
              interfaces:
              - mac_addr: 52:54:00:be:ef:01
                ip_addrs:
                - network: management
                  ip_addr: 172.16.0.1
            - name: compute2
              nid: 2
              xname: x1000c0s0b0n1
              bmc_mac: DE:CA:FC:0F:FE:E1
              bmc_ip: 172.16.0.101
              groups: [compute, gpu]
              interfaces:
              - mac_addr: 52:54:00:be:ef:02
                ip_addrs:
                - name: management
                  ip_addr: 172.16.0.2
            """;
        var (services, store) = NewStore();
        using var _ = store;
        var parsed = InventoryImportService.Parse(old, "old.yaml");
        Assert.Equal(["DeprecatedGroupKey"], parsed.Problems.Select(p => p.Id));
        services.Inventory.Apply(parsed);
        var rfe = Assert.Single(services.RedfishEndpoints.Query());
        Assert.Equal(("x1000c0s0b0", "compute1"), (rfe.ID, rfe.Name));
        Assert.Equal(["x1000c0s0b0", "x1000c0s0b0n0", "x1000c0s0b0n1"], services.RedfishEndpoints.QueryComponentEndpoints().Select(c => c.ID));
        Assert.Equal("management", services.EthernetInterfaces.FindByMac("52:54:00:be:ef:01")!.IPAddresses.Single().Network);
        Assert.Null(services.EthernetInterfaces.FindByMac("52:54:00:be:ef:02")!.IPAddresses.Single().Network); // 'name' is ignored in the old format
        Assert.Equal(["x1000c0s0b0n0", "x1000c0s0b0n1"], services.Groups.Get("compute").Members.Ids);
    }

    [Fact]
    public void Validation_reports_every_problem_with_its_position_and_imports_the_valid_rest()
    {
        const string bad = """
            bmcs:
            - xname: x1000c0s0b0
              mac: not-a-mac
              ip: 172.16.0.101
            - xname: x1000c0s0b1
              mac: de:ca:fc:0f:fe:e2
              ip: 172.16.0.102
            nodes:
            - name: good
              nid: 1
              xname: x1000c0s0b1n0
              colour: blue
              interfaces:
              - mac_addr: 52:54:00:be:ef:01
                ip_addrs: []
            - name: badxname
              nid: 2
              xname: x1000c0s0b1n0q
            - name: badnid
              nid: two
              xname: x1000c0s0b1n1
            - name: orphan
              nid: 4
              xname: x1000c0s0b0n0
              interfaces:
              - mac_addr: 52:54:00:be:ef:01
              - mac_addr: 52:54:00:be:ef:04
                ip_addrs:
                - name: management
                  ip_addr: 999.1.1.1
            - name: again
              nid: 1
              xname: x1000c0s0b1n0
            """;
        var parsed = InventoryImportService.Parse(bad, "bad.yaml");
        Assert.False(parsed.HasFatalProblems);
        Assert.Equal(
            ["InvalidMacAddress", "UnknownKey", "InvalidXname", "InvalidNid", "InvalidIPAddress", "DuplicateMacAddress", "DuplicateNodeXname", "BmcNotFound"],
            parsed.Problems.Select(p => p.Id));
        Assert.All(parsed.Problems, p => Assert.True(p.Line > 0, p.ToString()));
        Assert.Equal("bad.yaml:3:8", parsed.Problems[0].Position);
        Assert.Equal(ImportProblemSeverity.Warning, parsed.Problems.Single(p => p.Id == "DuplicateNodeXname").Severity);

        var (services, store) = NewStore();
        using var _ = store;
        services.Inventory.Apply(parsed);
        Assert.Equal(["x1000c0s0b0n0", "x1000c0s0b1", "x1000c0s0b1n0"], services.Components.Query(new ComponentQuery()).Select(c => c.ID));
        Assert.Empty(services.EthernetInterfaces.FindByMac("52:54:00:be:ef:01")!.IPAddresses);
        Assert.Equal("x1000c0s0b1n0", services.EthernetInterfaces.FindByMac("52:54:00:be:ef:01")!.ComponentID);
        Assert.Equal("x1000c0s0b0n0", services.EthernetInterfaces.FindByMac("52:54:00:be:ef:04")!.ComponentID);
        Assert.Equal(["x1000c0s0b1"], services.RedfishEndpoints.Query().Select(r => r.ID));
    }

    [Theory]
    [InlineData("nodes: [\n  - name: a\n  bad", "InvalidYaml")]
    [InlineData("node:\n- name: a\n", "UnknownKey")]
    [InlineData("nodes: 5\n", "WrongType")]
    [InlineData("- a\n- b\n", "InvalidInventoryFile")]
    public void Structural_problems_are_fatal_and_nothing_is_written(string text, string id)
    {
        var parsed = InventoryImportService.Parse(text, "x.yaml");
        Assert.True(parsed.HasFatalProblems);
        Assert.Contains(parsed.Problems, p => p.Id == id && p.Fatal);
        var (services, store) = NewStore();
        using var _ = store;
        var ex = Assert.Throws<ChamiException>(() => services.Inventory.Apply(parsed));
        Assert.Equal("InvalidInventoryFile", ex.ErrorId);
    }

    [Fact]
    public void A_failure_inside_the_transaction_leaves_the_store_unchanged()
    {
        var (services, store) = NewStore();
        using var _ = store;
        services.Components.Create(new Component { ID = "x1000c0s0b0n0", State = HmsState.Off });
        services.Groups.Create(new Group { Label = "blue", ExclusiveGroup = "colour", Members = new MemberList { Ids = ["x1000c0s0b0n0"] } });
        services.Groups.Create(new Group { Label = "red", ExclusiveGroup = "colour" });
        var before = ExportJson(services);

        // The last step (group red) conflicts with the exclusive group: components, RFEs and NICs written before must vanish.
        var file = SpecExample.Replace("groups: [compute, slurm]", "groups: [compute, red]");
        var ex = Assert.Throws<ChamiException>(() => services.Inventory.Apply(InventoryImportService.Parse(file, "nodes.yaml")));
        Assert.Equal("ExclusiveGroupConflict", ex.ErrorId);
        Assert.Equal(before, ExportJson(services));
    }

    [Fact]
    public void Export_import_export_round_trips_exactly_and_never_contains_the_password()
    {
        var (services, store) = NewStore();
        using var _ = store;
        services.Inventory.Apply(InventoryImportService.Parse(NodesYaml.Generate(6, 3), "nodes.yaml"));
        services.RedfishEndpoints.Upsert(System.Text.Json.JsonSerializer.Deserialize<RedfishEndpointInput>(
            RedfishMockup.BuildRecord("EX425", "x3000c0s7b0", "10.0.0.7").ToJsonString(), Serialization.ChamiJson.Options)!);
        services.RedfishEndpoints.SetCredential("x3000c0s7b0", "root", "TopSecretPassw0rd");
        services.RedfishEndpoints.UpsertServiceEndpoints([new ServiceEndpoint { RedfishEndpointID = "x3000c0s7b0", RedfishType = "UpdateService", UUID = "u", OdataID = "/redfish/v1/UpdateService" }]);
        services.Store.Write(s => s.Collection<Partition>().Insert(new Partition { Name = "p1", Description = "first", Members = new MemberList { Ids = ["x1000c0s0b0n0"] } }));
        services.Groups.Create(new Group { Label = "tagged", Tags = ["slurm"], ExclusiveGroup = "ex" });

        var exported = ExportJson(services);
        Assert.DoesNotContain("TopSecretPassw0rd", exported);
        Assert.Contains("\"Password\": \"\"", exported);

        using var temp = new TempDirectory();
        var path = Path.Combine(temp.Path, "inventory.json");
        services.Inventory.ExportToFile(path);
        Assert.Equal(exported, File.ReadAllText(path));

        var (fresh, freshStore) = NewStore();
        using var __ = freshStore;
        var result = fresh.Inventory.Apply(InventoryImportService.ParseFile(path));
        Assert.Equal(0, result.Updated + result.Unchanged);
        Assert.Equal(exported, ExportJson(fresh));
        Assert.Null(fresh.Credentials.Get("x3000c0s7b0"));

        var again = fresh.Inventory.Apply(InventoryImportService.ParseFile(path));
        Assert.All(again.Items, i => Assert.Equal(ChangeAction.Unchanged, i.Action));
    }

    [Fact]
    public void Csv_rows_become_nodes_with_bmcs_shared_by_mac()
    {
        const string csv = "xname,name,nid,mac,ip,network,groups,bmc_mac,bmc_ip\n" +
                           "x1000c0s0b0n0,compute1,1,52:54:00:be:ef:01,172.16.0.1,management,compute;gpu,de:ca:fc:0f:fe:e1,172.16.0.101\n" +
                           "x1000c0s0b0n1,\"compute2\",2,52-54-00-be-ef-02,172.16.0.2,management,compute,de:ca:fc:0f:fe:e1,172.16.0.101\n" +
                           "x1000c0s1b0n0,compute3,,52:54:00:be:ef:03,,,,,\n" +
                           "bogus,compute4,4,,,,,,\n";
        var parsed = InventoryImportService.Parse(csv, "nodes.csv");
        Assert.Equal(["InvalidXname"], parsed.Problems.Select(p => p.Id));
        var (services, store) = NewStore();
        using var _ = store;
        services.Inventory.Apply(parsed);
        Assert.Equal(["x1000c0s0b0"], services.RedfishEndpoints.Query().Select(r => r.ID));
        Assert.Equal(16400416L, services.Components.Get("x1000c0s1b0n0").NID);
        Assert.Equal(["x1000c0s0b0n0"], services.Groups.Get("gpu").Members.Ids);
        Assert.Equal("x1000c0s0b0n1", services.EthernetInterfaces.FindByMac("52:54:00:be:ef:02")!.ComponentID);
    }
}
