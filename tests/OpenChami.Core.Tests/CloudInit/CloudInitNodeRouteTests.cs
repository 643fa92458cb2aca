using System.Net;
using System.Text;
using OpenChami.Core.CloudInit;
using OpenChami.Core.Model;
using OpenChami.Core.Storage;
using OpenChami.Core.Tests.Support;
using static OpenChami.Core.Tests.CloudInit.CloudInitFixture;

namespace OpenChami.Core.Tests.CloudInit;

/// <summary>Node-facing routes (spec/cloud-init.md §2.1, §3, §5) over a real Kestrel listener.</summary>
public sealed class CloudInitNodeRouteTests
{
    private static string ExpectedMetaData(string instanceId) => $"""
        instance-id: {instanceId}
        local-hostname: nid001
        hostname: nid001
        cluster-name: demo
        instance_data:
          v1:
            instance_id: {instanceId}
            local_ipv4: 172.16.0.1
            public_keys:
            - {HeadKey}
            vendor_data:
              version: "1.0"
              cloud_init_base_url: http://172.16.0.254:8081/cloud-init
              cluster_name: demo
              groups:
                compute:
                  Description: compute group cloud-config template
                  syslog_aggregator: 172.16.0.254
                slurm:
                  Description: No description Found

        """.Replace("\r\n", "\n");

    [Theory]
    [InlineData("/meta-data")]
    [InlineData("/cloud-init/meta-data")]
    [InlineData("/cloud-init/meta-data/")]
    public async Task Meta_data_is_the_exact_yaml_of_the_spec_for_the_node_behind_the_trusted_proxy(string path)
    {
        await using var server = await TestServer.StartAsync();
        Populate(server.Services);

        var (status, body, type) = await SendAsync(server.Client, Get(path, forwardedFor: IpA));

        Assert.Equal(200, status);
        Assert.StartsWith("application/x-yaml", type);
        var instanceId = server.Services.CloudInit.GetInstance(NodeA).InstanceId!;
        Assert.Matches("^i-[0-9a-f]{8}$", instanceId);
        Assert.Equal(ExpectedMetaData(instanceId), body);
    }

    [Fact]
    public async Task Instance_info_overrides_hostnames_base_url_and_appends_keys()
    {
        await using var server = await TestServer.StartAsync();
        Populate(server.Services);
        server.Services.CloudInit.SetInstance(NodeA, new InstanceInfo
        {
            Hostname = "login1", LocalHostname = "login1-local", InstanceType = "gpu",
            CloudInitBaseUrl = "http://10.1.0.1/cloud-init", PublicKeys = ["ssh-ed25519 AAAAnode a@node"],
        });

        var (_, body, _) = await SendAsync(server.Client, Get("/cloud-init/meta-data", forwardedFor: IpA));

        Assert.Contains("\nlocal-hostname: login1-local\nhostname: login1\n", body);
        Assert.Contains("    instance_type: gpu\n", body);
        Assert.Contains($"    public_keys:\n    - {HeadKey}\n    - ssh-ed25519 AAAAnode a@node\n", body);
        Assert.Contains("      cloud_init_base_url: http://10.1.0.1/cloud-init\n", body);
        var (_, vendor, _) = await SendAsync(server.Client, Get("/cloud-init/vendor-data", forwardedFor: IpA));
        Assert.Equal("#include\nhttp://10.1.0.1/cloud-init/compute.yaml\nhttp://10.1.0.1/cloud-init/slurm.yaml\n", vendor);
    }

    [Fact]
    public async Task Generated_hostname_uses_the_cluster_name_prefix_and_four_digits_by_default()
    {
        await using var server = await TestServer.StartAsync();
        server.Services.Nodes.Create(new OpenChami.Core.Inventory.NewNodeRequest { Xname = NodeA, Nid = 12, MacAddress = ["52:54:00:00:00:01"], IPAddress = [IpA] });
        server.Services.CloudInit.ReplaceDefaults(new ClusterDefaults { ClusterName = "demo" });

        var (_, body, _) = await SendAsync(server.Client, Get("/meta-data", forwardedFor: IpA));

        Assert.Contains("\nlocal-hostname: de0012\nhostname: de0012\ncluster-name: demo\n", body);
        Assert.Contains("      groups: {}\n", body);
    }

