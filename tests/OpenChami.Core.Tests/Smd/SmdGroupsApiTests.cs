using System.Net;
using OpenChami.Core.Inventory;
using OpenChami.Core.Model;
using OpenChami.Core.Tests.Support;

namespace OpenChami.Core.Tests.Smd;

public sealed class SmdGroupsApiTests
{
    private static async Task<TestServer> StartWithNodesAsync()
    {
        var server = await TestServer.StartAsync();
        server.Services.Components.Upsert(
            Enumerable.Range(0, 4).Select(i => new Component { ID = $"x1000c0s{i}b0n0", State = HmsState.On }), force: false);
        return server;
    }

    private static string Snapshot(TestServer server) =>
        Serialization.ChamiJson.Serialize(new { g = server.Services.Groups.All(), p = server.Services.Partitions.Query() });

    [Fact]
    public async Task Groups_are_created_listed_and_read_in_the_exact_wire_shape()
    {
        await using var server = await StartWithNodesAsync();
        var response = await server.SendJsonAsync(HttpMethod.Post, "/hsm/v2/groups",
            """{"label":"Compute","description":"The compute group","tags":["slurm"],"members":{"ids":["x1000c0s0b0n0","X1000C0S1B0N0"]}}""");
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("""[{"URI":"/hsm/v2/groups/compute"}]""", await response.Content.ReadAsStringAsync());
        Assert.Equal("/hsm/v2/groups/compute", response.Headers.Location?.OriginalString);
        Assert.Equal("""{"label":"compute","description":"The compute group","tags":["slurm"],"members":{"ids":["x1000c0s0b0n0","x1000c0s1b0n0"]}}""",
            await server.Client.GetStringAsync("/hsm/v2/groups/compute"));
        await server.SendJsonAsync(HttpMethod.Post, "/hsm/v2/groups", """{"label":"empty"}""");
        Assert.Equal("""{"label":"empty","description":"","members":{"ids":[]}}""", await server.Client.GetStringAsync("/hsm/v2/groups/empty"));
        Assert.Equal("""["compute","empty"]""", await server.Client.GetStringAsync("/hsm/v2/groups/labels"));
        Assert.Equal(2, (await TestServer.ReadJsonAsync(await server.Client.GetAsync("/hsm/v2/groups"))).AsArray().Count);
        Assert.Equal("""{"ids":["x1000c0s0b0n0","x1000c0s1b0n0"]}""", await server.Client.GetStringAsync("/hsm/v2/groups/compute/members"));
        Assert.Equal("No such group: nope", await TestServer.AssertProblemAsync(await server.Client.GetAsync("/hsm/v2/groups/nope"), 404));
    }

    [Theory]
    [InlineData("""{"label":"bad label!"}""", 400, "couldn't validate group: group or partition field has invalid characters")]
    [InlineData("""{"label":"g","tags":["no spaces"]}""", 400, "couldn't validate group: group or partition field has invalid characters")]
    [InlineData("""{"label":"g","members":{"ids":["foo"]}}""", 400, "couldn't validate group: got HMSTypeInvalid instead of valid type")]
    [InlineData("""{"label":"g","members":{"ids":["x1000c0s0b0n0","x9c0s0b0n0"]}}""", 400, "linked component does not exist")]
    [InlineData("""{"label":"g","members":{"ids":["x1000c0s0b0n0","x1000c0s0b0n0"]}}""", 409, "operation would conflict with an existing group that has the same label or duplicate ids found in request.")]
    [InlineData("""{"label":"existing"}""", 409, "operation would conflict with an existing group that has the same label or duplicate ids found in request.")]
    [InlineData("""{"label":"g","exclusiveGroup":"os","members":{"ids":["x1000c0s3b0n0","x1000c0s2b0n0"]}}""", 409, "operation would conflict with an existing member in another exclusive group.")]
    [InlineData("""{"label":"g","members":"nope"}""", 400, null)]
    public async Task Group_create_errors_leave_the_store_unchanged(string body, int status, string? detail)
    {
        await using var server = await StartWithNodesAsync();
        server.Services.Groups.Create(new Group { Label = "existing" });
        server.Services.Groups.Create(new Group { Label = "rocky", ExclusiveGroup = "os", Members = new MemberList { Ids = ["x1000c0s2b0n0"] } });
        var before = Snapshot(server);
        var actual = await TestServer.AssertProblemAsync(await server.SendJsonAsync(HttpMethod.Post, "/hsm/v2/groups", body), status);
        if (detail is null) Assert.StartsWith("error decoding JSON", actual);
        else Assert.Equal(detail, actual);
        Assert.Equal(before, Snapshot(server));
    }

