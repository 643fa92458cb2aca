using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using OpenChami.Core.Tests.Support;

namespace OpenChami.Core.Tests.Http;

/// <summary>
/// Wire details a client comparing exactly with upstream OpenCHAMI checks (spec/smd.md §1, §10; spec/bss.md §1),
/// over every route the server documents in /openapi/v1.json rather than a hand-picked few.
/// </summary>
public sealed class WireDetailsTests
{
    private static readonly string[] Methods = ["GET", "PUT", "POST", "PATCH", "DELETE"];

    // A value for every route parameter: a valid node xname is accepted by every {xname}, {label}, {id} ... route.
    private const string Sample = "x1000c0s0b0n0";

    private static async Task<Dictionary<string, HashSet<string>>> RoutesAsync(TestServer server)
    {
        var doc = await TestServer.ReadJsonAsync(await server.Client.GetAsync("/openapi/v1.json"));
        return doc["paths"]!.AsObject().ToDictionary(
            p => p.Key,
            p => p.Value!.AsObject().Select(m => m.Key.ToUpperInvariant()).Where(Methods.Contains).ToHashSet());
    }

    private static string Concrete(string template) => Regex.Replace(template, @"\{[^}]+\}", Sample);

    private static bool Matches(string template, string path) =>
        Regex.IsMatch(path, "^" + Regex.Replace(Regex.Escape(template), @"\\\{[^}]+}", "[^/]+") + "$");

    [Fact]
    public async Task Json_answers_carry_upstreams_content_type_on_every_api()
    {
        await using var server = await TestServer.StartAsync();
        var checkedPrefixes = new HashSet<string>();
        foreach (var (template, methods) in await RoutesAsync(server))
        {
            if (!methods.Contains("GET") || template.Contains('{')) continue;
            using var response = await server.Client.GetAsync(template);
            var type = response.Content.Headers.ContentType;
            if (response.StatusCode != HttpStatusCode.OK || type?.MediaType != "application/json") continue;
            // BSS is the one upstream service that names the charset (its swagger-generated handlers): spec/bss.md §1.
            var expected = template.StartsWith("/boot/v1/", StringComparison.Ordinal) ? "application/json; charset=UTF-8" : "application/json";
            Assert.True(expected == type.ToString(), $"{template}: Content-Type '{type}', expected '{expected}'");
            Assert.NotNull(JsonNode.Parse(await response.Content.ReadAsStringAsync()));
            checkedPrefixes.Add("/" + template.Split('/', StringSplitOptions.RemoveEmptyEntries)[0]);
        }
        Assert.Superset(new HashSet<string> { "/hsm", "/boot", "/power-control", "/boot-service", "/metadata-service", "/healthz" }, checkedPrefixes);
    }

    [Fact]
    public async Task Errors_stay_problem_json_and_scripts_stay_text()
    {
        await using var server = await TestServer.StartAsync();
        using var missing = await server.Client.GetAsync("/hsm/v2/State/Components/x9c0s0b0n0");
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType!.ToString());
        Assert.Equal("""{"type":"about:blank","title":"Not Found","detail":"no such xname.","status":404}""", await missing.Content.ReadAsStringAsync());