    [Theory]
    [InlineData("/user-data")]
    [InlineData("/cloud-init/user-data")]
    public async Task User_data_is_exactly_the_13_bytes_cloud_config_for_anyone(string path)
    {
        await using var server = await TestServer.StartAsync();
        using var response = await server.Client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Equal(Encoding.ASCII.GetBytes("#cloud-config"), await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Vendor_data_includes_the_node_groups_in_membership_order()
    {
        await using var server = await TestServer.StartAsync();
        Populate(server.Services);

        Assert.Equal((200, "#include\nhttp://172.16.0.254:8081/cloud-init/compute.yaml\nhttp://172.16.0.254:8081/cloud-init/slurm.yaml\n", "text/plain; charset=utf-8"),
            await SendAsync(server.Client, Get("/cloud-init/vendor-data", forwardedFor: IpA)));
        Assert.Equal((200, "#include\nhttp://172.16.0.254:8081/cloud-init/io.yaml\n", "text/plain; charset=utf-8"),
            await SendAsync(server.Client, Get("/vendor-data", forwardedFor: IpB)));
    }

    [Fact]
    public async Task Vendor_data_base_defaults_to_the_request_host_and_a_groupless_node_gets_only_the_header()
    {
        await using var server = await TestServer.StartAsync();
        server.Services.Nodes.Create(new OpenChami.Core.Inventory.NewNodeRequest { Xname = NodeA, Nid = 1, MacAddress = ["52:54:00:00:00:01"], IPAddress = [IpA] });
        Assert.Equal("#include\n", (await SendAsync(server.Client, Get("/cloud-init/vendor-data", forwardedFor: IpA))).Body);

        server.Services.Groups.Create(new Group { Label = "compute", Members = new MemberList { Ids = [NodeA] } });
        Assert.Equal($"#include\n{server.Server.Url}/cloud-init/compute.yaml\n", (await SendAsync(server.Client, Get("/cloud-init/vendor-data", forwardedFor: IpA))).Body);
    }

    [Fact]
    public async Task Group_yaml_serves_members_only_and_decodes_base64_exactly_once()
    {
        await using var server = await TestServer.StartAsync();
        Populate(server.Services);
        var config = "#cloud-config\nruncmd:\n- echo base64 ✓\n";
        var encoded = Convert.ToBase64String(Encoding.UTF8.GetBytes(config));
        server.Services.CloudInit.SetGroup(new CloudInitGroup { Name = "slurm", File = new CloudInitFile { Content = encoded, Encoding = "base64" } }, out _);

        Assert.Equal((200, ComputeConfig), Strip(await SendAsync(server.Client, Get("/cloud-init/compute.yaml", forwardedFor: IpA))));
        Assert.Equal((200, config), Strip(await SendAsync(server.Client, Get("/slurm.yaml", forwardedFor: IpA))));
        Assert.Equal((404, $"node {NodeA} is not a member of group io (node and/or group may not exist in SMD)\n"),
            Strip(await SendAsync(server.Client, Get("/cloud-init/io.yaml", forwardedFor: IpA))));
        Assert.Equal((404, $"node {NodeA} is not a member of group nosuch (node and/or group may not exist in SMD)\n"),
            Strip(await SendAsync(server.Client, Get("/cloud-init/nosuch.yaml", forwardedFor: IpA))));
        // Stored verbatim: the admin view still shows the base64 text.
        Assert.Equal(encoded, server.Services.CloudInit.GetGroup("slurm").File!.Content);

        // A member group with no stored config gets an empty cloud-config.
        server.Services.CloudInit.RemoveGroup("slurm");
        Assert.Equal((200, "#cloud-config"), Strip(await SendAsync(server.Client, Get("/cloud-init/slurm.yaml", forwardedFor: IpA))));
    }

    private static (int, string) Strip((int Status, string Body, string? Type) r) => (r.Status, r.Body);

    [Theory]
    [InlineData("/meta-data")]
    [InlineData("/cloud-init/meta-data")]
    [InlineData("/cloud-init/vendor-data")]
    [InlineData("/vendor-data")]
    [InlineData("/cloud-init/compute.yaml")]
    [InlineData("/compute.yaml")]
    public async Task An_unknown_address_gets_422_with_a_plain_text_reason(string path)
    {
        await using var server = await TestServer.StartAsync();
        Populate(server.Services);

        var (status, body, type) = await SendAsync(server.Client, Get(path, forwardedFor: "10.9.9.9"));

        Assert.Equal(422, status);
        Assert.Equal("unknown node for address 10.9.9.9\n", body);
        Assert.Equal("text/plain; charset=utf-8", type);
    }

    [Fact]
    public async Task An_address_of_a_nic_whose_component_is_gone_gets_404_not_found_in_smd()
    {
        await using var server = await TestServer.StartAsync();
        server.Services.EthernetInterfaces.Create(new EthernetInterface { MACAddress = "52:54:00:00:00:09", ComponentID = "x9000c0s0b0n0", IPAddresses = [new IPAddressMapping { IPAddress = "10.0.0.9" }] });

        Assert.Equal((404, "node x9000c0s0b0n0 not found in SMD\n"), Strip(await SendAsync(server.Client, Get("/cloud-init/meta-data", forwardedFor: "10.0.0.9"))));
        Assert.Null(server.Services.CloudInit.FindInstance("x9000c0s0b0n0"));
    }

    [Fact]
    public async Task Every_address_of_every_interface_identifies_the_node()
    {
        await using var server = await TestServer.StartAsync();
        server.Services.Nodes.Create(new OpenChami.Core.Inventory.NewNodeRequest { Xname = NodeA, Nid = 1, MacAddress = ["52:54:00:00:00:01", "52:54:00:00:00:11"], IPAddress = ["10.0.0.1", "10.100.0.1"] });
        server.Services.EthernetInterfaces.Create(new EthernetInterface { MACAddress = "52:54:00:00:00:21", ComponentID = NodeA, IPAddresses = [new() { IPAddress = "10.200.0.1" }, new() { IPAddress = "fd00::1" }] });

        foreach (var ip in new[] { "10.0.0.1", "10.100.0.1", "10.200.0.1", "fd00::1" })
        {
            var (status, body, _) = await SendAsync(server.Client, Get("/cloud-init/meta-data", forwardedFor: ip));
            Assert.Equal(200, status);
            Assert.Contains($"    local_ipv4: {ip}\n", body);
        }
    }

    [Fact]
    public async Task Forged_forwarded_headers_from_an_untrusted_peer_are_ignored()
    {
        await using var server = await TestServer.StartAsync();
        Populate(server.Services);
        // 127.0.0.2 is loopback but outside the default trusted proxies (127.0.0.1/32, ::1/128).
        using var attacker = ClientFrom(server, IPAddress.Parse("127.0.0.2"));

        foreach (var path in new[] { "/cloud-init/meta-data", "/cloud-init/vendor-data", "/cloud-init/io.yaml", "/meta-data" })
        {
            var (status, body, _) = await SendAsync(attacker, Get(path, forwardedFor: IpB, realIp: IpB));
            Assert.Equal(422, status);
            Assert.Equal("unknown node for address 127.0.0.2\n", body);
            Assert.DoesNotContain("only-for-io", body);
        }
    }

    [Fact]
    public async Task Headers_are_ignored_when_no_proxy_is_trusted()
    {
        await using var server = await TestServer.StartAsync(configure: o => o.TrustedProxies.Clear());
        Populate(server.Services);

        Assert.Equal((422, "unknown node for address 127.0.0.1\n"), Strip(await SendAsync(server.Client, Get("/cloud-init/meta-data", forwardedFor: IpA))));
    }

    [Fact]
    public async Task A_trusted_proxy_chain_is_read_right_to_left_and_the_first_untrusted_hop_wins()
    {
        await using var server = await TestServer.StartAsync(configure: o => o.TrustedProxies.Add(IPNetwork.Parse("10.50.0.0/16")));
        Populate(server.Services);

        // The client-supplied left entry (IpB) is not believed; the right-most untrusted one is.
        Assert.Contains("local_ipv4: 172.16.0.1", (await SendAsync(server.Client, Get("/cloud-init/meta-data", forwardedFor: $"{IpB}, {IpA}"))).Body);
        // Trusted hops on the right are skipped.
        Assert.Contains("local_ipv4: 172.16.0.1", (await SendAsync(server.Client, Get("/cloud-init/meta-data", forwardedFor: $"{IpB}, {IpA}, 10.50.1.1, 127.0.0.1"))).Body);
        // X-Real-IP only when there is no X-Forwarded-For.
        Assert.Contains("local_ipv4: 172.16.0.2", (await SendAsync(server.Client, Get("/cloud-init/meta-data", realIp: IpB))).Body);
        Assert.Contains("local_ipv4: 172.16.0.1", (await SendAsync(server.Client, Get("/cloud-init/meta-data", forwardedFor: IpA, realIp: IpB))).Body);
        // Garbage in the chain: nothing beyond it is believed.
        Assert.Equal(422, (await SendAsync(server.Client, Get("/cloud-init/meta-data", forwardedFor: $"{IpA}, not-an-ip"))).Status);
    }

    [Trait("Backend", TestStores.LiteDbOnly)]
    [Fact]
    public async Task The_instance_id_is_stable_across_requests_and_server_restarts()
    {
        using var temp = new TempDirectory();
        var path = Path.Combine(temp.Path, "chami.db");
        string first;
        await using (var server = await TestServer.StartAsync(LiteDbStore.OpenFile(path)))
        {
            Populate(server.Services);
            first = (await SendAsync(server.Client, Get("/cloud-init/meta-data", forwardedFor: IpA))).Body;
            Assert.Equal(first, (await SendAsync(server.Client, Get("/cloud-init/meta-data", forwardedFor: IpA))).Body);
        }
        await using (var server = await TestServer.StartAsync(LiteDbStore.OpenFile(path)))
        {
            var again = (await SendAsync(server.Client, Get("/cloud-init/meta-data", forwardedFor: IpA))).Body;
            Assert.Equal(first, again);
            Assert.Equal("demo", server.Services.CloudInit.GetDefaults().ClusterName);
            Assert.Equal(["compute", "io"], server.Services.CloudInit.GetGroups().Select(g => g.Name));
        }
    }

    [Fact]
    public async Task Phone_home_stores_the_latest_host_keys_and_rejects_a_non_form_body()
    {
        await using var server = await TestServer.StartAsync();
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["pub_key_ed25519"] = "ssh-ed25519 AAAAhost root@nid001", ["instance_id"] = "i-0000abcd", ["hostname"] = "nid001", ["fqdn"] = "nid001.demo",
        });
        using var ok = await server.Client.PostAsync($"/cloud-init/phone-home/{NodeA}", form);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal(string.Empty, await ok.Content.ReadAsStringAsync());
        var report = server.Services.CloudInit.FindPhoneHome(NodeA)!;
        Assert.Equal(("ssh-ed25519 AAAAhost root@nid001", "nid001.demo", "i-0000abcd"), (report.PubKeyEd25519, report.Fqdn, report.InstanceId));

        using var bad = await server.Client.PostAsync($"/phone-home/{NodeA}", new StringContent("{}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.StartsWith("unparsable form", await bad.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Other_files_the_client_probes_are_404_and_wrong_methods_405_with_an_empty_body()
    {
        await using var server = await TestServer.StartAsync();
        using var probe = await server.Client.GetAsync("/cloud-init/network-config");
        Assert.Equal(HttpStatusCode.NotFound, probe.StatusCode);
        Assert.Equal("404 page not found", await probe.Content.ReadAsStringAsync());

        using var wrong = await server.Client.DeleteAsync("/cloud-init/meta-data");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, wrong.StatusCode);
        Assert.Equal(string.Empty, await wrong.Content.ReadAsStringAsync());
        using var wrongRoot = await server.Client.PostAsync("/admin/groups/x", null);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, wrongRoot.StatusCode);
        Assert.Equal(string.Empty, await wrongRoot.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Version_and_openapi_answer_for_health_checks()
    {
        await using var server = await TestServer.StartAsync();
        var version = await TestServer.ReadJsonAsync(await server.Client.GetAsync("/cloud-init/version"));
        Assert.Equal("cloud-init-server", (string?)version["process_name"]);
        Assert.NotNull(version["bytes_allocated"]);
        using var openapi = await server.Client.GetAsync("/cloud-init/openapi.json");
        Assert.Equal(HttpStatusCode.OK, openapi.StatusCode);
        Assert.NotNull((await TestServer.ReadJsonAsync(openapi))["paths"]!["/admin/groups"]);
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("/version")).StatusCode);
    }
}
