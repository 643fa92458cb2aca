#:project ../OpenChami.Core/OpenChami.Core.csproj
#:property TargetFramework=net10.0
#:property TreatWarningsAsErrors=false
#:property PublishAot=false

// cloud-init boot storm: N nodes (default 10,000) each fetch meta-data, user-data and vendor-data through
// their signed seed URL, like cloud-init on a node booted with ds=nocloud-net;s=<seed>. Real Kestrel on
// 127.0.0.1, real LiteDB file (shared mode, as the module runs it), first boot (instance-ids are created
// by the storm itself), then a second storm (warm: every node already has its instance-id).
// Load is bounded: --concurrency nodes booting at once, each doing its three fetches in order.
// Run:  dotnet run bench/CloudInitBootStorm.cs -c Release -- [--nodes 10000] [--concurrency 64] [--in-memory]
using System.Diagnostics;
using System.Net;
using OpenChami.Core;
using OpenChami.Core.CloudInit;
using OpenChami.Core.Http;
using OpenChami.Core.Inventory;
using OpenChami.Core.Model;
using OpenChami.Core.Storage;

var nodes = IntArg("--nodes", 10_000);
var concurrency = IntArg("--concurrency", 64);
var inMemory = args.Contains("--in-memory");

var dir = Directory.CreateTempSubdirectory("openchami-bench-");
try
{
    IChamiStore store = inMemory ? LiteDbStore.OpenInMemory() : LiteDbStore.OpenFile(Path.Combine(dir.FullName, "bench.db"));
    var services = new ChamiServices(store);
    var setup = Stopwatch.StartNew();
    var xnames = Enumerable.Range(0, nodes).Select(i => $"x{1000 + i / 1024}c{i / 128 % 8}s{i / 2 % 64}b0n{i % 2}").ToList();
    store.Write(s =>
    {
        for (var i = 0; i < nodes; i++)
        {
            services.Nodes.Create(new NewNodeRequest
            {
                Xname = xnames[i], Nid = i + 1,
                MacAddress = [$"52:54:{i >> 24 & 0xff:x2}:{i >> 16 & 0xff:x2}:{i >> 8 & 0xff:x2}:{i & 0xff:x2}"],
                IPAddress = [$"10.{i >> 16 & 0xff}.{i >> 8 & 0xff}.{i & 0xff}"],
            });
        }
        // SMD groups written whole (adding members one by one rewrites the growing group document each time).
        s.Collection<Group>().Insert(new Group { Label = "compute", Members = new MemberList { Ids = xnames.ToList() } });
        for (var r = 0; r < 4; r++) s.Collection<Group>().Insert(new Group { Label = $"rack{r}", Members = new MemberList { Ids = xnames.Where((_, i) => i % 4 == r).ToList() } });
    });
    services.CloudInit.ReplaceDefaults(new ClusterDefaults { ClusterName = "bench", ShortName = "nid", NidLength = 5, PublicKeys = ["ssh-ed25519 AAAAbench root@head"] });
    services.CloudInit.CreateGroup(new CloudInitGroup { Name = "compute", Description = "compute", MetaData = new() { ["syslog"] = "10.0.0.254" }, File = new CloudInitFile { Content = "#cloud-config\nruncmd:\n- echo hello\n" } });
    for (var r = 0; r < 4; r++) services.CloudInit.CreateGroup(new CloudInitGroup { Name = $"rack{r}", File = new CloudInitFile { Content = $"#cloud-config\nwrite_files:\n- path: /etc/rack\n  content: rack{r}\n" } });
    var server = await ChamiServer.StartAsync(services, new ChamiServerOptions { Port = 0 });
    var seeds = xnames.Select(x => new Uri(services.CloudInitSeeds.SeedUrlFor(x, server.Url)).AbsolutePath).ToList();
    Console.WriteLine($"setup: {nodes} nodes, 5 groups, {(inMemory ? "in-memory store" : "LiteDB file (shared mode)")} in {setup.Elapsed.TotalSeconds:F1} s; server {server.Url}; {Environment.ProcessorCount} CPUs; concurrency {concurrency}");

    using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency, PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
    { BaseAddress = new Uri(server.Url), Timeout = TimeSpan.FromSeconds(60) };
    foreach (var label in new[] { "first boot (instance-ids created)", "second boot (warm)" })
    {
        var routes = new[] { "meta-data", "user-data", "vendor-data" };
        var latencies = routes.ToDictionary(r => r, _ => new double[nodes]);
        var failures = 0;
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, nodes), new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (i, ct) =>
        {
            foreach (var route in routes)
            {
                var t = Stopwatch.GetTimestamp();
                using var response = await client.GetAsync(seeds[i] + route, ct);
                await response.Content.ReadAsByteArrayAsync(ct);
                latencies[route][i] = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
                if (response.StatusCode != HttpStatusCode.OK) Interlocked.Increment(ref failures);
            }
        });
        wall.Stop();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        Console.WriteLine($"{label}: {nodes} nodes x 3 fetches in {wall.Elapsed.TotalSeconds:F2} s wall ({nodes * 3 / wall.Elapsed.TotalSeconds:F0} req/s), {failures} non-200; "
            + $"process CPU {cpu.TotalSeconds:F1} s (server + client), {cpu.TotalMilliseconds / (nodes * 3):F2} ms CPU/request; load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
        foreach (var route in routes)
        {
            var sorted = latencies[route].Order().ToArray();
            Console.WriteLine($"  {route,-12} p50 {Pct(sorted, 0.50),7:F2} ms  p99 {Pct(sorted, 0.99),7:F2} ms  max {sorted[^1],7:F2} ms");
        }
    }
    await server.StopAsync();
    store.Dispose();
}
finally
{
    dir.Delete(recursive: true);
}

static double Pct(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

int IntArg(string name, int fallback)
{
    var at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length && int.TryParse(args[at + 1], out var v) ? v : fallback;
}