        using var script = await server.Client.GetAsync("/boot/v1/bootscript");
        Assert.Equal("text/plain; charset=UTF-8", script.Content.Headers.ContentType!.ToString());
    }

    [Fact]
    public async Task A_wrong_method_on_every_known_route_is_405_with_its_allow_list()
    {
        await using var server = await TestServer.StartAsync();
        var routes = await RoutesAsync(server);
        var tried = 0;
        foreach (var template in routes.Keys)
        {
            var path = Concrete(template);
            // What the path allows: a literal route's own methods (literal segments win, spec/smd.md §1), else every
            // route template the concrete path matches.
            var allowed = routes.TryGetValue(path, out var literal) && !path.Contains(Sample, StringComparison.Ordinal)
                ? literal
                : routes.Where(r => Matches(r.Key, path)).SelectMany(r => r.Value).ToHashSet();
            var expected = string.Join(",", Methods.Where(allowed.Contains));
            foreach (var method in Methods.Where(m => !allowed.Contains(m)))
            {
                using var response = await server.SendJsonAsync(new HttpMethod(method), path, "{}");
                Assert.True(response.StatusCode == HttpStatusCode.MethodNotAllowed, $"{method} {path}: {(int)response.StatusCode}");
                Assert.Equal(expected, string.Join(",", response.Content.Headers.Allow));
                var body = await response.Content.ReadAsStringAsync();
                if (OpenChami.Core.Http.CloudInit.CloudInitApi.IsCloudInitPath(path))
                {
                    Assert.Equal(string.Empty, body); // cloud-init's router sends 405 with no body (spec/cloud-init.md §1)
                }
                else
                {
                    Assert.Equal($$"""{"type":"about:blank","title":"Method Not Allowed","detail":"allow {{expected}}","status":405}""", body);
                }
                tried++;
            }
        }
        Assert.True(tried > routes.Count, $"only {tried} wrong methods tried over {routes.Count} routes");
    }

    [Theory]
    [InlineData("GET", "/hsm/v2/State/Components/BulkNID", "PATCH")]
    [InlineData("DELETE", "/hsm/v2/State/Components/Query", "POST")]
    [InlineData("PATCH", "/hsm/v2/groups/labels", "GET")]
    [InlineData("GET", "/hsm/v2/State/Components/ByNID/Query", "POST")]
    public async Task A_literal_path_is_not_taken_for_a_parameter_of_its_neighbour(string method, string path, string allow)
    {
        await using var server = await TestServer.StartAsync();
        using var response = await server.SendJsonAsync(new HttpMethod(method), path, "{}");
        Assert.Equal($"allow {allow}", await TestServer.AssertProblemAsync(response, 405));
        Assert.Equal(allow, string.Join(",", response.Content.Headers.Allow));
    }

    [Theory]
    [InlineData("/hsm/v2/NoSuchCollection")]
    [InlineData("/boot/v1/nothing")]
    [InlineData("/no/such/path")]
    public async Task Unknown_paths_stay_404_page_not_found(string path)
    {
        await using var server = await TestServer.StartAsync();
        foreach (var method in Methods)
        {
            using var response = await server.SendJsonAsync(new HttpMethod(method), path, "{}");
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("404 page not found", await response.Content.ReadAsStringAsync());
        }
    }

    // The texts spec/smd.md §2 quotes, which clients match verbatim (a pass over its status tables).
    [Theory]
    [InlineData("POST", "/State/Components", """{"Components":[{"ID":"x1c0s0b0n1","State":"FAKE"}]}""", 400, "couldn't validate components: state 'FAKE' is invalid")]
    [InlineData("POST", "/State/Components", """{"Components":[{"ID":"x1c0s0b0n1","State":"On","Flag":"Purple"}]}""", 400, "couldn't validate components: flag 'Purple' is invalid")]
    [InlineData("PATCH", "/State/Components/x1000c0s0b0n0/StateData", """{"State":"Empty"}""", 400, "operation not allowed and not forced.")]
    [InlineData("PATCH", "/State/Components/BulkStateData", """{"ComponentIDs":["x1000c0s0b0n0"],"State":"Nope"}""", 400, "Argument was not a valid HMS State")]
    [InlineData("GET", "/State/Components/ByNID/abc", null, 400, "a required argument was not an integer")]
    [InlineData("DELETE", "/State/Components/foo", null, 400, "invalid xname")]
    [InlineData("PATCH", "/Inventory/RedfishEndpoints/x1c0s0b0", """{"Enabled":true}""", 404, "No such entry: x1c0s0b0")]
    [InlineData("POST", "/Inventory/RedfishEndpoints", """{"RedfishEndpoints":[{"ID":"x1c0s0b0","FQDN":"a"},{"ID":"foo"}]}""", 400, "couldn't validate endpoint data at idx 1: foo is not a valid locational xname ID")]
    [InlineData("POST", "/Defaults/NodeMaps", """{"NodeMaps":[{"ID":"x1c0s0b0","NID":3}]}""", 400, "couldn't validate map data at idx 0: xname 'x1c0s0b0' is a NodeBMC, expected Node or VirtualNode")]
    [InlineData("GET", "/Inventory/ServiceEndpoints/EventService/RedfishEndpoints/x1c0s0b0", null, 404, "no such service under redfish endpoint.")]
    [InlineData("DELETE", "/groups/g1/members/x1000c0s0b0n0", null, 404, "group has no such member.")]
    public async Task Smd_errors_use_upstreams_words(string method, string path, string? body, int status, string detail)
    {
        await using var server = await TestServer.StartAsync();
        Assert.Equal(HttpStatusCode.NoContent,
            (await server.SendJsonAsync(HttpMethod.Post, "/hsm/v2/State/Components", """{"Components":[{"ID":"x1000c0s0b0n0","State":"On"}]}""")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await server.SendJsonAsync(HttpMethod.Post, "/hsm/v2/groups", """{"label":"g1"}""")).StatusCode);
        using var request = new HttpRequestMessage(new HttpMethod(method), "/hsm/v2" + path);
        if (body is not null) request.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        Assert.Equal(detail, await TestServer.AssertProblemAsync(await server.Client.SendAsync(request), status));
    }

    [Fact]
    public async Task Collection_deletes_use_upstreams_words_and_404_when_empty()
    {
        await using var server = await TestServer.StartAsync();
        var created = await server.SendJsonAsync(HttpMethod.Post, "/hsm/v2/Inventory/RedfishEndpoints",
            """{"ID":"x1000c0s0b0","FQDN":"127.0.0.1:1","Systems":[],"Managers":[]}""");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var component = await server.SendJsonAsync(HttpMethod.Post, "/hsm/v2/State/Components", """{"Components":[{"ID":"x1000c0s0b0n0","State":"Ready"}]}""");
        Assert.Equal(HttpStatusCode.NoContent, component.StatusCode);
        foreach (var collection in new[] { "/hsm/v2/Inventory/RedfishEndpoints", "/hsm/v2/State/Components" })
        {
            var count = (await TestServer.ReadJsonAsync(await server.Client.GetAsync(collection))).AsObject().Single().Value!.AsArray().Count;
            Assert.Equal(1, count);
            using var deleted = await server.Client.DeleteAsync(collection);
            Assert.Equal("application/json", deleted.Content.Headers.ContentType!.ToString());
            Assert.Equal($$"""{"code":0,"message":"deleted {{count}} entries"}""", await deleted.Content.ReadAsStringAsync());
        }
        foreach (var collection in new[] { "/hsm/v2/Inventory/RedfishEndpoints", "/hsm/v2/Inventory/ComponentEndpoints", "/hsm/v2/Inventory/ServiceEndpoints" })
        {
            Assert.Equal("no entries to delete", await TestServer.AssertProblemAsync(await server.Client.DeleteAsync(collection), 404));
        }
    }
}
