using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using OpenChami.Core.CloudInit;
using OpenChami.Core.Http;
using OpenChami.Core.Inventory;
using OpenChami.Core.Model;
using OpenChami.Core.Security;
using OpenChami.Core.Tests.Support;
using YamlDotNet.RepresentationModel;
using static OpenChami.Core.Tests.CloudInit.CloudInitFixture;

namespace OpenChami.Core.Tests.MetadataService;

/// <summary>
/// metadata-service (spec/metadata-service.md) on a real Kestrel listener over the real store of the backend under test:
/// what ochami 0.10's <c>ochami metadata defaults|group|instance|peer</c> send (Go's empty uid and zero times, its
/// Accept/Content-Type/Authorization headers, with authentication on), what a booting node fetches, and that the
/// resources are cloud-init's records seen through another API.
/// </summary>
public sealed class MetadataServiceTests : IAsyncLifetime
{
    private const string Zero = "0001-01-01T00:00:00Z";
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero));
    private ChamiServices services = null!;
    private ChamiServer server = null!;
    private HttpClient client = null!;
    private string token = null!;

    public async Task InitializeAsync()
    {
        services = new ChamiServices(TestStores.Create()) { Time = clock };
        server = await ChamiServer.StartAsync(services, new ChamiServerOptions { Port = 0, RequireAuth = true });
        client = new HttpClient { BaseAddress = new Uri(server.Url), Timeout = TimeSpan.FromSeconds(30) };
        token = services.Tokens.Issue("ochami", ChamiScope.Write, TimeSpan.FromHours(1)).Token;
    }

    public async Task DisposeAsync()
    {
        client.Dispose();
        await server.StopAsync();
        services.Store.Dispose();
    }

    /// <summary>A request as ochami's Go client builds it.</summary>
    private Task<HttpResponseMessage> Ochami(HttpMethod method, string path, string? json = null)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (json is not null) request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        return client.SendAsync(request);
    }

    private static string Envelope(string kind, string name, string spec) =>
        $$"""{"apiVersion":"metadata.openchami.io/v1","kind":"{{kind}}","metadata":{"name":"{{name}}","uid":"","labels":null,"annotations":null,"createdAt":"{{Zero}}","updatedAt":"{{Zero}}"},"spec":{{spec}}}""";

    private static async Task<JsonNode> Json(HttpResponseMessage response) => JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

    private async Task<JsonNode> Created(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!;
    }

    private static async Task AssertError(HttpResponseMessage response, HttpStatusCode status, string contains)
    {
        Assert.Equal(status, response.StatusCode);
        var body = await Json(response);
        Assert.Single(body.AsObject());
        Assert.Contains(contains, (string)body["error"]!, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>What a node behind the (trusted, loopback) proxy fetches.</summary>
    private async Task<(HttpStatusCode Status, string Body, string? Type)> Node(string path, string ip = IpA)
    {
        using var response = await client.SendAsync(Get(path, forwardedFor: ip));
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response.Content.Headers.ContentType?.ToString());
    }

    private static YamlMappingNode Yaml(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static YamlNode At(YamlNode node, params string[] path)
    {
        foreach (var key in path) node = node is YamlSequenceNode list ? list[int.Parse(key)] : ((YamlMappingNode)node)[key];
        return node;
    }

    private static string Scalar(YamlNode node, params string[] path) => ((YamlScalarNode)At(node, path)).Value!;

    [Fact]
    public async Task Ochami_metadata_commands_create_list_read_and_the_records_are_cloud_inits()
    {
        services.Nodes.Create(new NewNodeRequest { Xname = NodeA, Nid = 1, MacAddress = ["52:54:00:00:00:01"], IPAddress = [IpA], Group = ["compute"] });

        // ochami metadata defaults set
        var defaults = await Created(await Ochami(HttpMethod.Post, "/metadata-service/clusterdefaultss", Envelope("ClusterDefaults", "default",
            $$"""{"base_url":"http://172.16.0.254:8081/metadata-service","cluster_name":"demo","short_name":"nid","nid_length":3,"public_keys":["{{HeadKey}}"],"description":"lab","cloud_provider":"openchami","region":"lab","availability_zone":"r1"}""")));
        Assert.Matches("^clusterdefaults-[0-9a-f]{8}$", (string)defaults["metadata"]!["uid"]!);
        Assert.Equal(clock.GetUtcNow(), (DateTimeOffset)defaults["metadata"]!["createdAt"]!);
        Assert.Equal("lab", (string?)defaults["spec"]!["description"]);
        var stored = services.CloudInit.GetDefaults();
        Assert.Equal(("demo", "nid", 3, "http://172.16.0.254:8081/metadata-service"), (stored.ClusterName, stored.ShortName, stored.NidLength, stored.BaseUrl));

        // ochami metadata group add: the template byte for byte, CRLF and trailing spaces included
        const string template = "## template: jinja\r\n#cloud-config\nwrite_files:\n- path: /etc/motd  \n  content: \"{{ ds.meta_data.instance_data.v1.vendor_data.cluster_name }} node {{ ds.meta_data['local-hostname'] }}\"\n";
        var group = await Created(await Ochami(HttpMethod.Post, "/metadata-service/groups", Envelope("Group", "compute",
            new JsonObject { ["template"] = template, ["description"] = "compute nodes", ["metaData"] = new JsonObject { ["tier"] = "base" }, ["osVersion"] = "rocky9" }.ToJsonString())));
        Assert.Equal(template, (string?)group["spec"]!["template"]);
        var cloudInitGroup = services.CloudInit.GetGroup("compute");
        Assert.Equal(template, cloudInitGroup.File!.Content);
        Assert.Equal("rocky9", cloudInitGroup.Versions!["osVersion"]);
        var groupUid = (string)group["metadata"]!["uid"]!;
        Assert.Equal(template, (string?)(await Json(await Ochami(HttpMethod.Get, $"/metadata-service/groups/{groupUid}")))["spec"]!["template"]);

        // ochami metadata instance add, after the node's first boot gave it an instance-id: still a create, the id stays
        var (firstBoot, _, _) = await Node("/metadata-service/meta-data");
        Assert.Equal(HttpStatusCode.OK, firstBoot);
        var bootId = services.CloudInit.GetInstance(NodeA).InstanceId;
        var instance = await Created(await Ochami(HttpMethod.Post, "/metadata-service/instanceinfos", Envelope("InstanceInfo", NodeA,
            """{"local_hostname":"login01","instance_type":"bare-metal"}""")));
        Assert.Equal(NodeA, (string?)instance["spec"]!["xname"]);
        Assert.Equal(("login01", bootId), (services.CloudInit.GetInstance(NodeA).LocalHostname, services.CloudInit.GetInstance(NodeA).InstanceId));
        await AssertError(await Ochami(HttpMethod.Post, "/metadata-service/instanceinfos", Envelope("InstanceInfo", NodeA, """{"hostname":"x"}""")), HttpStatusCode.Conflict, NodeA);

        // ochami metadata defaults set again: the cluster's one defaults record is set, under the uid it has
        var again = await Created(await Ochami(HttpMethod.Post, "/metadata-service/clusterdefaultss", Envelope("ClusterDefaults", "default",
            $$"""{"base_url":"http://172.16.0.254:8081/metadata-service","cluster_name":"demo","short_name":"nid","nid_length":3,"public_keys":["{{HeadKey}}"],"description":"lab 2"}""")));
        Assert.Equal((string?)defaults["metadata"]!["uid"], (string?)again["metadata"]!["uid"]);
        Assert.Equal("lab 2", (string?)again["spec"]!["description"]);

        // ochami metadata peer add
        var peer = await Created(await Ochami(HttpMethod.Post, "/metadata-service/wireguardpeers", Envelope("WireGuardPeer", "head",
            """{"public_key":"aGVhZC1wdWJsaWMta2V5LWZvci13aXJlZ3VhcmQtMDA=","endpoint":"172.16.0.254:51820","allowed_ips":["10.87.0.1/32"]}""")));
        Assert.Matches("^wireguardpeer-[0-9a-f]{8}$", (string)peer["metadata"]!["uid"]!);

        // list: bare arrays
        Assert.Single((await Json(await Ochami(HttpMethod.Get, "/metadata-service/clusterdefaultss"))).AsArray());
        Assert.Equal(["compute"], (await Json(await Ochami(HttpMethod.Get, "/metadata-service/groups"))).AsArray().Select(g => (string)g!["metadata"]!["name"]!));
        Assert.Equal([NodeA], (await Json(await Ochami(HttpMethod.Get, "/metadata-service/instanceinfos"))).AsArray().Select(g => (string)g!["spec"]!["xname"]!));
        Assert.Single((await Json(await Ochami(HttpMethod.Get, "/metadata-service/wireguardpeers"))).AsArray());

        // without a token, off loopback rules apply (RequireAuth): resources are protected, node documents are not
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/metadata-service/groups")).StatusCode);
        var (status, metaData, type) = await Node("/metadata-service/meta-data");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.StartsWith("application/x-yaml", type);
        var yaml = Yaml(metaData);
        Assert.Equal("login01", Scalar(yaml, "local-hostname")); // instance-info wins over the generated name
        Assert.Equal("nid001", Scalar(yaml, "hostname"));        // short_name + NID padded to nid_length 3
        Assert.Equal("demo", Scalar(yaml, "cluster-name"));
        Assert.Equal(services.CloudInit.GetInstance(NodeA).InstanceId, Scalar(yaml, "instance-id"));
        var vendor = At(yaml, "instance_data", "v1", "vendor_data");
        Assert.Equal("1.0", Scalar(vendor, "version"));
        Assert.Equal("http://172.16.0.254:8081/metadata-service", Scalar(vendor, "cloud_init_base_url"));
        Assert.Equal("1", Scalar(vendor, "nid"));
        Assert.Equal(services.Components.Get(NodeA).Role, Scalar(vendor, "role"));
        Assert.Equal("52:54:00:00:00:01", Scalar(vendor, "mac"));
        Assert.Equal("compute nodes", Scalar(vendor, "groups", "compute", "description"));
        Assert.Equal("base", Scalar(vendor, "groups", "compute", "tier"));
        Assert.Equal(IpA, Scalar(yaml, "instance_data", "v1", "local_ipv4"));
        Assert.Equal(HeadKey, Scalar(yaml, "instance_data", "v1", "public_keys", "0"));

        var userData = await Node("/metadata-service/user-data");
        Assert.Equal((HttpStatusCode.OK, "#cloud-config\n"), (userData.Status, userData.Body));
        var vendorData = await Node("/metadata-service/vendor-data");
        Assert.Equal((HttpStatusCode.OK, "#include\nhttp://172.16.0.254:8081/metadata-service/compute.yaml\n"), (vendorData.Status, vendorData.Body));
        var groupYaml = await Node("/metadata-service/compute.yaml");
        Assert.Equal(HttpStatusCode.OK, groupYaml.Status);
        Assert.StartsWith("text/cloud-config", groupYaml.Type);
        Assert.Equal(template, groupYaml.Body);
    }

    [Fact]
    public async Task Writes_through_cloud_init_are_read_through_metadata_service_and_the_reverse()
    {
        Populate(services);

        // cloud-init → metadata-service: records that never saw /metadata-service get an envelope when listed.
        var groups = (await Json(await Ochami(HttpMethod.Get, "/metadata-service/groups"))).AsArray();
        Assert.Equal(["compute", "io"], groups.Select(g => (string)g!["metadata"]!["name"]!));
        Assert.Equal(ComputeConfig, (string?)groups[0]!["spec"]!["template"]);
        Assert.Equal("172.16.0.254", (string?)groups[0]!["spec"]!["metaData"]!["syslog_aggregator"]);
        var uid = (string)groups[0]!["metadata"]!["uid"]!;
        Assert.Equal(uid, (string?)(await Json(await Ochami(HttpMethod.Get, "/metadata-service/groups")))[0]!["metadata"]!["uid"]); // stable
        var defaults = (await Json(await Ochami(HttpMethod.Get, "/metadata-service/clusterdefaultss"))).AsArray().Single()!;
        Assert.Equal(("demo", 3), ((string?)defaults["spec"]!["cluster_name"], (int?)defaults["spec"]!["nid_length"]));

        // the cloud-init admin API changes the group; metadata-service reads the change under the same uid.
        var put = await Ochami(HttpMethod.Put, "/cloud-init/admin/groups/compute", """{"name":"compute","description":"changed","file":{"content":"#cloud-config\nruncmd: [true]\n"}}""");
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        var read = await Json(await Ochami(HttpMethod.Get, $"/metadata-service/groups/{uid}"));
        Assert.Equal(("changed", "#cloud-config\nruncmd: [true]\n"), ((string?)read["spec"]!["description"], (string?)read["spec"]!["template"]));

        // metadata-service → cloud-init: a merge patch of the template is what /cloud-init serves the node next.
        var patched = await Ochami(HttpMethod.Patch, $"/metadata-service/groups/{uid}", """{"template":"#cloud-config\npackages: [slurm]\n"}""");
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        Assert.Equal("#cloud-config\npackages: [slurm]\n", (await Node("/cloud-init/compute.yaml")).Body);
        Assert.Equal("changed", services.CloudInit.GetGroup("compute").Description);

        // delete through metadata-service removes the cloud-init group.
        var deleted = await Json(await Ochami(HttpMethod.Delete, $"/metadata-service/groups/{uid}"));
        Assert.Equal(uid, (string?)deleted["uid"]);
        Assert.Null(services.CloudInit.FindGroup("compute"));
        Assert.Equal(HttpStatusCode.NotFound, (await Ochami(HttpMethod.Get, $"/metadata-service/groups/{uid}")).StatusCode);

        // vendor-data lists only groups with a template: io has one, compute is gone, slurm never had one.
        Assert.Equal("#include\nhttp://172.16.0.254:8081/cloud-init/io.yaml\n", (await Node("/metadata-service/vendor-data", IpB)).Body);
        Assert.Equal("#include\n", (await Node("/metadata-service/vendor-data", IpA)).Body);
    }

    [Fact]
    public async Task A_profile_applies_to_its_group_until_it_expires_and_stays_stored()
    {
        Populate(services);
        var parent = await Created(await Ochami(HttpMethod.Post, "/metadata-service/profiles", Envelope("Profile", "gpu-base",
            """{"group":"compute","metaData":{"tier":"gpu","driver":"550"}}""")));
        var child = await Created(await Ochami(HttpMethod.Post, "/metadata-service/profiles", Envelope("Profile", "gpu-test",
            """{"group":"compute","parent":"gpu-base","template":"#cloud-config\nruncmd: [nvidia-smi]\n","metaData":{"driver":"560"},"ttl_seconds":3600}""")));
        Assert.Equal(clock.GetUtcNow().AddHours(1), (DateTimeOffset)child["spec"]!["expires_at"]!);

        var groups = At(Yaml((await Node("/metadata-service/meta-data")).Body), "instance_data", "v1", "vendor_data", "groups", "compute");
        Assert.Equal(("gpu", "560", "172.16.0.254"), (Scalar(groups, "tier"), Scalar(groups, "driver"), Scalar(groups, "syslog_aggregator")));
        Assert.Equal("#cloud-config\nruncmd: [nvidia-smi]\n", (await Node("/metadata-service/compute.yaml")).Body);
        Assert.Equal(ComputeConfig, (await Node("/cloud-init/compute.yaml")).Body); // /cloud-init answers as before

        clock.Advance(TimeSpan.FromSeconds(3601));
        groups = At(Yaml((await Node("/metadata-service/meta-data")).Body), "instance_data", "v1", "vendor_data", "groups", "compute");
        Assert.Equal(("gpu", "550"), (Scalar(groups, "tier"), Scalar(groups, "driver"))); // the parent never expires
        Assert.Equal(ComputeConfig, (await Node("/metadata-service/compute.yaml")).Body);
        var stillThere = await Json(await Ochami(HttpMethod.Get, $"/metadata-service/profiles/{child["metadata"]!["uid"]}"));
        Assert.Equal("gpu-test", (string?)stillThere["metadata"]!["name"]);

        // a profile written after the first fetch applies on the next one (nothing remembered hides it)
        await Created(await Ochami(HttpMethod.Post, "/metadata-service/profiles", Envelope("Profile", "io-extra", """{"group":"io","metaData":{"scratch":"/lus"}}""")));
        Assert.Equal("/lus", Scalar(Yaml((await Node("/metadata-service/meta-data", IpB)).Body), "instance_data", "v1", "vendor_data", "groups", "io", "scratch"));

        // the parent can't go while a child names it
        await AssertError(await Ochami(HttpMethod.Delete, $"/metadata-service/profiles/{parent["metadata"]!["uid"]}"), HttpStatusCode.Conflict, "parent");
    }

    [Fact]
    public async Task Network_config_has_every_nic_of_a_two_nic_node_and_parses_back()
    {
        Populate(services);
        services.EthernetInterfaces.Create(new EthernetInterface
        {
            MACAddress = "52:54:00:00:01:01", ComponentID = NodeA,
            IPAddresses = [new IPAddressMapping { IPAddress = "10.100.0.1", Network = "hsn" }],
        });
        var defaults = (await Json(await Ochami(HttpMethod.Get, "/metadata-service/clusterdefaultss")))[0]!;
        var put = await Ochami(HttpMethod.Put, $"/metadata-service/clusterdefaultss/{defaults["metadata"]!["uid"]}", Envelope("ClusterDefaults", "default",
            """{"base_url":"http://172.16.0.254:8081/metadata-service","cluster_name":"demo","networks":[{"name":"mgmt","cidr":"172.16.0.0/24","gateway":"172.16.0.254","dns":["172.16.0.253"],"search":["demo.local"]},{"name":"hsn","cidr":"10.100.0.0/16","mtu":9000}]}"""));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);

        var (status, body, type) = await Node("/metadata-service/network-config");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.StartsWith("application/x-yaml", type);
        var config = Yaml(body);
        Assert.Equal("2", Scalar(config, "version"));
        var ethernets = (YamlMappingNode)At(config, "ethernets");
        Assert.Equal(2, ethernets.Children.Count);
        var byMac = ethernets.Children.Values.Cast<YamlMappingNode>().ToDictionary(n => Scalar(n, "match", "macaddress"));
        Assert.Equal(["52:54:00:00:00:01", "52:54:00:00:01:01"], byMac.Keys.Order());
        var mgmt = byMac["52:54:00:00:00:01"];
        Assert.Equal("172.16.0.1/24", Scalar(mgmt, "addresses", "0"));
        Assert.Equal("false", Scalar(mgmt, "dhcp4"));
        Assert.Equal(("0.0.0.0/0", "172.16.0.254"), (Scalar(mgmt, "routes", "0", "to"), Scalar(mgmt, "routes", "0", "via")));
        Assert.Equal(("172.16.0.253", "demo.local"), (Scalar(mgmt, "nameservers", "addresses", "0"), Scalar(mgmt, "nameservers", "search", "0")));
        var hsn = byMac["52:54:00:00:01:01"];
        Assert.Equal(("10.100.0.1/16", "9000"), (Scalar(hsn, "addresses", "0"), Scalar(hsn, "mtu")));
        Assert.False(hsn.Children.ContainsKey("routes"));

        // the same through the node's signed seed URL, which stays out of the server log
        var seed = services.CloudInitSeeds.TokenFor(NodeA);
        Assert.Equal("/metadata-service/n/***/network-config", CloudInitSeedService.RedactPath($"/metadata-service/n/{seed}/network-config"));
        var seeded = await client.GetAsync($"/metadata-service/n/{seed}/network-config");
        Assert.Equal(body, await seeded.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Bad_input_is_400_with_upstreams_error_body_and_nothing_is_stored()
    {
        Populate(services);
        var before = services.CloudInit.GetDefaults();

        await AssertError(await Ochami(HttpMethod.Post, "/metadata-service/groups", """{"metadata":{"name":"gpu"}}"""), HttpStatusCode.BadRequest, "spec");
        await AssertError(await Ochami(HttpMethod.Post, "/metadata-service/groups", Envelope("Profile", "gpu", """{"template":"#cloud-config\n"}""")), HttpStatusCode.BadRequest, "kind");
        await AssertError(await Ochami(HttpMethod.Post, "/metadata-service/groups", "{not json"), HttpStatusCode.BadRequest, "JSON");
        await AssertError(await Ochami(HttpMethod.Post, "/metadata-service/groups", Envelope("Group", "gpu",
            """{"template":"## template: jinja\n#cloud-config\nhostname: {{ ds.meta_data.nodename }}\n"}""")), HttpStatusCode.BadRequest, "ds.meta_data.nodename");
        await AssertError(await Ochami(HttpMethod.Post, "/metadata-service/groups", Envelope("Group", "gpu", """{"description":"no template"}""")), HttpStatusCode.BadRequest, "template");
        Assert.Null(services.CloudInit.FindGroup("gpu"));

        // nid_length out of range, on create (a second defaults) and on replace of the existing one
        var defaults = (await Json(await Ochami(HttpMethod.Get, "/metadata-service/clusterdefaultss")))[0]!;
        await AssertError(await Ochami(HttpMethod.Put, $"/metadata-service/clusterdefaultss/{defaults["metadata"]!["uid"]}",
            Envelope("ClusterDefaults", "default", """{"base_url":"http://h/metadata-service","cluster_name":"x","nid_length":11}""")), HttpStatusCode.BadRequest, "nid_length");
        await AssertError(await Ochami(HttpMethod.Post, "/metadata-service/clusterdefaultss",
            Envelope("ClusterDefaults", "default", """{"base_url":"http://h/metadata-service","nid_length":2}""")), HttpStatusCode.BadRequest, "cluster_name");
        var after = services.CloudInit.GetDefaults();
        Assert.Equal((before.ClusterName, before.NidLength, before.BaseUrl), (after.ClusterName, after.NidLength, after.BaseUrl));

        // a WireGuard peer's key must be a key, its endpoint host:port, its xname an xname
        await AssertError(await Ochami(HttpMethod.Post, "/metadata-service/wireguardpeers", Envelope("WireGuardPeer", "p", """{"public_key":"c2hvcnQ="}""")), HttpStatusCode.BadRequest, "public_key");
        await AssertError(await Ochami(HttpMethod.Post, "/metadata-service/wireguardpeers", Envelope("WireGuardPeer", "p",
            """{"public_key":"aGVhZC1wdWJsaWMta2V5LWZvci13aXJlZ3VhcmQtMDA=","endpoint":"172.16.0.254"}""")), HttpStatusCode.BadRequest, "endpoint");
        await AssertError(await Ochami(HttpMethod.Post, "/metadata-service/wireguardpeers", Envelope("WireGuardPeer", "p",
            """{"public_key":"aGVhZC1wdWJsaWMta2V5LWZvci13aXJlZ3VhcmQtMDA=","xname":"node-1"}""")), HttpStatusCode.BadRequest, "xname");
        Assert.Empty(services.Metadata.WireGuardPeers.GetPeers());

        // a profile template is checked the same way; a parent must exist
        await AssertError(await Ochami(HttpMethod.Post, "/metadata-service/profiles", Envelope("Profile", "p",
            """{"group":"compute","template":"## template: jinja\n{% for k in ds.meta_data.instance_data.v1.public_keys %}{{ k }}{{ secret_key }}{% endfor %}"}""")), HttpStatusCode.BadRequest, "secret_key");
        await AssertError(await Ochami(HttpMethod.Post, "/metadata-service/profiles", Envelope("Profile", "p", """{"group":"compute","parent":"nope"}""")), HttpStatusCode.BadRequest, "parent");
        Assert.Empty((await Json(await Ochami(HttpMethod.Get, "/metadata-service/profiles"))).AsArray());

        // a template using only what meta-data defines (and its own loop variable) is accepted
        await Created(await Ochami(HttpMethod.Post, "/metadata-service/profiles", Envelope("Profile", "p",
            """{"group":"compute","template":"## template: jinja\n{% for k in ds.meta_data.instance_data.v1.public_keys %}{{ k | lower }}{% endfor %} {{ v1.local_hostname }} {{ ds.meta_data.instance_data.v1.vendor_data.groups.compute.syslog_aggregator }}"}""")));

        // unknown node and unknown kind
        await AssertError(await client.SendAsync(Get("/metadata-service/meta-data", forwardedFor: "172.16.9.9")), HttpStatusCode.NotFound, "172.16.9.9");
        Assert.Equal(HttpStatusCode.NotFound, (await Node("/metadata-service/io.yaml")).Status); // node A is not in io
        Assert.Equal(HttpStatusCode.NotFound, (await Ochami(HttpMethod.Get, "/metadata-service/bootconfigurations")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/metadata-service/n/not-a-token/meta-data")).StatusCode);
    }
}
