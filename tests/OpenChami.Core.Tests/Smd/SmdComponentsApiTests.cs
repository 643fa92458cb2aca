using System.Net;
using System.Text.Json.Nodes;
using OpenChami.Core.Inventory;
using OpenChami.Core.Model;
using OpenChami.Core.Tests.Support;

namespace OpenChami.Core.Tests.Smd;

public sealed class SmdComponentsApiTests
{
    private const string Components = "/hsm/v2/State/Components";

    private static async Task<TestServer> StartWithComponentsAsync()
    {
        var server = await TestServer.StartAsync();
        var response = await server.SendJsonAsync(HttpMethod.Post, Components, """
            {"Components":[
              {"ID":"x1000c0s0b0n0","State":"On","Role":"Compute","NID":1,"Arch":"X86","Class":"River","NetType":"Sling"},
              {"ID":"x1000c0s0b0n1","State":"Off","NID":2,"Role":"Service","SubRole":"Worker"},
              {"ID":"x1000c0s1b0n0","State":"Ready","NID":3,"SoftwareStatus":"AdminDown"},
              {"ID":"x1000c0s0b0","State":"Ready"},
              {"ID":"x1001c0s0b0n0","State":"On","NID":10,"Enabled":false}
            ]}
            """);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        return server;
    }

    private static async Task<List<string>> IdsAsync(TestServer server, string path)
    {
        var response = await server.Client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await TestServer.ReadJsonAsync(response);
        return body["Components"]!.AsArray().Select(c => (string)c!["ID"]!).ToList();
    }

    private static string Snapshot(TestServer server) =>
        Serialization.ChamiJson.Serialize(server.Services.Components.Query(new ComponentQuery()));

    [Fact]
    public async Task Post_creates_components_with_defaults_and_get_returns_the_exact_wire_shape()
    {
        await using var server = await StartWithComponentsAsync();
        Assert.Equal("""{"ID":"x1000c0s0b0n0","Type":"Node","State":"On","Flag":"OK","Enabled":true,"Role":"Compute","NID":1,"NetType":"Sling","Arch":"X86","Class":"River"}""",
            await server.Client.GetStringAsync(Components + "/x1000c0s0b0n0"));
        Assert.Equal("""{"ID":"x1000c0s0b0","Type":"NodeBMC","State":"Ready","Flag":"OK","Enabled":true}""",
            await server.Client.GetStringAsync(Components + "/X1000C0S0B0"));
        // Node defaults: computed NID and Role Compute when missing.
        await server.SendJsonAsync(HttpMethod.Post, Components, """{"components":[{"id":"x1000c0s0b0n3","state":"on"}]}""");
        var node = server.Services.Components.Get("x1000c0s0b0n3");
        Assert.Equal(16384L * 1001 + 3, node.NID);
        Assert.Equal("Compute", node.Role);
        Assert.Equal(HmsState.On, node.State);
    }

    [Fact]
    public async Task Post_of_an_existing_id_keeps_it_unless_forced_and_force_overwrites_only_state_fields()
    {
        await using var server = await StartWithComponentsAsync();
        var response = await server.SendJsonAsync(HttpMethod.Post, Components,
            """{"Components":[{"ID":"x1000c0s0b0n0","State":"Off","Role":"Service","NID":99,"Arch":"ARM"}]}""");
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(HmsState.On, server.Services.Components.Get("x1000c0s0b0n0").State);

        response = await server.SendJsonAsync(HttpMethod.Post, Components,
            """{"Components":[{"ID":"x1000c0s0b0n0","State":"Off","Flag":"Warning","Role":"Service","NID":99,"Arch":"ARM"}],"force":true}""");
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var c = server.Services.Components.Get("x1000c0s0b0n0");
        Assert.Equal((HmsState.Off, HmsFlag.Warning, HmsArch.ARM), (c.State!.Value, c.Flag!.Value, c.Arch!.Value));
        Assert.Equal(("Compute", 1L), (c.Role, c.NID!.Value)); // kept: PATCH routes change those
    }

