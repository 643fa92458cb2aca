using System.Net;
using System.Net.Http.Headers;
using System.Text;
using OpenChami.Core.Inventory;
using OpenChami.Core.Security;
using OpenChami.Core.Tests.Support;

namespace OpenChami.Core.Tests.Security;

/// <summary>
/// Every route the live server maps (from its own /openapi/v1.json, so a new route is covered without
/// touching this test) checked against the auth columns of the specs, with auth on: public routes answer
/// without a token, everything else is 401 without one, and a read token can't write.
/// The public list below is written from the specs, not from <see cref="AuthPolicy"/>.
/// </summary>
public sealed class RouteAuthTests
{
    private static readonly HashSet<string> PublicBySpec = BuildPublicBySpec();

    private static HashSet<string> BuildPublicBySpec()
    {
        var routes = new HashSet<string>(StringComparer.Ordinal)
        {
            // Process probes and the route index.
            "GET /healthz",
            "GET /openapi/v1.json",
            // smd.md §1 Auth: "Always public: all /service/* routes, GET /State/Components, GET /Inventory/EthernetInterfaces".
            "GET /hsm/v2/service/ready",
            "GET /hsm/v2/service/liveness",
            "GET /hsm/v2/service/values",
            "GET /hsm/v2/State/Components",
            "GET /hsm/v2/Inventory/EthernetInterfaces",
            // bss.md §1/§2: only /bootparameters needs a token.
            "GET /boot/v1/bootscript",
            "GET /boot/v1/hosts",
            "POST /boot/v1/hosts",
            // (GET /boot/v1/dumpstate is public in bss.md but dumps every boot parameter: we protect it.)
            "GET /boot/v1/endpoint-history",
            "GET /boot/v1/service/status",
            "GET /boot/v1/service/status/all",
            "GET /boot/v1/service/version",
            "GET /boot/v1/service/hsm",
            "GET /boot/v1/service/storage/status",
            // boot-service.md §3–§4: the node-facing script and the health probe; every other route needs a token.
            "GET /boot-service/bootscript",
            "GET /boot-service/health",
        };
        // cloud-init.md §2: every route at the root and under /cloud-init; §2.1 node-facing routes are public,
        // also under the per-node seed token (§3.0, also at /n/{token} behind a prefix-stripping proxy); §2.3 service routes.
        foreach (var prefix in new[] { "", "/cloud-init" })
        {
            foreach (var seed in new[] { prefix, prefix + "/n/{token}" })
            {
                routes.Add($"GET {seed}/meta-data");
                routes.Add($"GET {seed}/user-data");
                routes.Add($"GET {seed}/vendor-data");
                routes.Add($"GET {seed}/{{group}}.yaml");
            }
            routes.Add($"POST {prefix}/phone-home/{{id}}");
            routes.Add($"GET {prefix}/version");
            routes.Add($"GET {prefix}/openapi.json");
        }
        // metadata-service.md §3: the node-facing documents, also under the per-node seed token; resources need a token.
        foreach (var seed in new[] { "/metadata-service", "/metadata-service/n/{token}" })
        {
            routes.Add($"GET {seed}/meta-data");
            routes.Add($"GET {seed}/user-data");
            routes.Add($"GET {seed}/vendor-data");
            routes.Add($"GET {seed}/network-config");
            routes.Add($"GET {seed}/{{group}}.yaml");
        }
        // discovery-power.md PCS: "Optional JWT on everything except /liveness, /readiness, /health", at all three base paths.
        foreach (var prefix in new[] { "/power-control/v1", "/v1", "" })
        {
            routes.Add($"GET {prefix}/liveness");
            routes.Add($"GET {prefix}/readiness");
            routes.Add($"GET {prefix}/health");
        }
        return routes;
    }

