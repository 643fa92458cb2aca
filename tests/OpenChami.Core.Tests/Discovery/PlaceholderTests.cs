using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using OpenChami.Core.Discovery;
using OpenChami.Core.Model;
using OpenChami.Core.Serialization;
using OpenChami.Core.Storage;
using OpenChami.Core.Tests.Support;
using OpenChami.RedfishFixture;

namespace OpenChami.Core.Tests.Discovery;

/// <summary>
/// Vendor placeholders (<c>N/A</c>, <c>""</c>, <c>0.0.0.0</c>, ...) where a BMC should have a value: for every string
/// leaf of every resource the walk reads, one at a time, discovery over HTTP with that leaf replaced by a
/// placeholder must not fail the BMC, and must store exactly what it stores when the leaf is simply missing.
/// Bounded: every leaf gets the "missing" run and one placeholder (taking turns through the list, so each
/// placeholder meets every kind of field); addresses, MACs, UUIDs and serials get every placeholder.
/// </summary>
public sealed class PlaceholderTests(Xunit.Abstractions.ITestOutputHelper output)
{
    /// <summary>What real BMCs send instead of a value (the issue's list, plus the other usual suspects).</summary>
    public static readonly string[] Placeholders =
        ["N/A", "", "   ", "0.0.0.0", "00:00:00:00:00:00", "Unknown", "null", "None", "::", "00000000-0000-0000-0000-000000000000"];

    private const string Bmc = "x3000c0s1b0";

    public static TheoryData<string> Mockups() => new(MockupExpectation.Folders());

    [Trait("Backend", TestStores.LiteDbOnly)] // thousands of runs: in-memory LiteDB; the store code itself runs on both backends elsewhere
    [Theory]
    [MemberData(nameof(Mockups))]
    public async Task No_single_placeholder_leaf_fails_the_bmc_or_stores_more_than_the_field_missing(string folder)
    {
        const int workers = 4;
        await using var farm = await RedfishFixtureFarm.StartAsync(folder, workers);
        var map = XnameMap.FromPairs(farm.Endpoints.Select(e => KeyValuePair.Create($"127.0.0.1:{e.Port}", Bmc)));
        var idle = new ConcurrentBag<RedfishBmcSimulator>(farm.Simulators);

        // Baseline: what the walk reads (every served resource) and what it stores.
        var served = new ConcurrentDictionary<string, JsonNode>();
        var baseline = await RunAsync(farm[0], map, (path, node) => served.GetOrAdd(path, _ => node.DeepClone()));
        Assert.True(baseline.Status != BmcDiscoveryStatus.Failed, baseline.Error);

        var leaves = served.OrderBy(p => p.Key, StringComparer.Ordinal).SelectMany(p => Leaves(p.Value, []).Select(l => (Resource: p.Key, Path: l))).ToList();
        Assert.True(leaves.Count > 50, $"only {leaves.Count} leaves");

        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        var failures = new ConcurrentBag<string>();
        var differences = new ConcurrentBag<string>();
        var unnamed = new ConcurrentBag<string>();
        var runs = 0;
        await Parallel.ForEachAsync(leaves, new ParallelOptions { MaxDegreeOfParallelism = workers }, async (leaf, _) =>
        {
            Assert.True(idle.TryTake(out var bmc));
            try
            {
                // The oracle, run only when a placeholder changed what is stored: the same discovery with the leaf removed.
                Run? missing = null;
                async Task<Run> Missing()
                {
                    if (missing is not null) return missing;
                    missing = await RunAsync(bmc, map, Mutate(leaf.Resource, leaf.Path, null));
                    Interlocked.Increment(ref runs);
                    if (missing.Status == BmcDiscoveryStatus.Failed) failures.Add($"{leaf.Resource} {Show(leaf.Path)} missing: {missing.Error}");
                    return missing;
                }
                var index = leaves.IndexOf(leaf);
                foreach (var placeholder in IsIdentity(leaf.Path) ? Placeholders : [Placeholders[index % Placeholders.Length]])
                {
                    var result = await RunAsync(bmc, map, Mutate(leaf.Resource, leaf.Path, placeholder));
                    Interlocked.Increment(ref runs);
                    var what = $"{leaf.Resource} {Show(leaf.Path)} = '{placeholder}'";
                    if (result.Status == BmcDiscoveryStatus.Failed)
                    {
                        failures.Add($"{what}: {result.Reason} {result.Error}");
                        continue;
                    }
                    if (result.Dump == baseline.Dump) continue; // the placeholder changed nothing stored
                    if (result.Dump != (await Missing()).Dump) differences.Add($"{what}: stored differs from the leaf missing");
                    // A MAC, address, UUID or serial the BMC really had must be named when it is skipped.
                    if (IsIdentity(leaf.Path) && !string.IsNullOrWhiteSpace(placeholder)
                        && !result.Warnings.Any(w => w.StartsWith($"{Bmc}: {leaf.Resource}: ", StringComparison.Ordinal) && w.Contains($"'{placeholder.Trim()}' skipped", StringComparison.Ordinal)))
                    {
                        unnamed.Add($"{what}: no warning names the skipped field ({string.Join(" | ", result.Warnings)})");
                    }
                }
            }
            finally
            {
                idle.Add(bmc);
            }
        });

        Assert.True(failures.IsEmpty, $"{failures.Count} of {runs} runs failed the BMC:\n{string.Join("\n", failures.Order().Take(40))}");
        Assert.True(differences.IsEmpty, $"{differences.Count} of {runs} runs stored more than the leaf missing:\n{string.Join("\n", differences.Order().Take(40))}");
        Assert.True(unnamed.IsEmpty, $"{unnamed.Count} skipped fields were not named:\n{string.Join("\n", unnamed.Order().Take(40))}");
        var identity = leaves.Count(l => IsIdentity(l.Path));
        output.WriteLine($"{Path.GetFileName(folder)}: {leaves.Count} leaves ({identity} addresses/MACs/UUIDs/serials), {runs} discoveries in {stopwatch.Elapsed.TotalSeconds:0.0} s");
        Assert.True(runs >= leaves.Count + identity * (Placeholders.Length - 1), $"{runs} runs");
    }