    [Fact]
    public async Task A_bad_item_in_a_bulk_post_rejects_the_whole_request_and_changes_nothing()
    {
        await using var server = await StartWithComponentsAsync();
        var before = Snapshot(server);
        var response = await server.SendJsonAsync(HttpMethod.Post, Components,
            """{"Components":[{"ID":"x2000c0s0b0n0","State":"On"},{"ID":"x2000c0s0b0n1","State":"FAKE"}],"force":true}""");
        Assert.StartsWith("couldn't validate components: state 'FAKE' is invalid", await TestServer.AssertProblemAsync(response, 400));
        response = await server.SendJsonAsync(HttpMethod.Post, Components,
            """{"Components":[{"ID":"x1000c0s0b0n0","State":"Off"},{"ID":"x2000c0s0b0n0","State":"On"},{"ID":"foo","State":"On"}],"force":true}""");
        Assert.StartsWith("couldn't validate components: ", await TestServer.AssertProblemAsync(response, 400));
        response = await server.SendJsonAsync(HttpMethod.Post, Components, """{"Components":[{"ID":"x2000c0s0b0n0"}]}""");
        await TestServer.AssertProblemAsync(response, 400);
        Assert.Equal(before, Snapshot(server));
        Assert.Null(server.Services.Components.Find("x2000c0s0b0n0"));
    }

    [Fact]
    public async Task A_repeated_id_in_one_post_is_stored_once_first_wins_unless_forced()
    {
        await using var server = await TestServer.StartAsync();
        await server.SendJsonAsync(HttpMethod.Post, Components, """{"Components":[{"ID":"x1c0s0b0n0","State":"On"},{"ID":"X1C0S0B0N0","State":"Off"}]}""");
        Assert.Equal(HmsState.On, server.Services.Components.Get("x1c0s0b0n0").State);
        await server.SendJsonAsync(HttpMethod.Post, Components, """{"Components":[{"ID":"x2c0s0b0n0","State":"On"},{"ID":"x2c0s0b0n0","State":"Off"}],"force":true}""");
        Assert.Equal(HmsState.Off, server.Services.Components.Get("x2c0s0b0n0").State);
        Assert.Equal(2, server.Services.Components.Query(new ComponentQuery()).Count);
    }

    [Theory]
    [InlineData("""{"Components":[]}""", "Missing Components")]
    [InlineData("""{"Components":[{"ID":"","State":"On"}]}""", "Missing Components")]
    [InlineData("""{}""", "Missing Components")]
    public async Task Post_without_components_is_400_missing_components(string body, string detail)
    {
        await using var server = await TestServer.StartAsync();
        Assert.Equal(detail, await TestServer.AssertProblemAsync(await server.SendJsonAsync(HttpMethod.Post, Components, body), 400));
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("""{"Components":[{"ID":"x1000c0s0b0n0","State":"On","NID":"7"}]}""")]
    [InlineData("")]
    public async Task Malformed_json_and_wrong_json_types_are_400_error_decoding_json(string body)
    {
        await using var server = await TestServer.StartAsync();
        var detail = await TestServer.AssertProblemAsync(await server.SendJsonAsync(HttpMethod.Post, Components, body), 400);
        Assert.StartsWith("error decoding JSON ", detail);
        Assert.Empty(server.Services.Components.Query(new ComponentQuery()));
    }

