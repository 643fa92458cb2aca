using System.Text.Json.Nodes;
using OpenChami.Core.Tests.Support;

namespace OpenChami.Core.Tests.Http;

public sealed class OpenApiTests
{
    [Fact]
    public async Task The_openapi_index_lists_the_live_routes_with_their_scopes()
    {
        await using var server = await TestServer.StartAsync();
        var doc = await TestServer.ReadJsonAsync(await server.Client.GetAsync("/openapi/v1.json"));
        Assert.Equal("3.1.0", (string?)doc["openapi"]);
        var paths = doc["paths"]!.AsObject();
        Assert.NotNull(paths["/hsm/v2/State/Components/{xname}"]?["get"]);
        Assert.Equal("read", (string?)paths["/hsm/v2/State/Components/{xname}"]!["get"]!["security"]![0]!["bearer"]![0]);
        Assert.Null(paths["/hsm/v2/State/Components"]!["get"]!["security"]); // public: coresmd reads it while nodes boot
    }

    /// <summary>
    /// Every mapped route is named (.WithName: a unique operationId), tagged with its upstream service and documents
    /// at least one status (from its Results&lt;...&gt; type or .Produces/.ProducesProblem): a new route without them fails here.
    /// </summary>
    [Fact]
    public async Task Every_route_has_a_unique_name_its_service_tag_and_a_documented_status()
    {
        await using var server = await TestServer.StartAsync();
        var doc = await TestServer.ReadJsonAsync(await server.Client.GetAsync("/openapi/v1.json"));
        var names = new HashSet<string>(StringComparer.Ordinal);
        var failures = new List<string>();
        var operations = 0;
        foreach (var (path, item) in doc["paths"]!.AsObject())
        {
            foreach (var (method, node) in item!.AsObject())
            {
                operations++;
                var route = $"{method.ToUpperInvariant()} {path}";
                var operation = node!.AsObject();
                var name = (string?)operation["operationId"];
                if (string.IsNullOrEmpty(name)) failures.Add($"{route}: no operationId (.WithName)");
                else if (!names.Add(name)) failures.Add($"{route}: operationId '{name}' is used by another route too");

                var tags = (operation["tags"] as JsonArray)?.Select(t => (string?)t).ToList() ?? [];
                if (tags.Count == 0) failures.Add($"{route}: no tag (.WithTags)");
                else if (ServiceOf(path) is { } service && !tags.Contains(service)) failures.Add($"{route}: tagged {string.Join(",", tags)}, not {service}");

                var statuses = (operation["responses"] as JsonObject)?.Select(r => r.Key).Where(k => int.TryParse(k, out _)).ToList() ?? [];
                if (statuses.Count == 0) failures.Add($"{route}: no documented response status (Results<...>, .Produces, .ProducesProblem)");
            }
        }
        Assert.True(operations > 150, $"only {operations} operations in /openapi/v1.json");
        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    [Fact]
    public async Task A_route_documents_its_union_of_results_and_its_problems()
    {
        await using var server = await TestServer.StartAsync();
        var doc = await TestServer.ReadJsonAsync(await server.Client.GetAsync("/openapi/v1.json"));
        var get = doc["paths"]!["/hsm/v2/State/Components/{xname}"]!["get"]!;
        Assert.Equal("GetComponent", (string?)get["operationId"]);
        Assert.Equal("smd", (string?)get["tags"]![0]);
        Assert.NotNull(get["responses"]!["200"]!["content"]!["application/json"]);
        Assert.NotNull(get["responses"]!["404"]!["content"]!["application/problem+json"]);
        // A route served again under another base path keeps its name with a suffix.
        Assert.Equal("GetTransitionsAtRoot", (string?)doc["paths"]!["/transitions"]!["get"]!["operationId"]);
    }

    // The upstream service a path belongs to, where the path says it (cloud-init's root routes and the server's own do not).
    private static string? ServiceOf(string path) =>
        path.StartsWith("/hsm/v2/", StringComparison.Ordinal) ? "smd"
        : path.StartsWith("/boot/v1/", StringComparison.Ordinal) ? "bss"
        : path.StartsWith("/cloud-init/", StringComparison.Ordinal) ? "cloud-init"
        : path.StartsWith("/power-control/v1/", StringComparison.Ordinal) ? "pcs"
        : null;
}
