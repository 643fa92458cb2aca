using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using OpenChami.Core.Inventory;
using OpenChami.Core.Tests.Support;

namespace OpenChami.Core.Tests.Security;

/// <summary>
/// Generated hostile requests against every route the server maps (taken from its own
/// /openapi/v1.json, so new routes are covered without touching this test): malformed and
/// wrong-typed JSON, deep nesting, oversized bodies, bad xnames/MACs/IPs, path tricks, unknown
/// fields. Every answer must be below 500 and, for handler errors, problem+json; the server must
/// still serve afterwards. Fixed seed, so a failure replays.
/// </summary>
public sealed class HostileInputTests
{
    private const int Seed = 20261126;
    private const int CasesPerRoute = 1000;

    private static readonly string[] HostileStrings =
    [
        "", " ", "x", "null", "true", "0", "-1", "9223372036854775808", "1e309", "NaN",
        "x1000c0s0b0n0", "X1000C0S0B0N0", "x1000c0s0b0", "x99999c0s0b0n0", "s0", "all", "p1.2", "p1x2",
        "52:54:00:be:ef:01", "52-54-00-BE-EF-01", "zz:zz:zz:zz:zz:zz", "52:54:00:be:ef", "525400beef01",
        "10.0.0.1", "300.1.1.1", "::1", "fe80::1%eth0", "../../etc/passwd", "..%2f..%2fetc%2fpasswd", "%2e%2e/%2e%2e",
        "compute", "Compute", "COMPUTE", "com pute", "comp/ute", "comp%00ute", "' OR 1=1 --", "\"; DROP TABLE components; --",
        "{0}{1}{2}", "%s%s%s%n", "$(whoami)", "${jndi:ldap://x}", "<script>alert(1)</script>", "\u0000", "\ud83d\ude80", "é", "\u202e",
        new string('a', 5000), new string('9', 400), "On", "Off", "Ready", "Bogus", "Node", "NodeBMC", "INVALID", "Default", "Unknown-x86_64",
    ];

    private static readonly string[] QueryNames =
    [
        "id", "type", "state", "flag", "role", "subrole", "enabled", "nid", "nid_start", "nid_end", "group", "partition",
        "mac", "macaddress", "name", "ipaddress", "componentid", "arch", "class", "stateonly", "json", "retry", "ts",
        "force", "tag", "olderthan", "newerthan", "fqdn", "uuid", "redfish_ep", "endpoint", "xname", "label", "limit",
    ];