    [Fact]
    public async Task Get_filters_follow_the_spec_semantics()
    {
        await using var server = await StartWithComponentsAsync();
        Assert.Equal(["x1000c0s0b0n0", "x1000c0s0b0n1", "x1000c0s1b0n0", "x1001c0s0b0n0"], await IdsAsync(server, Components + "?type=node"));
        Assert.Equal(["x1000c0s0b0"], await IdsAsync(server, Components + "?TYPE=NodeBMC"));
        Assert.Equal(["x1000c0s0b0", "x1000c0s0b0n0", "x1000c0s0b0n1"], await IdsAsync(server, Components + "?type=Node&type=NodeBMC&id=x1000c0s0b0n0&id=x1000c0s0b0n1&id=X1000C0S0B0"));
        Assert.Equal(["x1000c0s0b0n1", "x1000c0s1b0n0"], await IdsAsync(server, Components + "?type=Node&state=!On"));
        Assert.Equal(["x1000c0s1b0n0"], await IdsAsync(server, Components + "?state=!On&state=!Off&type=Node"));
        Assert.Equal(["x1001c0s0b0n0"], await IdsAsync(server, Components + "?enabled=f"));
        Assert.Equal(["x1000c0s0b0n1"], await IdsAsync(server, Components + "?role=service&subrole=WORKER"));
        Assert.Equal(["x1000c0s1b0n0"], await IdsAsync(server, Components + "?softwarestatus=AdminDown"));
        Assert.Equal(["x1000c0s0b0n0"], await IdsAsync(server, Components + "?arch=x86&class=river"));
        Assert.Equal(["x1000c0s0b0n0", "x1000c0s0b0n1", "x1001c0s0b0n0"], await IdsAsync(server, Components + "?nid=10&nid_start=1&nid_end=2"));
        Assert.Equal(["x1000c0s1b0n0", "x1001c0s0b0n0"], await IdsAsync(server, Components + "?nid_start=3"));
        Assert.Equal(["x1000c0s0b0n0", "x1000c0s0b0n1"], await IdsAsync(server, Components + "?nid_end=2"));
        Assert.Equal(["x1000c0s0b0n0"], await IdsAsync(server, Components + "?locked=False&nid=1&nettype=ignored"));

        var stateOnly = await server.Client.GetStringAsync(Components + "?id=x1000c0s0b0n0&stateonly=true");
        Assert.Equal("""{"Components":[{"ID":"x1000c0s0b0n0","Type":"Node","State":"On","Flag":"OK"}]}""", stateOnly);
        Assert.Equal("""{"Components":[{"ID":"x1000c0s0b0n0","Type":"Node","NID":1}]}""",
            await server.Client.GetStringAsync(Components + "?id=x1000c0s0b0n0&nidonly=1&roleonly=0"));
    }

    [Theory]
    [InlineData("type=fake", "bad query param: Argument was not a valid HMS Type")]
    [InlineData("state=fake", "bad query param: Argument was not a valid HMS State")]
    [InlineData("flag=fake", "bad query param: Argument was not a valid HMS Flag")]
    [InlineData("role=fake", "bad query param: Argument was not a valid HMS Role")]
    [InlineData("subrole=fake", "bad query param: Argument was not a valid HMS SubRole")]
    [InlineData("arch=fake", "bad query param: Argument was not a valid HMS Arch")]
    [InlineData("class=fake", "bad query param: Argument was not a valid HMS Class")]
    [InlineData("id=foo", "bad query param: Argument was not a valid xname ID")]
    [InlineData("nid=x", "bad query param: a required argument was not an integer")]
    [InlineData("enabled=maybe", "bad query param: a required argument did not match any valid input")]
    [InlineData("group=a&group=b&partition=p1&partition=p2", "bad query param: group and partition cannot both have more than one value")]
    [InlineData("type=Node&type=bogus", "bad query param: Argument was not a valid HMS Type")]
    public async Task Bad_filter_values_are_400(string query, string detail)
    {
        await using var server = await StartWithComponentsAsync();
        Assert.Equal(detail, await TestServer.AssertProblemAsync(await server.Client.GetAsync($"{Components}?{query}"), 400));
    }

    [Fact]
    public async Task Group_and_partition_filters_select_members_and_null_selects_the_rest()
    {
        await using var server = await StartWithComponentsAsync();
        server.Services.Groups.Create(new Group { Label = "compute", Members = new MemberList { Ids = ["x1000c0s0b0n0", "x1000c0s0b0n1"] } });
        server.Services.Partitions.Create(new Partition { Name = "p1", Members = new MemberList { Ids = ["x1000c0s0b0n1"] } });
        Assert.Equal(["x1000c0s0b0n0", "x1000c0s0b0n1"], await IdsAsync(server, Components + "?group=Compute"));
        Assert.Equal(["x1000c0s0b0n1"], await IdsAsync(server, Components + "?group=compute&partition=p1"));
        Assert.Equal(["x1000c0s1b0n0", "x1001c0s0b0n0"], await IdsAsync(server, Components + "?group=NULL&type=Node"));
        Assert.Equal(["x1000c0s0b0n0"], await IdsAsync(server, Components + "?group=compute&partition=NULL"));
    }

