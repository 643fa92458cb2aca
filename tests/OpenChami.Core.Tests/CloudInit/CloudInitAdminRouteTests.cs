using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using OpenChami.Core.Tests.Support;
using static OpenChami.Core.Tests.CloudInit.CloudInitFixture;

namespace OpenChami.Core.Tests.CloudInit;

/// <summary>Admin routes (spec/cloud-init.md §2.2, §4, §6, §7), at the root and under /cloud-init.</summary>
public sealed class CloudInitAdminRouteTests
{
    private static async Task<(int Status, string Body)> Send(TestServer server, HttpMethod method, string path, string? json = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null) request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await server.Client.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("")]
    [InlineData("/cloud-init")]
    public async Task Cluster_defaults_start_empty_post_merges_non_empty_fields_and_put_replaces(string prefix)
    {
        await using var server = await TestServer.StartAsync();
        var path = prefix + "/admin/cluster-defaults";
        Assert.Equal((200, "{}"), await Send(server, HttpMethod.Get, path));

        Assert.Equal((201, ""), await Send(server, HttpMethod.Post, path,
            """{"base-url":"http://172.16.0.254:8081/cloud-init/","cluster-name":"demo","nid-length":3,"public-keys":["ssh-ed25519 AAAA root@head"],"short-name":"nid","boot-subnet":"172.16.0.0/24","wg-subnet":"10.89.0.0/16","cloud-provider":"openchami"}"""));
        Assert.Equal((201, ""), await Send(server, HttpMethod.Post, path, """{"cluster-name":"","region":"lab","nid-length":0,"public-keys":[]}"""));

        Assert.Equal((200, """{"cloud_provider":"openchami","region":"lab","cluster-name":"demo","public-keys":["ssh-ed25519 AAAA root@head"],"base-url":"http://172.16.0.254:8081/cloud-init","boot-subnet":"172.16.0.0/24","wg-subnet":"10.89.0.0/16","short-name":"nid","nid-length":3}"""),
            await Send(server, HttpMethod.Get, path));

        Assert.Equal(200, (await Send(server, HttpMethod.Put, path, """{"cluster-name":"other"}""")).Status);
        Assert.Equal((200, """{"cluster-name":"other"}"""), await Send(server, HttpMethod.Get, path));
    }

    [Fact]
    public async Task Bad_cluster_defaults_are_400_plain_text_and_change_nothing()
    {
        await using var server = await TestServer.StartAsync();
        await Send(server, HttpMethod.Post, "/cloud-init/admin/cluster-defaults", """{"cluster-name":"demo"}""");
        foreach (var body in new[] { "{not json", """{"nid-length":"three"}""", """{"public-keys":"one"}""", """{"base-url":"not a url"}""", "[1]" })
        {
            var (status, text) = await Send(server, HttpMethod.Post, "/cloud-init/admin/cluster-defaults", body);
            Assert.Equal(400, status);
            Assert.EndsWith("\n", text);
            Assert.DoesNotContain("{", text[..1]);
        }
        Assert.Equal("""{"cluster-name":"demo"}""", (await Send(server, HttpMethod.Get, "/cloud-init/admin/cluster-defaults")).Body);
    }

    [Theory]
    [InlineData("")]
    [InlineData("/cloud-init")]
    public async Task Groups_crud_follows_the_spec_codes(string prefix)
    {
        await using var server = await TestServer.StartAsync();
        var groups = prefix + "/admin/groups";
        Assert.Equal((200, "{}"), await Send(server, HttpMethod.Get, groups));

        var compute = """{"name":"compute","description":"compute group cloud-config template","meta-data":{"syslog_aggregator":"172.16.0.254","nested":{"a":[1,2]}},"file":{"encoding":"plain","filename":"","content":"## template: jinja\n#cloud-config\n"}}""";
        using (var created = await server.SendJsonAsync(HttpMethod.Post, groups, compute))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            Assert.Equal("/groups/compute", created.Headers.Location?.OriginalString);
            Assert.Equal(string.Empty, await created.Content.ReadAsStringAsync());
        }
        Assert.Equal(409, (await Send(server, HttpMethod.Post, groups, compute)).Status);
        Assert.Equal((422, "name is required\n"), await Send(server, HttpMethod.Post, groups, """{"description":"x"}"""));
        Assert.Equal(422, (await Send(server, HttpMethod.Post, groups, "{bad")).Status);
        Assert.Equal(422, (await Send(server, HttpMethod.Post, groups, """{"name":"bad name!"}""")).Status);

        var all = JsonNode.Parse((await Send(server, HttpMethod.Get, groups)).Body)!;
        Assert.Equal("172.16.0.254", (string?)all["compute"]!["meta-data"]!["syslog_aggregator"]);
        Assert.Equal(2, (int)all["compute"]!["meta-data"]!["nested"]!["a"]![1]!);
        Assert.Equal("## template: jinja\n#cloud-config\n", (string?)all["compute"]!["file"]!["content"]);
        Assert.Equal(200, (await Send(server, HttpMethod.Get, groups + "/compute")).Status);
        Assert.Equal((404, "cloud-init group nosuch not found\n"), await Send(server, HttpMethod.Get, groups + "/nosuch"));

        // PUT: create or replace; empty body name defaults to the path; a different one is 422.
        Assert.Equal(201, (await Send(server, HttpMethod.Put, groups + "/slurm", """{"description":"slurm"}""")).Status);
        Assert.Equal("slurm", (string?)JsonNode.Parse((await Send(server, HttpMethod.Get, groups + "/slurm")).Body)!["description"]);
        Assert.Equal(422, (await Send(server, HttpMethod.Put, groups + "/slurm", """{"name":"compute"}""")).Status);
        Assert.Equal(201, (await Send(server, HttpMethod.Put, groups + "/compute", """{"name":"compute","description":"replaced"}""")).Status);
        Assert.Equal("""{"name":"compute","description":"replaced"}""", (await Send(server, HttpMethod.Get, groups + "/compute")).Body);

        Assert.Equal((200, ""), await Send(server, HttpMethod.Delete, groups + "/compute"));
        Assert.Equal(404, (await Send(server, HttpMethod.Delete, groups + "/compute")).Status);
    }

    [Fact]
    public async Task Invalid_base64_content_is_refused_at_store_time_with_400_problem_json()
    {
        await using var server = await TestServer.StartAsync();
        using var response = await server.SendJsonAsync(HttpMethod.Post, "/cloud-init/admin/groups", """{"name":"b64","file":{"encoding":"base64","content":"not*base64"}}""");
        Assert.Contains("not valid base64", await TestServer.AssertProblemAsync(response, 400));
        Assert.Empty(server.Services.CloudInit.GetGroups());

        var good = Convert.ToBase64String(Encoding.UTF8.GetBytes("#cloud-config\n"));
        Assert.Equal(201, (await Send(server, HttpMethod.Post, "/cloud-init/admin/groups", "{\"name\":\"b64\",\"file\":{\"encoding\":\"base64\",\"content\":\"" + good + "\"}}")).Status);
        Assert.Equal(good, (string?)JsonNode.Parse((await Send(server, HttpMethod.Get, "/cloud-init/admin/groups/b64")).Body)!["file"]!["content"]);
    }

    [Fact]
    public async Task Instance_info_put_replaces_keeps_the_instance_id_and_accepts_underscore_keys()
    {
        await using var server = await TestServer.StartAsync();
        var path = $"/cloud-init/admin/instance-info/{NodeA}";
        Assert.Equal(404, (await Send(server, HttpMethod.Get, path)).Status);

        Assert.Equal((201, ""), await Send(server, HttpMethod.Put, path, """{"id":"ignored","instance-id":"i-deadbeef","local_hostname":"nid001","hostname":"nid001.demo","public-keys":["ssh-ed25519 AAAA x@y"]}"""));
        Assert.Equal("""{"id":"x1000c0s0b0n0","instance-id":"i-deadbeef","local-hostname":"nid001","hostname":"nid001.demo","public-keys":["ssh-ed25519 AAAA x@y"]}""",
            (await Send(server, HttpMethod.Get, path)).Body);

        Assert.Equal(201, (await Send(server, HttpMethod.Put, path, """{"instance-id":"i-00000000","instance_type":"gpu"}""")).Status);
        Assert.Equal("""{"id":"x1000c0s0b0n0","instance-id":"i-deadbeef","instance-type":"gpu"}""", (await Send(server, HttpMethod.Get, "/admin/instance-info/" + NodeA)).Body);

        Assert.Equal(400, (await Send(server, HttpMethod.Put, path, "{oops")).Status);
        Assert.Equal(400, (await Send(server, HttpMethod.Put, "/cloud-init/admin/instance-info/not-an-xname", "{}")).Status);
        Assert.Equal(400, (await Send(server, HttpMethod.Put, path, """{"hostname":"bad host"}""")).Status);
        Assert.Equal("gpu", server.Services.CloudInit.GetInstance(NodeA).InstanceType);

        Assert.Equal((200, ""), await Send(server, HttpMethod.Delete, path));
        Assert.Equal(404, (await Send(server, HttpMethod.Delete, path)).Status);
    }

    [Fact]
    public async Task Impersonation_shows_what_a_node_receives_without_an_address_check()
    {
        await using var server = await TestServer.StartAsync();
        Populate(server.Services);
        var (status, meta) = await Send(server, HttpMethod.Get, $"/cloud-init/admin/impersonation/{NodeB}/meta-data");
        Assert.Equal(200, status);
        Assert.Contains("hostname: nid002\n", meta);
        Assert.Contains("local_ipv4: 172.16.0.2\n", meta); // the first IP of the node's first interface
        Assert.Equal((200, "#cloud-config"), await Send(server, HttpMethod.Get, $"/admin/impersonation/{NodeB}/user-data"));
        Assert.Equal((200, "#include\nhttp://172.16.0.254:8081/cloud-init/io.yaml\n"), await Send(server, HttpMethod.Get, $"/cloud-init/admin/impersonation/{NodeB}/vendor-data"));
        Assert.Contains("only-for-io", (await Send(server, HttpMethod.Get, $"/cloud-init/admin/impersonation/{NodeB}/io.yaml")).Body);
        Assert.Equal(404, (await Send(server, HttpMethod.Get, $"/cloud-init/admin/impersonation/{NodeB}/compute.yaml")).Status);
        Assert.Equal((404, "node x9000c0s0b0n0 not found in SMD\n"), await Send(server, HttpMethod.Get, "/cloud-init/admin/impersonation/x9000c0s0b0n0/meta-data"));
    }
}