    [Fact]
    public async Task Every_route_answers_hostile_input_with_a_4xx_never_a_5xx_and_keeps_serving()
    {
        await using var server = await TestServer.StartAsync();
        server.Services.Nodes.Create(new NewNodeRequest { Xname = "x1000c0s0b0n0", Nid = 1, MacAddress = ["52:54:00:be:ef:01"], IPAddress = ["10.0.0.1"], Group = ["compute"] });

        var index = await TestServer.ReadJsonAsync(await server.Client.GetAsync("/openapi/v1.json"));
        var routes = index["paths"]!.AsObject()
            .SelectMany(p => p.Value!.AsObject().Select(m => (Path: p.Key, Method: m.Key.ToUpperInvariant())))
            .ToList();
        Assert.NotEmpty(routes);

        var random = new Random(Seed);
        var failures = new List<string>();
        var total = 0;
        foreach (var (template, method) in routes)
        {
            for (var i = 0; i < CasesPerRoute && failures.Count < 60; i++)
            {
                var request = BuildRequest(random, template, method);
                total++;
                HttpResponseMessage sent;
                try
                {
                    sent = await server.Client.SendAsync(request);
                }
                catch (HttpRequestException ex) when (request.Content is not null && ex.InnerException is IOException)
                {
                    // The server answered without reading a large body and closed the connection
                    // (Kestrel won't drain megabytes it was never asked to read): a refusal, not a crash.
                    continue;
                }
                using var response = sent;
                var status = (int)response.StatusCode;
                var mediaType = response.Content.Headers.ContentType?.MediaType;
                var body = await response.Content.ReadAsStringAsync();
                // Kestrel itself refuses requests it cannot parse (NUL in the path, a 64 KiB URL) before any
                // of our code runs: an empty 400/414/431 at the protocol level is the right answer there.
                var protocolRejection = body.Length == 0 && status is 400 or 414 or 431;
                if (status >= 500)
                {
                    failures.Add($"{request.Method} {Truncate(request.RequestUri!.ToString())} -> {status} {Truncate(body)}");
                }
                else if (status >= 400 && status != 404 && !protocolRejection && mediaType != "application/problem+json"
                    && !(IsCloudInitRoute(template) && (mediaType == "text/plain" && body.Length > 0 || status == 405 && body.Length == 0))
                    && !(IsResourceServiceRoute(template) && mediaType == "application/json" && body.Contains("\"error\"", StringComparison.Ordinal)))
                {
                    failures.Add($"{request.Method} {Truncate(request.RequestUri!.ToString())} -> {status} with {mediaType}, not problem+json");
                }
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {total} hostile requests failed:\n" + string.Join('\n', failures));
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("/healthz")).StatusCode);
        // (The fuzzing may legitimately have deleted the seeded node; the store must still answer.)
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("/hsm/v2/State/Components")).StatusCode);
        server.Services.Nodes.Create(new NewNodeRequest { Xname = "x1000c0s9b0n0" });
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("/hsm/v2/State/Components/x1000c0s9b0n0")).StatusCode);
        Assert.True(total >= routes.Count * CasesPerRoute / 2, $"only {total} requests were sent");
    }

    [Theory]
    // Found by the fuzzing above: a label longer than LiteDB's index key limit was a 500.
    [InlineData("PUT", "/cloud-init/admin/groups/{long}", "{}", 422)]
    [InlineData("POST", "/hsm/v2/groups", """{"label":"{long}"}""", 400)]
    // ... and a null entry in IPAddresses a NullReferenceException.
    [InlineData("PATCH", "/hsm/v2/Inventory/EthernetInterfaces/525400beef01", """{"IPAddresses":[null]}""", 400)]
    [InlineData("POST", "/hsm/v2/Inventory/EthernetInterfaces", """{"MACAddress":"52:54:00:be:ef:02","IPAddresses":[null]}""", 400)]
    public async Task Inputs_that_once_caused_a_500_are_refused_as_bad_requests(string method, string path, string json, int status)
    {
        await using var server = await TestServer.StartAsync();
        server.Services.Nodes.Create(new NewNodeRequest { Xname = "x1000c0s0b0n0", MacAddress = ["52:54:00:be:ef:01"] });
        var label = new string('a', 300);
        using var response = await server.SendJsonAsync(new HttpMethod(method), path.Replace("{long}", label), json.Replace("{long}", label));
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Single(server.Services.EthernetInterfaces.All());
    }

    [Fact]
    public async Task A_body_over_the_size_limit_is_refused_and_the_server_keeps_serving()
    {
        await using var server = await TestServer.StartAsync();
        var body = new ByteArrayContent(new byte[OpenChami.Core.Http.ChamiServerOptionsLimits.MaxRequestBodyBytes + 1]);
        body.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        try
        {
            using var response = await server.Client.PostAsync("/hsm/v2/State/Components", body);
            Assert.Equal(413, await TestServer.AssertProblemAsync(response, 413) is { } ? 413 : 0);
        }
        catch (HttpRequestException ex) when (ex.InnerException is IOException)
        {
            // Kestrel may answer 413 and close before the client finished sending: also a refusal.
        }
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("/healthz")).StatusCode);
    }

    /// <summary>cloud-init.md §7: "All error bodies are plain text" (upstream-compatible; a 405 has an empty body), at the root and under /cloud-init.</summary>
    private static bool IsCloudInitRoute(string template) =>
        template.StartsWith("/cloud-init/", StringComparison.Ordinal) || template.StartsWith("/n/", StringComparison.Ordinal)
        || template.StartsWith("/admin/", StringComparison.Ordinal) || template.StartsWith("/phone-home/", StringComparison.Ordinal)
        || template is "/meta-data" or "/user-data" or "/vendor-data" or "/{group}.yaml" or "/version" or "/openapi.json";

    /// <summary>boot-service.md §2: errors are upstream's JSON <c>{"error": ...}</c> under /boot-service (and metadata-service).</summary>
    private static bool IsResourceServiceRoute(string template) =>
        template.StartsWith("/boot-service/", StringComparison.Ordinal) || template.StartsWith("/metadata-service/", StringComparison.Ordinal);

    private static HttpRequestMessage BuildRequest(Random random, string template, string method)
    {
        var path = System.Text.RegularExpressions.Regex.Replace(template, @"\{(\w+)\}",
            _ => Uri.EscapeDataString(Pick(random, HostileStrings)) is { Length: > 0 } v ? v : "x");
        if (random.Next(10) == 0) path += "/" + Uri.EscapeDataString(Pick(random, HostileStrings));
        var query = new StringBuilder();
        for (var q = random.Next(4); q > 0; q--)
        {
            query.Append(query.Length == 0 ? '?' : '&').Append(Pick(random, QueryNames)).Append('=').Append(Uri.EscapeDataString(Pick(random, HostileStrings)));
        }
        var request = new HttpRequestMessage(new HttpMethod(method), path + query);
        if (method is "POST" or "PUT" or "PATCH" or "DELETE" && random.Next(6) != 0)
        {
            request.Content = new ByteArrayContent(Body(random));
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(random.Next(8) == 0 ? "text/plain" : "application/json");
        }
        return request;
    }

    private static byte[] Body(Random random) => random.Next(12) switch
    {
        0 => Encoding.UTF8.GetBytes("{\"Components\":[{\"ID\":"),                  // truncated
        1 => RandomBytes(random, random.Next(1, 512)),                              // binary garbage
        2 => Encoding.UTF8.GetBytes(new string('[', 5000) + new string(']', 5000)), // deep nesting
        3 => Encoding.UTF8.GetBytes("{\"a\":\"" + new string('x', 300_000) + "\"}"), // large (the over-limit body has its own test)
        4 => Encoding.UTF8.GetBytes(JsonValueOfWrongType(random)),
        5 => Encoding.UTF8.GetBytes("null"),
        6 => Encoding.UTF8.GetBytes("[]"),
        _ => Encoding.UTF8.GetBytes(RandomObject(random, depth: 0)!.ToJsonString()),
    };

    private static string JsonValueOfWrongType(Random random) => random.Next(5) switch
    {
        0 => "42",
        1 => "\"a string\"",
        2 => "[1,2,3]",
        3 => "{\"Components\":\"not-a-list\",\"ID\":12,\"NID\":\"seven\",\"macs\":{},\"hosts\":5}",
        _ => "{\"State\":[],\"Enabled\":\"maybe\",\"IPAddresses\":\"10.0.0.1\",\"members\":{\"ids\":\"x\"}}",
    };

    // Objects with the field names our routes read, filled with hostile values of random types.
    private static readonly string[] FieldNames =
    [
        "ID", "Type", "State", "Flag", "Enabled", "Role", "SubRole", "NID", "Arch", "Class", "NetType", "Components", "ComponentIDs", "Force",
        "MACAddress", "ComponentID", "IPAddresses", "IPAddress", "Description", "label", "description", "tags", "exclusiveGroup", "members", "ids", "id",
        "name", "hosts", "macs", "nids", "kernel", "initrd", "params", "cloud-init", "meta-data", "user-data", "vendor-data", "Hostname", "FQDN",
        "User", "Password", "SchemaVersion", "Systems", "Managers", "RedfishEndpoints", "operation", "location", "xname", "taskDeadlineMinutes",
        "NodeMaps", "NIDRanges", "cluster-name", "public-keys", "instance-id", "unknownField",
    ];

    private static JsonNode? RandomObject(Random random, int depth)
    {
        var obj = new JsonObject();
        for (var f = random.Next(1, 6); f > 0; f--) obj[Pick(random, FieldNames)] = RandomValue(random, depth + 1);
        return obj;
    }

    private static JsonNode? RandomValue(Random random, int depth) => (depth > 3 ? random.Next(4) : random.Next(7)) switch
    {
        0 => JsonValue.Create(Pick(random, HostileStrings)),
        1 => JsonValue.Create(random.Next(3) == 0 ? long.MaxValue : random.Next(-5, 100_000)),
        2 => JsonValue.Create(random.Next(2) == 0),
        3 => null,
        4 => new JsonArray(Enumerable.Range(0, random.Next(4)).Select(_ => RandomValue(random, depth + 1)).ToArray()),
        _ => RandomObject(random, depth),
    };

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private static T Pick<T>(Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];

    private static string Truncate(string text) => text.Length > 160 ? text[..160] + "…" : text;
}