    [Fact]
    public async Task Put_upserts_one_component_and_checks_the_body_id()
    {
        await using var server = await StartWithComponentsAsync();
        var response = await server.SendJsonAsync(HttpMethod.Put, Components + "/x3000c0s0b0n0", """{"Component":{"State":"On"}}""");
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("Node", server.Services.Components.Get("x3000c0s0b0n0").Type.ToString());
        response = await server.SendJsonAsync(HttpMethod.Put, Components + "/x3000c0s0b0n0", """{"Component":{"ID":"x3000c0s0b0n1","State":"On"}}""");
        Assert.Equal("ID in URL and POST body do not match", await TestServer.AssertProblemAsync(response, 400));
        response = await server.SendJsonAsync(HttpMethod.Put, Components + "/x3000c0s0b0n0", """{"Component":{"ID":"X3000C0S0B0N0","State":"Off"},"force":true}""");
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(HmsState.Off, server.Services.Components.Get("x3000c0s0b0n0").State);
        response = await server.SendJsonAsync(HttpMethod.Put, Components + "/x3000c0s0b0n0", """{"Component":{"State":"Nope"},"force":true}""");
        Assert.StartsWith("couldn't validate component: state 'Nope' is invalid", await TestServer.AssertProblemAsync(response, 400));
    }

    [Fact]
    public async Task Delete_one_and_all_report_counts_and_remove_memberships()
    {
        await using var server = await StartWithComponentsAsync();
        server.Services.Groups.Create(new Group { Label = "compute", Members = new MemberList { Ids = ["x1000c0s0b0n0"] } });
        server.Services.Partitions.Create(new Partition { Name = "p1", Members = new MemberList { Ids = ["x1000c0s0b0n1"] } });
        Assert.Equal("invalid xname", await TestServer.AssertProblemAsync(await server.Client.DeleteAsync(Components + "/foo"), 400));
        Assert.Equal("no such xname.", await TestServer.AssertProblemAsync(await server.Client.DeleteAsync(Components + "/x9c0s0b0n0"), 404));
        Assert.Equal("""{"code":0,"message":"deleted 1 entry"}""", await (await server.Client.DeleteAsync(Components + "/x1000c0s0b0n0")).Content.ReadAsStringAsync());
        Assert.Empty(server.Services.Groups.Get("compute").Members.Ids);

        Assert.Equal("""{"code":0,"message":"deleted 4 entries"}""", await (await server.Client.DeleteAsync(Components)).Content.ReadAsStringAsync());
        Assert.Empty(server.Services.Partitions.Get("p1").Members.Ids);
        Assert.Equal("no entries to delete", await TestServer.AssertProblemAsync(await server.Client.DeleteAsync(Components), 404));
        Assert.Equal("""{"Components":[]}""", await server.Client.GetStringAsync(Components));
    }