    [Fact]
    public async Task Group_filters_patch_and_delete()
    {
        await using var server = await StartWithNodesAsync();
        server.Services.Groups.Create(new Group { Label = "a", Tags = ["x"], Members = new MemberList { Ids = ["x1000c0s0b0n0", "x1000c0s1b0n0"] } });
        server.Services.Groups.Create(new Group { Label = "b", Tags = ["y"] });
        server.Services.Partitions.Create(new Partition { Name = "p1", Members = new MemberList { Ids = ["x1000c0s1b0n0"] } });
        async Task<string> Labels(string q) => string.Join(",", (await TestServer.ReadJsonAsync(await server.Client.GetAsync("/hsm/v2/groups" + q))).AsArray().Select(g => (string)g!["label"]!));
        Assert.Equal("a,b", await Labels("?group=A&group=b"));
        Assert.Equal("b", await Labels("?tag=y"));
        Assert.Equal("", await Labels("?group=a&tag=y"));
        Assert.Equal("""{"ids":["x1000c0s1b0n0"]}""", await server.Client.GetStringAsync("/hsm/v2/groups/a/members?partition=p1"));
        Assert.Equal("""{"ids":["x1000c0s0b0n0"]}""", await server.Client.GetStringAsync("/hsm/v2/groups/a/members?partition=NULL"));
        Assert.Equal("Invalid group label.", await TestServer.AssertProblemAsync(await server.Client.GetAsync("/hsm/v2/groups?group=bad%20label"), 400));
        Assert.Equal("Invalid tag.", await TestServer.AssertProblemAsync(await server.Client.GetAsync("/hsm/v2/groups?tag=bad%20tag"), 400));
        Assert.Equal("Invalid partition name.", await TestServer.AssertProblemAsync(await server.Client.GetAsync("/hsm/v2/groups?partition=q1"), 400));
        Assert.Equal("bad query param: no such partition", await TestServer.AssertProblemAsync(await server.Client.GetAsync("/hsm/v2/groups?partition=p9"), 400));

        var response = await server.SendJsonAsync(HttpMethod.Patch, "/hsm/v2/groups/a", """{"description":"new","tags":["z","Q"],"members":{"ids":[]}}""");
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("""{"label":"a","description":"new","tags":["z","q"],"members":{"ids":["x1000c0s0b0n0","x1000c0s1b0n0"]}}""", await server.Client.GetStringAsync("/hsm/v2/groups/a"));
        Assert.Equal("Request must have at least one patch field.", await TestServer.AssertProblemAsync(await server.SendJsonAsync(HttpMethod.Patch, "/hsm/v2/groups/a", """{"members":{"ids":[]}}"""), 400));
        Assert.Equal("no such group.", await TestServer.AssertProblemAsync(await server.SendJsonAsync(HttpMethod.Patch, "/hsm/v2/groups/zz", """{"description":"x"}"""), 404));

        Assert.Equal("""{"code":0,"message":"deleted 1 entry"}""", await (await server.Client.DeleteAsync("/hsm/v2/groups/a")).Content.ReadAsStringAsync());
        Assert.Equal("no such group.", await TestServer.AssertProblemAsync(await server.Client.DeleteAsync("/hsm/v2/groups/a"), 404));
        Assert.NotNull(server.Services.Components.Find("x1000c0s0b0n0")); // deleting a group deletes only the group
    }

