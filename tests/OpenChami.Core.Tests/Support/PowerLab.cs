using System.Text.Json.Nodes;
using OpenChami.Core.Model;
using OpenChami.Core.Power;
using OpenChami.Core.Serialization;
using OpenChami.Core.Storage;
using OpenChami.RedfishFixture;

namespace OpenChami.Core.Tests.Support;

/// <summary>
/// Simulated BMCs (the Redfish fixture, one per loopback port) registered in a real store through the
/// SchemaVersion 1 ingestion service, as discovery would leave them: BMC xname <c>x1000c0s{i}b0</c>,
/// nodes <c>…n0</c>, <c>…n1</c> in Systems order, credentials admin/password in the credential store.
/// </summary>
public sealed class PowerLab : IAsyncDisposable
{
    public const string Ex425 = "EX425";
    public const string Rackmount = "public-rackmount1";

    private PowerLab(RedfishFixtureFarm farm, ChamiServices services, TestServer? server, string[] systems)
    {
        Farm = farm;
        Services = services;
        Server = server;
        SystemPaths = systems;
    }

    public RedfishFixtureFarm Farm { get; }

    public ChamiServices Services { get; }

    /// <summary>The OpenChami HTTP server over the same store, when started with one.</summary>
    public TestServer? Server { get; }

    /// <summary>Redfish System paths of one BMC, in Systems order (node k = <c>…n{k}</c>).</summary>
    public IReadOnlyList<string> SystemPaths { get; }

    public static string BmcXname(int bmc) => $"x1000c0s{bmc}b0";

    public static string NodeXname(int bmc, int node) => $"{BmcXname(bmc)}n{node}";

    public IEnumerable<string> AllNodes => Enumerable.Range(0, Farm.Count).SelectMany(b => SystemPaths.Select((_, n) => NodeXname(b, n)));

    public static string MockupFolder(string name)
    {
        var fromEnv = Environment.GetEnvironmentVariable("OPENCHAMI_REDFISH_MOCKUPS");
        var candidates = new List<string>();
        if (!string.IsNullOrEmpty(fromEnv)) candidates.Add(fromEnv);
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            candidates.Add(Path.Combine(dir.FullName, "shared", "redfish-mockups"));
        }

        candidates.Add("/work/shared/redfish-mockups");
        var root = candidates.FirstOrDefault(c => Directory.Exists(Path.Combine(c, name)))
            ?? throw new DirectoryNotFoundException($"Redfish mockup '{name}' not found (looked in {string.Join(", ", candidates.Distinct())}); set OPENCHAMI_REDFISH_MOCKUPS.");
        return Path.Combine(root, name);
    }

    public static async Task<PowerLab> StartAsync(string mockup, int bmcs, bool withServer = false,
        Action<int, RedfishBmcSimulator>? configure = null, IReadOnlyList<string>? advertised = null, string password = RedfishBmcSimulator.DefaultPassword,
        TimeProvider? clock = null)
    {
        var farm = await RedfishFixtureFarm.StartAsync(MockupFolder(mockup), bmcs, configure);
        // One clock for the engine and the BMCs: transition delays, polls and request timestamps all on it.
        if (clock is not null)
        {
            foreach (var simulator in farm.Simulators) simulator.Clock = clock;
        }

        var store = TestStores.Create();
        TestServer? server = withServer ? await TestServer.StartAsync(store) : null;
        var services = server?.Services ?? new ChamiServices(store);
        var options = services.Power.Options;
        options.DefaultScheme = "http";
        options.FirstPollInterval = TimeSpan.FromMilliseconds(50);
        options.MaxPollInterval = TimeSpan.FromMilliseconds(200);
        options.RequestTimeout = TimeSpan.FromSeconds(5);
        options.RetryDelay = TimeSpan.FromMilliseconds(50);
        if (clock is not null) options.TimeProvider = clock;

        var systems = mockup == Ex425 ? new[] { "/redfish/v1/Systems/Node0", "/redfish/v1/Systems/Node1" } : ["/redfish/v1/Systems/437XR1138R2"];
        var actions = advertised ?? (mockup == Ex425
            ? ["ForceOff", "On", "Off"] // from ResetActionInfo, as discovery reads it
            : ["On", "ForceOff", "GracefulShutdown", "GracefulRestart", "ForceRestart", "Nmi", "ForceOn", "PushPowerButton"]);
        var inputs = Enumerable.Range(0, bmcs).Select(i =>
        {
            var port = farm[i].Port;
            var json = new JsonObject
            {
                ["ID"] = BmcXname(i),
                ["FQDN"] = $"127.0.0.1:{port}",
                ["IPAddress"] = "127.0.0.1",
                ["User"] = RedfishBmcSimulator.DefaultUsername,
                ["Password"] = password,
                ["SchemaVersion"] = 1,
                ["Managers"] = new JsonArray(new JsonObject { ["uri"] = $"http://127.0.0.1:{port}/redfish/v1/Managers/BMC", ["type"] = "BMC" }),
                ["Systems"] = new JsonArray(systems.Select(path => (JsonNode)new JsonObject
                {
                    ["uri"] = $"http://127.0.0.1:{port}{path}",
                    ["system_type"] = "Physical",
                    ["actions"] = new JsonArray(actions.Select(a => (JsonNode)JsonValue.Create(a)!).ToArray()),
                }).ToArray()),
            };
            return ChamiJson.Deserialize<RedfishEndpointInput>(json.ToJsonString())!;
        }).ToList();
        services.RedfishEndpoints.Upsert(inputs);
        return new PowerLab(farm, services, server, systems);
    }

    /// <summary>The simulator and Redfish path of a node.</summary>
    public (RedfishBmcSimulator Bmc, string SystemPath) Locate(int bmc, int node) => (Farm[bmc], SystemPaths[node]);

    /// <summary>Reset POSTs a BMC received, as (path, ResetType).</summary>
    public static IReadOnlyList<(string Path, string? ResetType)> Resets(RedfishBmcSimulator bmc) =>
        bmc.Requests.Where(r => r.Method == "POST" && r.Path.Contains("/Actions/", StringComparison.Ordinal))
            .Select(r => (r.Path, r.ResetType)).ToList();

    public void ClearRequests()
    {
        foreach (var s in Farm.Simulators) s.ClearRequests();
    }

    public async ValueTask DisposeAsync()
    {
        if (Server is not null) await Server.DisposeAsync();
        else Services.Store.Dispose();
        await Farm.DisposeAsync();
    }
}