    [Fact]
    public async Task BulkStateData_follows_the_state_machine_skips_unknown_ids_and_needs_force_for_empty()
    {
        await using var server = await StartWithComponentsAsync();
        // x1000c0s0b0n0 On -> Standby not allowed (skipped), x1000c0s1b0n0 Ready -> Standby allowed, x9 absent (skipped).
        var response = await server.SendJsonAsync(HttpMethod.Patch, Components + "/BulkStateData",
            """{"ComponentIDs":["x1000c0s0b0n0","x1000c0s1b0n0","x9c0s0b0n0"],"State":"standby"}""");
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(HmsState.On, server.Services.Components.Get("x1000c0s0b0n0").State);
        Assert.Equal(HmsState.Standby, server.Services.Components.Get("x1000c0s1b0n0").State);

        var before = Snapshot(server);
        Assert.Equal("operation not allowed and not forced.", await TestServer.AssertProblemAsync(await server.SendJsonAsync(HttpMethod.Patch,
            Components + "/BulkStateData", """{"ComponentIDs":["x1000c0s0b0n0"],"State":"Empty"}"""), 400));
        Assert.Equal("Missing IDs", await TestServer.AssertProblemAsync(await server.SendJsonAsync(HttpMethod.Patch,
            Components + "/BulkStateData", """{"ComponentIDs":[],"State":"On"}"""), 400));
        Assert.Equal("Missing State", await TestServer.AssertProblemAsync(await server.SendJsonAsync(HttpMethod.Patch,
            Components + "/BulkStateData", """{"ComponentIDs":["x1000c0s0b0n0"]}"""), 400));
        Assert.Equal("Argument was not a valid HMS State", await TestServer.AssertProblemAsync(await server.SendJsonAsync(HttpMethod.Patch,
            Components + "/BulkStateData", """{"ComponentIDs":["x1000c0s0b0n0"],"State":"Sleepy"}"""), 400));
        // One bad xname: nothing changes, not even the valid ones listed first.
        Assert.Equal("invalid xname ID", await TestServer.AssertProblemAsync(await server.SendJsonAsync(HttpMethod.Patch,
            Components + "/BulkStateData", """{"ComponentIDs":["x1000c0s0b0n0","x1000c0s0b0n1","bogus"],"State":"Off"}"""), 400));
        Assert.Equal(before, Snapshot(server));

        response = await server.SendJsonAsync(HttpMethod.Patch, Components + "/BulkStateData",
            """{"ComponentIDs":["x1000c0s0b0n0","x1000c0s0b0n1"],"State":"Empty","Flag":"Alert","Force":true}""");
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.All(server.Services.Components.Query(new ComponentQuery { }).Where(c => c.ID.StartsWith("x1000c0s0b0n", StringComparison.Ordinal)),
            c => Assert.Equal((HmsState.Empty, HmsFlag.Alert), (c.State!.Value, c.Flag!.Value)));
    }