    [Fact]
    public async Task Group_members_add_replace_and_remove()
    {
        await using var server = await StartWithNodesAsync();
        server.Services.Groups.Create(new Group { Label = "a", ExclusiveGroup = "os" });
        server.Services.Groups.Create(new Group { Label = "b", ExclusiveGroup = "os", Members = new MemberList { Ids = ["x1000c0s3b0n0"] } });
        var response = await server.SendJsonAsync(HttpMethod.Post, "/hsm/v2/groups/a/members", """{"id":"X1000C0S0B0N0"}""");
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("""[{"URI":"/hsm/v2/groups/a/members/x1000c0s0b0n0"}]""", await response.Content.ReadAsStringAsync());
        Assert.Equal(409, (int)(await server.SendJsonAsync(HttpMethod.Post, "/hsm/v2/groups/a/members", """{"id":"x1000c0s0b0n0"}""")).StatusCode);
        Assert.Equal("operation would conflict with an existing member in another exclusive group.",
            await TestServer.AssertProblemAsync(await server.SendJsonAsync(HttpMethod.Post, "/hsm/v2/groups/a/members", """{"id":"x1000c0s3b0n0"}"""), 409));
        Assert.Equal("invalid xname ID", await TestServer.AssertProblemAsync(await server.SendJsonAsync(HttpMethod.Post, "/hsm/v2/groups/a/members", """{"id":"foo"}"""), 400));
        Assert.Equal("linked component does not exist", await TestServer.AssertProblemAsync(await server.SendJsonAsync(HttpMethod.Post, "/hsm/v2/groups/a/members", """{"id":"x7c0s0b0n0"}"""), 400));
        await TestServer.AssertProblemAsync(await server.SendJsonAsync(HttpMethod.Post, "/hsm/v2/groups/nope/members", """{"id":"x1000c0s0b0n0"}"""), 404);

        response = await server.SendJsonAsync(HttpMethod.Put, "/hsm/v2/groups/a/members", """{"group":"ignored","ids":["x1000c0s1b0n0","x1000c0s2b0n0"]}""");
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("""[{"URI":"/hsm/v2/groups/a/members/x1000c0s1b0n0"},{"URI":"/hsm/v2/groups/a/members/x1000c0s2b0n0"}]""", await response.Content.ReadAsStringAsync());
        var before = Snapshot(server);
        Assert.Equal("invalid xname IDs: [foo]", await TestServer.AssertProblemAsync(await server.SendJsonAsync(HttpMethod.Put, "/hsm/v2/groups/a/members", """{"ids":["x1000c0s0b0n0","foo"]}"""), 400));
        await TestServer.AssertProblemAsync(await server.SendJsonAsync(HttpMethod.Put, "/hsm/v2/groups/a/members", """{"ids":["x1000c0s0b0n0","x1000c0s3b0n0"]}"""), 409);
        Assert.Equal(before, Snapshot(server));

        Assert.Equal("""{"code":0,"message":"deleted 1 entry"}""", await (await server.Client.DeleteAsync("/hsm/v2/groups/a/members/x1000c0s1b0n0")).Content.ReadAsStringAsync());
        Assert.Equal("group has no such member.", await TestServer.AssertProblemAsync(await server.Client.DeleteAsync("/hsm/v2/groups/a/members/x1000c0s1b0n0"), 404));
        Assert.Equal("invalid xname ID", await TestServer.AssertProblemAsync(await server.Client.DeleteAsync("/hsm/v2/groups/a/members/foo"), 400));
        Assert.Equal(HttpStatusCode.NoContent, (await server.SendJsonAsync(HttpMethod.Put, "/hsm/v2/groups/a/members", """{"ids":[]}""")).StatusCode);
        Assert.Empty(server.Services.Groups.Get("a").Members.Ids);
    }