    private static bool IsIdentity(IReadOnlyList<object> path) =>
        path.LastOrDefault() is "MACAddress" or "PermanentMACAddress" or "UUID" or "SerialNumber" or "Address";

    private sealed record Run(BmcDiscoveryStatus Status, DiscoveryFailure? Reason, string? Error, IReadOnlyList<string> Warnings, string Dump);

    private static async Task<Run> RunAsync(RedfishBmcSimulator bmc, XnameMap map, Func<string, JsonNode, JsonNode?> rewriter)
    {
        bmc.ResponseRewriter = rewriter;
        bmc.RecordRequests = false;
        using var store = LiteDbStore.OpenInMemory();
        var services = new ChamiServices(store);
        var summary = await services.Discovery.DiscoverAsync([new DiscoveryTarget(bmc.Address, bmc.Port, "http")], new DiscoveryOptions
        {
            Credentials = BmcCredentialMap.ForAll(new NetworkCredential(RedfishBmcSimulator.DefaultUsername, RedfishBmcSimulator.DefaultPassword)),
            XnameMap = map,
            ThrottleLimit = 1,
            ConnectTimeout = TimeSpan.FromSeconds(5),
            ProbeTimeout = TimeSpan.FromSeconds(10),
            RequestTimeout = TimeSpan.FromSeconds(10),
            BmcTimeout = TimeSpan.FromSeconds(60),
        });
        var result = Assert.Single(summary.Results);
        return new Run(result.Status, result.Reason, result.Error, result.Warnings, Dump(store, $"127.0.0.1:{bmc.Port}"));
    }

    /// <summary>Everything discovery stores, without timestamps and with the simulator's port taken out.</summary>
    internal static string Dump(IChamiStore store, string fqdn)
    {
        var json = store.Read(s => JsonSerializer.SerializeToNode(new
        {
            Components = s.Collection<Component>().All().OrderBy(c => c.ID),
            Interfaces = s.Collection<EthernetInterface>().All().OrderBy(e => e.ID),
            Endpoints = s.Collection<RedfishEndpoint>().All().OrderBy(r => r.ID),
            ComponentEndpoints = s.Collection<ComponentEndpoint>().All().OrderBy(c => c.ID),
        }, ChamiJson.Options))!;
        foreach (var item in json["Interfaces"]!.AsArray()) item!.AsObject().Remove("LastUpdate");
        foreach (var item in json["Endpoints"]!.AsArray()) item!["DiscoveryInfo"]!.AsObject().Remove("LastDiscoveryAttempt");
        return json.ToJsonString().Replace(fqdn, "BMC", StringComparison.Ordinal);
    }

    /// <summary>Path (property names and array indexes) of every string value under <paramref name="node"/>.</summary>
    private static IEnumerable<IReadOnlyList<object>> Leaves(JsonNode? node, List<object> prefix)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (name, child) in o) foreach (var leaf in Leaves(child, [.. prefix, name])) yield return leaf;
                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++) foreach (var leaf in Leaves(a[i], [.. prefix, i])) yield return leaf;
                break;
            case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                yield return prefix;
                break;
        }
    }

    /// <summary>A rewriter that replaces (or, with null, removes) one leaf of one resource.</summary>
    internal static Func<string, JsonNode, JsonNode?> Mutate(string resource, IReadOnlyList<object> path, string? value) => (served, node) =>
    {
        if (served != resource) return node;
        var copy = node.DeepClone();
        var parent = copy;
        for (var i = 0; i < path.Count - 1; i++) parent = path[i] is string name ? parent![name] : parent![(int)path[i]];
        switch (path[^1])
        {
            case string name when value is null: parent!.AsObject().Remove(name); break;
            case string name: parent![name] = value; break;
            case int index when value is null: parent!.AsArray().RemoveAt(index); break;
            case int index: parent![index] = value; break;
        }
        return copy;
    };

    private static string Show(IReadOnlyList<object> path) => string.Concat(path.Select(p => p is int i ? $"[{i}]" : $".{p}")).TrimStart('.');
}