    [Fact]
    public async Task Bulk_patch_routes_change_their_field_for_every_listed_component_atomically()
    {
        await using var server = await StartWithComponentsAsync();
        async Task Patch(string route, string body) =>
            Assert.Equal(HttpStatusCode.NoContent, (await server.SendJsonAsync(HttpMethod.Patch, Components + route, body)).StatusCode);
        await Patch("/BulkFlagOnly", """{"ComponentIDs":["x1000c0s0b0n0","x1000c0s0b0n1"],"Flag":"warn"}""");
        await Patch("/BulkEnabled", """{"ComponentIDs":["x1000c0s0b0n0"],"Enabled":false}""");
        await Patch("/BulkSoftwareStatus", """{"ComponentIDs":["x1000c0s0b0n0"],"SoftwareStatus":"DvsAvailable"}""");
        await Patch("/BulkRole", """{"ComponentIDs":["x1000c0s0b0n0","x1000c0s0b0n1"],"Role":"application"}""");
        await Patch("/BulkNID", """{"Components":[{"ID":"x1000c0s0b0n0","NID":100},{"ID":"x1000c0s0b0n1","NID":101},{"ID":"x77c0s0b0n0","NID":5}]}""");
        Assert.Equal("""{"ID":"x1000c0s0b0n0","Type":"Node","State":"On","Flag":"Warning","Enabled":false,"SoftwareStatus":"DvsAvailable","Role":"Application","NID":100,"NetType":"Sling","Arch":"X86","Class":"River"}""",
            await server.Client.GetStringAsync(Components + "/x1000c0s0b0n0"));
        var n1 = server.Services.Components.Get("x1000c0s0b0n1");
        Assert.Equal(("Application", null, 101L, HmsFlag.Warning), (n1.Role, n1.SubRole, n1.NID!.Value, n1.Flag!.Value));

        var before = Snapshot(server);
        Assert.Equal("invalid xname ID", await TestServer.AssertProblemAsync(await server.SendJsonAsync(HttpMethod.Patch,
            Components + "/BulkNID", """{"Components":[{"ID":"x1000c0s0b0n0","NID":7},{"ID":"nope","NID":8}]}"""), 400));
        Assert.Equal("invalid xname ID", await TestServer.AssertProblemAsync(await server.SendJsonAsync(HttpMethod.Patch,
            Components + "/BulkEnabled", """{"ComponentIDs":["x1000c0s0b0n0","x1000c0s0b0n1","x1000c0s0b0n1q"],"Enabled":true}"""), 400));
        Assert.Equal("Missing Flag", await TestServer.AssertProblemAsync(await server.SendJsonAsync(HttpMethod.Patch, Components + "/BulkFlagOnly", """{"ComponentIDs":["x1000c0s0b0n0"]}"""), 400));
        Assert.Equal("Missing Enabled field", await TestServer.AssertProblemAsync(await server.SendJsonAsync(HttpMethod.Patch, Components + "/BulkEnabled", """{"ComponentIDs":["x1000c0s0b0n0"]}"""), 400));
        Assert.Equal("Missing SoftwareStatus", await TestServer.AssertProblemAsync(await server.SendJsonAsync(HttpMethod.Patch, Components + "/BulkSoftwareStatus", """{"ComponentIDs":["x1000c0s0b0n0"]}"""), 400));
        Assert.Equal("Missing Role", await TestServer.AssertProblemAsync(await server.SendJsonAsync(HttpMethod.Patch, Components + "/BulkRole", """{"ComponentIDs":["x1000c0s0b0n0"]}"""), 400));
        Assert.Equal("Argument was not a valid HMS Role", await TestServer.AssertProblemAsync(await server.SendJsonAsync(HttpMethod.Patch, Components + "/BulkRole", """{"ComponentIDs":["x1000c0s0b0n0"],"Role":"chef"}"""), 400));
        Assert.Equal("Missing Components", await TestServer.AssertProblemAsync(await server.SendJsonAsync(HttpMethod.Patch, Components + "/BulkNID", """{"Components":[]}"""), 400));
        Assert.Equal(before, Snapshot(server));
    }

    [Fact]
    public async Task Per_component_patch_routes_check_the_path_and_body_ids()
    {
        await using var server = await StartWithComponentsAsync();
        async Task<HttpResponseMessage> Patch(string route, string body) => await server.SendJsonAsync(HttpMethod.Patch, Components + route, body);
        Assert.Equal(HttpStatusCode.NoContent, (await Patch("/x1000c0s0b0n0/StateData", """{"State":"Off"}""")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await Patch("/x1000c0s0b0n0/FlagOnly", """{"ID":"X1000C0S0B0N0","Flag":"Alert"}""")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await Patch("/x1000c0s0b0n0/Enabled", """{"Enabled":false}""")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await Patch("/x1000c0s0b0n0/SoftwareStatus", """{"SoftwareStatus":"x"}""")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await Patch("/x1000c0s0b0n0/Role", """{"Role":"Storage","SubRole":"Master"}""")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await Patch("/x1000c0s0b0n0/NID", """{"NID":-1}""")).StatusCode);
        var c = server.Services.Components.Get("x1000c0s0b0n0");
        Assert.Equal((HmsState.Off, HmsFlag.Alert, false, "x", "Storage", "Master", (long?)null),
            (c.State!.Value, c.Flag!.Value, c.Enabled!.Value, c.SoftwareStatus, c.Role, c.SubRole, c.NID));
        Assert.DoesNotContain("NID", await server.Client.GetStringAsync(Components + "/x1000c0s0b0n0"));

        Assert.Equal("ID in URL and PATCH body do not match", await TestServer.AssertProblemAsync(await Patch("/x1000c0s0b0n0/FlagOnly", """{"ID":"x1000c0s0b0n1","Flag":"OK"}"""), 400));
        Assert.Equal("invalid xname ID", await TestServer.AssertProblemAsync(await Patch("/bogus/Enabled", """{"Enabled":true}"""), 400));
        Assert.Equal("Missing NID", await TestServer.AssertProblemAsync(await Patch("/x1000c0s0b0n0/NID", """{}"""), 400));
        Assert.StartsWith("error decoding JSON", await TestServer.AssertProblemAsync(await Patch("/x1000c0s0b0n0/NID", """{"NID":"five"}"""), 400));
        // Absent but valid: silently skipped.
        Assert.Equal(HttpStatusCode.NoContent, (await Patch("/x5c0s0b0n0/Enabled", """{"Enabled":true}""")).StatusCode);
        Assert.Null(server.Services.Components.Find("x5c0s0b0n0"));
    }