    [Fact]
    public async Task Every_route_is_public_or_protected_exactly_as_the_specs_say()
    {
        await using var server = await TestServer.StartAsync(configure: o => o.RequireAuth = true);
        server.Services.Nodes.Create(new NewNodeRequest { Xname = "x1000c0s0b0n0", Nid = 1, MacAddress = ["52:54:00:be:ef:01"], IPAddress = ["10.0.0.1"], Group = ["compute"] });
        var read = server.Services.Tokens.Issue("auditor", ChamiScope.Read, TimeSpan.FromMinutes(30)).Token;

        var index = await TestServer.ReadJsonAsync(await server.Client.GetAsync("/openapi/v1.json"));
        var routes = index["paths"]!.AsObject()
            .SelectMany(p => p.Value!.AsObject().Select(m => (Path: p.Key, Method: m.Key.ToUpperInvariant(), Documented: m.Value!["security"] is not null)))
            .ToList();
        Assert.True(routes.Count > 150, $"only {routes.Count} routes in /openapi/v1.json");

        // The spec list must name real routes, or a renamed route would silently drop out of the check.
        var mapped = routes.Select(r => $"{r.Method} {r.Path}").ToHashSet(StringComparer.Ordinal);
        var unmapped = PublicBySpec.Where(p => !mapped.Contains(p)).ToList();
        Assert.True(unmapped.Count == 0, "public by spec but not mapped: " + string.Join(", ", unmapped));

        var failures = new List<string>();
        foreach (var (template, method, documented) in routes)
        {
            // smd.md: "all /service/* routes" are public, whatever values keys exist.
            var isPublic = PublicBySpec.Contains($"{method} {template}") || (method == "GET" && template.StartsWith("/hsm/v2/service/values/", StringComparison.Ordinal));
            var path = Concrete(template);
            if (documented == isPublic) failures.Add($"{method} {template}: /openapi/v1.json says {(documented ? "protected" : "public")}");

            using var anonymous = await server.Client.SendAsync(Build(method, path, token: null));
            if (isPublic && anonymous.StatusCode == HttpStatusCode.Unauthorized) failures.Add($"{method} {path}: public by spec but 401 without a token");
            if (!isPublic && anonymous.StatusCode != HttpStatusCode.Unauthorized) failures.Add($"{method} {path}: protected by spec but {(int)anonymous.StatusCode} without a token");

            if (isPublic) continue;
            using var withRead = await server.Client.SendAsync(Build(method, path, read));
            var isWrite = method is not ("GET" or "HEAD");
            if (isWrite && withRead.StatusCode != HttpStatusCode.Forbidden) failures.Add($"{method} {path}: a read token got {(int)withRead.StatusCode}, not 403");
            if (!isWrite && withRead.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden) failures.Add($"{method} {path}: a read token got {(int)withRead.StatusCode}");
        }
        Assert.True(failures.Count == 0, string.Join('\n', failures));
        // Nothing was written by the refused requests.
        Assert.Single(server.Services.Components.Query(new ComponentQuery()));
    }

    [Theory]
    // Routing ignores case and trailing slashes: neither may open a protected route.
    [InlineData("GET", "/HSM/V2/State/Components/x1000c0s0b0n0")]
    [InlineData("GET", "/hsm/v2/State/Components/x1000c0s0b0n0/")]
    [InlineData("DELETE", "/HSM/v2/state/components")]
    [InlineData("GET", "/Boot/V1/BootParameters")]
    // PCS at the root and /v1: only the probes are public.
    [InlineData("GET", "/transitions")]
    [InlineData("GET", "/v1/power-status")]
    [InlineData("POST", "/power-control/v1/transitions")]
    // cloud-init admin under both prefixes; a public prefix never covers what's below it.
    [InlineData("GET", "/admin/groups")]
    [InlineData("GET", "/cloud-init/admin/impersonation/x1000c0s0b0n0/compute.yaml")]
    [InlineData("GET", "/cloud-init/admin/impersonation/x1000c0s0b0n0/meta-data")]
    [InlineData("GET", "/hsm/v2/State/Components/Query/s0")]
    [InlineData("GET", "/boot/v1/bootscript/../bootparameters")]
    [InlineData("GET", "/unknown.yaml/admin")]
    public async Task Lookalike_paths_of_protected_routes_still_need_a_token(string method, string path)
    {
        await using var server = await TestServer.StartAsync(configure: o => o.RequireAuth = true);
        using var response = await server.Client.SendAsync(Build(method, path, token: null));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("GET", "/n/sometoken/compute.yaml")]
    [InlineData("GET", "/cloud-init/n/sometoken/vendor-data")]
    [InlineData("GET", "/Cloud-Init/Meta-Data")]
    [InlineData("POST", "/phone-home/x1000c0s0b0n0")]
    [InlineData("GET", "/power-control/v1/liveness")]
    [InlineData("GET", "/hsm/v2/service/values/arch")]
    public async Task Boot_time_reads_and_probes_need_no_token(string method, string path)
    {
        await using var server = await TestServer.StartAsync(configure: o => o.RequireAuth = true);
        using var response = await server.Client.SendAsync(Build(method, path, token: null));
        Assert.NotEqual(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(response.Headers.WwwAuthenticate);
    }

    private static string Concrete(string template) => System.Text.RegularExpressions.Regex.Replace(template, @"\{(\w+)\}", m => m.Groups[1].Value switch
    {
        "xname" or "id" => "x1000c0s0b0n0",
        "nid" => "1",
        "ip" => "10.0.0.1",
        "label" or "name" or "group" => "compute",
        "token" => "not-a-real-token",
        _ => "x",
    });

    private static HttpRequestMessage Build(string method, string path, string? token)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method is not ("GET" or "HEAD" or "DELETE")) request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    }
}