    [Fact]
    public async Task Partitions_keep_a_component_in_at_most_one_partition()
    {
        await using var server = await StartWithNodesAsync();
        var response = await server.SendJsonAsync(HttpMethod.Post, "/hsm/v2/partitions", """{"name":"P1","description":"first","tags":["t"],"members":{"ids":["x1000c0s0b0n0"]}}""");
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("""[{"URI":"/hsm/v2/partitions/p1"}]""", await response.Content.ReadAsStringAsync());
        Assert.Equal("""{"name":"p1","description":"first","tags":["t"],"members":{"ids":["x1000c0s0b0n0"]}}""", await server.Client.GetStringAsync("/hsm/v2/partitions/p1"));
        await server.SendJsonAsync(HttpMethod.Post, "/hsm/v2/partitions", """{"name":"p1.2"}""");
        Assert.Equal("""{"name":"p1.2","members":{"ids":[]}}""", await server.Client.GetStringAsync("/hsm/v2/partitions/p1.2"));
        Assert.Equal("""["p1","p1.2"]""", await server.Client.GetStringAsync("/hsm/v2/partitions/names"));
        Assert.Single((await TestServer.ReadJsonAsync(await server.Client.GetAsync("/hsm/v2/partitions?tag=t"))).AsArray());
        Assert.Single((await TestServer.ReadJsonAsync(await server.Client.GetAsync("/hsm/v2/partitions?partition=p1.2"))).AsArray());
        Assert.Equal("Invalid partition name.", await TestServer.AssertProblemAsync(await server.Client.GetAsync("/hsm/v2/partitions?partition=x1"), 400));

        var before = Snapshot(server);
        Assert.Equal("couldn't validate partition: Bad partition name. Must be p# or p#.#",
            await TestServer.AssertProblemAsync(await server.SendJsonAsync(HttpMethod.Post, "/hsm/v2/partitions", """{"name":"p1x2"}"""), 400));
        Assert.Equal("operation would conflict with an existing member in another partition.",
            await TestServer.AssertProblemAsync(await server.SendJsonAsync(HttpMethod.Post, "/hsm/v2/partitions", """{"name":"p2","members":{"ids":["x1000c0s1b0n0","x1000c0s0b0n0"]}}"""), 409));
        Assert.Equal("operation would conflict with an existing partition that has the same name or duplicate ids found in request.",
            await TestServer.AssertProblemAsync(await server.SendJsonAsync(HttpMethod.Post, "/hsm/v2/partitions", """{"name":"p1"}"""), 409));
        Assert.Equal("operation would conflict with an existing member in another partition.",
            await TestServer.AssertProblemAsync(await server.SendJsonAsync(HttpMethod.Post, "/hsm/v2/partitions/p1.2/members", """{"id":"x1000c0s0b0n0"}"""), 409));
        Assert.Equal(before, Snapshot(server));

        response = await server.SendJsonAsync(HttpMethod.Post, "/hsm/v2/partitions/p1.2/members", """{"id":"x1000c0s1b0n0"}""");
        Assert.Equal("""[{"URI":"/hsm/v2/partitions/p1.2/members/x1000c0s1b0n0"}]""", await response.Content.ReadAsStringAsync());
        Assert.Equal("""{"ids":["x1000c0s1b0n0"]}""", await server.Client.GetStringAsync("/hsm/v2/partitions/p1.2/members"));
        Assert.Equal(HttpStatusCode.NoContent, (await server.SendJsonAsync(HttpMethod.Patch, "/hsm/v2/partitions/p1.2", """{"description":"d"}""")).StatusCode);
        Assert.Equal("d", server.Services.Partitions.Get("p1.2").Description);
        Assert.Equal("no such partition.", await TestServer.AssertProblemAsync(await server.SendJsonAsync(HttpMethod.Patch, "/hsm/v2/partitions/p9", """{"description":"d"}"""), 404));
        Assert.Equal("partition has no such member.", await TestServer.AssertProblemAsync(await server.Client.DeleteAsync("/hsm/v2/partitions/p1.2/members/x1000c0s0b0n0"), 404));
        Assert.Equal("""{"code":0,"message":"deleted 1 entry"}""", await (await server.Client.DeleteAsync("/hsm/v2/partitions/p1.2/members/x1000c0s1b0n0")).Content.ReadAsStringAsync());
        Assert.Equal("""{"code":0,"message":"deleted 1 entry"}""", await (await server.Client.DeleteAsync("/hsm/v2/partitions/p1.2")).Content.ReadAsStringAsync());
        Assert.Equal("No such partition: p1.2", await TestServer.AssertProblemAsync(await server.Client.GetAsync("/hsm/v2/partitions/p1.2"), 404));
        Assert.Equal("no such partition.", await TestServer.AssertProblemAsync(await server.Client.DeleteAsync("/hsm/v2/partitions/p1.2"), 404));
    }