    [Fact]
    public async Task Per_component_StateData_never_drops_fields_with_a_204()
    {
        await using var server = await StartWithComponentsAsync();
        async Task<HttpResponseMessage> Patch(string route, string body) => await server.SendJsonAsync(HttpMethod.Patch, Components + route, body);
        var before = Snapshot(server);

        // On -> Standby is refused by the state machine: the whole request fails in upstream's words, the Flag is not lost silently.
        Assert.Equal("operation not allowed and not forced.",
            await TestServer.AssertProblemAsync(await Patch("/x1000c0s0b0n0/StateData", """{"State":"Standby","Flag":"Warning"}"""), 400));
        Assert.Equal(before, Snapshot(server));

        // Locked keeps Locked through a state change: an explicit other Flag with an unchanged State is refused, not dropped.
        Assert.Equal(HttpStatusCode.NoContent, (await Patch("/x1000c0s0b0n0/FlagOnly", """{"Flag":"Locked"}""")).StatusCode);
        Assert.Contains("is Locked and a state change keeps that flag, so Flag Alert would not be applied",
            await TestServer.AssertProblemAsync(await Patch("/x1000c0s0b0n0/StateData", """{"State":"On","Flag":"Alert"}"""), 400));
        Assert.Equal((HmsState.On, HmsFlag.Locked), (server.Services.Components.Get("x1000c0s0b0n0").State!.Value, server.Services.Components.Get("x1000c0s0b0n0").Flag!.Value));
        // Without a Flag the state changes and the lock stays (SMD's rule), as before.
        Assert.Equal(HttpStatusCode.NoContent, (await Patch("/x1000c0s0b0n0/StateData", """{"State":"Off"}""")).StatusCode);
        Assert.Equal((HmsState.Off, HmsFlag.Locked), (server.Services.Components.Get("x1000c0s0b0n0").State!.Value, server.Services.Components.Get("x1000c0s0b0n0").Flag!.Value));

        // Forced, every field of the request lands.
        Assert.Equal(HttpStatusCode.NoContent, (await Patch("/x1000c0s0b0n1/StateData", """{"State":"Standby","Flag":"Warning","Force":true}""")).StatusCode);
        Assert.Equal((HmsState.Standby, HmsFlag.Warning), (server.Services.Components.Get("x1000c0s0b0n1").State!.Value, server.Services.Components.Get("x1000c0s0b0n1").Flag!.Value));
    }