    [Fact]
    public async Task Memberships_list_groups_and_partition_per_component()
    {
        await using var server = await StartWithNodesAsync();
        server.Services.Groups.Create(new Group { Label = "compute", Members = new MemberList { Ids = ["x1000c0s0b0n0", "x1000c0s1b0n0"] } });
        server.Services.Groups.Create(new Group { Label = "slurm", Members = new MemberList { Ids = ["x1000c0s0b0n0"] } });
        server.Services.Partitions.Create(new Partition { Name = "p1", Members = new MemberList { Ids = ["x1000c0s1b0n0"] } });
        Assert.Equal("""{"id":"x1000c0s0b0n0","groupLabels":["compute","slurm"],"partitionName":""}""", await server.Client.GetStringAsync("/hsm/v2/memberships/x1000c0s0b0n0"));
        Assert.Equal("""{"id":"x1000c0s3b0n0","groupLabels":[],"partitionName":""}""", await server.Client.GetStringAsync("/hsm/v2/memberships/X1000C0S3B0N0"));
        Assert.Equal("invalid xname", await TestServer.AssertProblemAsync(await server.Client.GetAsync("/hsm/v2/memberships/foo"), 400));
        Assert.Equal("No such xname: x9c0s0b0n0", await TestServer.AssertProblemAsync(await server.Client.GetAsync("/hsm/v2/memberships/x9c0s0b0n0"), 404));
        Assert.Equal("""[{"id":"x1000c0s1b0n0","groupLabels":["compute"],"partitionName":"p1"}]""", await server.Client.GetStringAsync("/hsm/v2/memberships?partition=p1"));
        Assert.Equal(4, (await TestServer.ReadJsonAsync(await server.Client.GetAsync("/hsm/v2/memberships"))).AsArray().Count);
        Assert.Equal("bad query param: Argument was not a valid HMS Type", await TestServer.AssertProblemAsync(await server.Client.GetAsync("/hsm/v2/memberships?type=x"), 400));
    }

    [Fact]
    public async Task Service_values_list_each_enum_once_and_per_kind()
    {
        await using var server = await TestServer.StartAsync();
        var all = await TestServer.ReadJsonAsync(await server.Client.GetAsync("/hsm/v2/service/values"));
        Assert.Equal(["Arch", "Class", "Flag", "NetType", "Role", "SubRole", "State", "Type"], all.AsObject().Select(p => p.Key).ToArray());
        Assert.Equal("""["Unknown","OK","Warning","Alert","Locked"]""", all["Flag"]!.ToJsonString());
        Assert.Equal(56, all["Type"]!.AsArray().Count);
        Assert.Equal("""{"Class":["River","Mountain","Hill"]}""", await server.Client.GetStringAsync("/hsm/v2/service/values/class"));
        Assert.Equal("404 page not found", await (await server.Client.GetAsync("/hsm/v2/service/values/bogus")).Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("PUT", "/hsm/v2/groups", "GET,POST")]
    // A literal path also matches {label}, but allows its own methods only (literal segments win).
    [InlineData("POST", "/hsm/v2/groups/labels", "GET")]
    [InlineData("DELETE", "/hsm/v2/groups/labels", "GET")]
    [InlineData("PUT", "/hsm/v2/groups/a", "DELETE,GET,PATCH")]
    [InlineData("PATCH", "/hsm/v2/groups/a/members", "GET,POST,PUT")]
    [InlineData("GET", "/hsm/v2/groups/a/members/x1c0s0b0n0", "DELETE")]
    [InlineData("PUT", "/hsm/v2/partitions", "GET,POST")]
    [InlineData("POST", "/hsm/v2/memberships", "GET")]
    [InlineData("DELETE", "/hsm/v2/service/values", "GET")]
    public async Task Wrong_methods_are_405_with_the_allow_list(string method, string path, string allowed)
    {
        await using var server = await TestServer.StartAsync();
        var detail = await TestServer.AssertProblemAsync(await server.SendJsonAsync(new HttpMethod(method), path, "{}"), 405);
        Assert.Equal(allowed, string.Join(",", detail["allow ".Length..].Split(',').Order()));
    }

    [Fact]
    public async Task Literal_segments_win_over_parameters()
    {
        await using var server = await StartWithNodesAsync();
        server.Services.Groups.Create(new Group { Label = "labels" });
        // /groups/labels is the label list, not the group called "labels".
        Assert.Equal("""["labels"]""", await server.Client.GetStringAsync("/hsm/v2/groups/labels"));
        server.Services.Partitions.Create(new Partition { Name = "p1" });
        Assert.Equal("""["p1"]""", await server.Client.GetStringAsync("/hsm/v2/partitions/names"));
    }
}