    [Fact]
    public async Task Query_routes_by_parent_by_nid_and_by_body()
    {
        await using var server = await StartWithComponentsAsync();
        Assert.Equal(["x1000c0s0b0", "x1000c0s0b0n0", "x1000c0s0b0n1"], await IdsAsync(server, Components + "/Query/x1000c0s0b0"));
        Assert.Equal(["x1000c0s0b0n0", "x1000c0s0b0n1"], await IdsAsync(server, Components + "/Query/x1000c0s0?type=Node"));
        Assert.Equal(5, (await IdsAsync(server, Components + "/Query/s0")).Count);
        Assert.Equal(5, (await IdsAsync(server, Components + "/Query/all")).Count);
        Assert.Equal("invalid xname", await TestServer.AssertProblemAsync(await server.Client.GetAsync(Components + "/Query/bogus"), 400));

        Assert.Equal("""{"ID":"x1000c0s1b0n0","Type":"Node","State":"Ready","Flag":"OK","Enabled":true,"SoftwareStatus":"AdminDown","Role":"Compute","NID":3}""",
            await server.Client.GetStringAsync(Components + "/ByNID/3"));
        Assert.Equal("no such NID.", await TestServer.AssertProblemAsync(await server.Client.GetAsync(Components + "/ByNID/77"), 404));
        Assert.Equal("a required argument was not an integer", await TestServer.AssertProblemAsync(await server.Client.GetAsync(Components + "/ByNID/x"), 400));

        var response = await server.SendJsonAsync(HttpMethod.Post, Components + "/Query", """{"ComponentIDs":["x1000c0s0b0n0","x1001c0s0b0n0","x9c0s0b0n0"],"stateonly":true}""");
        Assert.Equal("""{"Components":[{"ID":"x1000c0s0b0n0","Type":"Node","State":"On","Flag":"OK"},{"ID":"x1001c0s0b0n0","Type":"Node","State":"On","Flag":"OK"}]}""",
            await response.Content.ReadAsStringAsync());
        response = await server.SendJsonAsync(HttpMethod.Post, Components + "/Query", """{"componentids":["x1000c0"],"type":["Node"],"state":["!Off"]}""");
        Assert.Equal(["x1000c0s0b0n0", "x1000c0s1b0n0"], (await TestServer.ReadJsonAsync(response))["Components"]!.AsArray().Select(c => (string)c!["ID"]!).ToList());
        Assert.Equal("Missing IDs", await TestServer.AssertProblemAsync(await server.SendJsonAsync(HttpMethod.Post, Components + "/Query", """{"type":["Node"]}"""), 400));

        response = await server.SendJsonAsync(HttpMethod.Post, Components + "/ByNID/Query", """{"NIDRanges":["1","3-10"],"nidonly":true}""");
        Assert.Equal("""{"Components":[{"ID":"x1000c0s0b0n0","Type":"Node","NID":1},{"ID":"x1000c0s1b0n0","Type":"Node","NID":3},{"ID":"x1001c0s0b0n0","Type":"Node","NID":10}]}""",
            await response.Content.ReadAsStringAsync());
        Assert.Equal("Missing NID ranges", await TestServer.AssertProblemAsync(await server.SendJsonAsync(HttpMethod.Post, Components + "/ByNID/Query", "{}"), 400));
        Assert.Equal("bad query param: argument was not a valid NID Range", await TestServer.AssertProblemAsync(
            await server.SendJsonAsync(HttpMethod.Post, Components + "/ByNID/Query", """{"NIDRanges":["10-2"]}"""), 400));
    }

    [Fact]
    public async Task Wrong_methods_are_405_with_the_allow_list_and_trailing_slashes_are_ignored()
    {
        await using var server = await StartWithComponentsAsync();
        var response = await server.Client.PutAsync(Components, new StringContent("{}"));
        var detail = await TestServer.AssertProblemAsync(response, 405);
        Assert.StartsWith("allow ", detail);
        Assert.Equal(["DELETE", "GET", "POST"], detail["allow ".Length..].Split(',').Order().ToArray());
        Assert.Equal(5, (await IdsAsync(server, Components + "/")).Count);
        // BulkEnabled also matches {xname}, but a literal path allows its own methods only (literal segments win).
        Assert.Equal("allow PATCH", await TestServer.AssertProblemAsync(await server.Client.PostAsync(Components + "/BulkEnabled", new StringContent("{}")), 405));
    }

    [Fact]
    public async Task Cmdlet_side_changes_are_served_at_once_and_http_changes_are_seen_by_services()
    {
        await using var server = await TestServer.StartAsync();
        server.Services.Components.Create(new Component { ID = "x5c0s0b0n0", State = HmsState.Ready });
        Assert.Equal(["x5c0s0b0n0"], await IdsAsync(server, Components + "?type=Node"));
        await server.SendJsonAsync(HttpMethod.Patch, Components + "/BulkStateData", """{"ComponentIDs":["x5c0s0b0n0"],"State":"Off"}""");
        Assert.Equal(HmsState.Off, server.Services.Components.Get("x5c0s0b0n0").State);
    }
}
