using System.Net;
using System.Text.RegularExpressions;
using OpenChami.Core.Storage;
using OpenChami.Core.Tests.Support;
using static OpenChami.Core.Tests.Boot.BssTestData;

namespace OpenChami.Core.Tests.Storage;

/// <summary>
/// No read sent after a write was acknowledged may return older data, however the reads overlap the writes:
/// one writer PUTs the Default kernel v1..vN over HTTP while readers fetch boot scripts; each reader notes the
/// latest acknowledged version before it sends a request and the script must carry that version or a newer one.
/// The readers' requests fill the read cache while the writes commit (in memory, LiteDB's transactions overlap).
/// </summary>
public sealed partial class ReadAfterWriteTests
{
    private const int Nodes = 16;
    private const int Versions = 150;
    private const int Readers = 6;

    [GeneratedRegex(@"http://k/v(\d+) ")]
    private static partial Regex KernelVersion();

    /// <summary>In memory (litedb pass) or PostgreSQL (postgresql pass).</summary>
    [Fact]
    public async Task No_read_after_an_acknowledged_write_is_older_on_the_store_under_test()
    {
        await using var server = await TestServer.StartAsync();
        await AssertReadsFollowWrites(server, server);
    }

    [Fact]
    [Trait("Backend", TestStores.LiteDbOnly)]
    public async Task No_read_after_an_acknowledged_write_is_older_on_a_database_file()
    {
        using var temp = new TempDirectory();
        await using var server = await TestServer.StartAsync(LiteDbStore.OpenFile(temp.File("raw.db")));
        await AssertReadsFollowWrites(server, server);
    }

    /// <summary>Two stores on one file are two processes: each maps the stamps and has its own memory.</summary>
    [Fact]
    [Trait("Backend", TestStores.LiteDbOnly)]
    public async Task No_read_after_an_acknowledged_write_is_older_through_another_server_on_the_same_file()
    {
        using var temp = new TempDirectory();
        var path = temp.File("two.db");
        await using var writer = await TestServer.StartAsync(LiteDbStore.OpenFile(path));
        await using var reader = await TestServer.StartAsync(LiteDbStore.OpenFile(path));
        await AssertReadsFollowWrites(writer, reader);
    }

    internal static async Task AssertReadsFollowWrites(TestServer writer, TestServer reader)
    {
        for (var i = 0; i < Nodes; i++) AddNode(writer, XnameOf(i), i + 1, $"52:54:00:00:10:{i:x2}", "Compute", "compute");
        await Put(writer, 0);

        var acknowledged = 0;
        var writing = true;
        var readersStarted = new CountdownEvent(Readers);
        var stale = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var reads = 0;

        async Task Read(int r)
        {
            readersStarted.Signal();
            // Bounded: the writer's N writes end it; the cap only guards against a writer that never finishes.
            for (var n = 0; n < 200_000 && Volatile.Read(ref writing); n++)
            {
                var floor = Volatile.Read(ref acknowledged);
                var node = XnameOf((r * 7 + n) % Nodes);
                var version = await KernelOf(reader, node);
                Interlocked.Increment(ref reads);
                if (version < floor) stale.Enqueue($"{node}: v{version} after v{floor} was acknowledged");
            }
        }

        var readers = Enumerable.Range(0, Readers).Select(r => Task.Run(() => Read(r))).ToArray();
        readersStarted.Wait(TimeSpan.FromMinutes(1));
        for (var v = 1; v <= Versions; v++)
        {
            await Put(writer, v);
            Volatile.Write(ref acknowledged, v);
        }
        Volatile.Write(ref writing, false);
        await Task.WhenAll(readers);

        // Once the writes stop every node boots the last kernel (a stale cache entry would outlive them).
        var after = new List<string>();
        for (var i = 0; i < Nodes; i++)
        {
            var version = await KernelOf(reader, XnameOf(i));
            if (version != Versions) after.Add($"{XnameOf(i)}: v{version}");
        }

        Assert.True(reads > 0);
        Assert.True(stale.IsEmpty, $"{stale.Count} of {reads} reads returned a kernel older than acknowledged, e.g. {string.Join("; ", stale.Take(5))}");
        Assert.True(after.Count == 0, $"after the last write {after.Count} nodes still boot an older kernel: {string.Join("; ", after)}");
    }

    private static async Task Put(TestServer server, int version)
    {
        var response = await server.SendJsonAsync(HttpMethod.Put, "/boot/v1/bootparameters", Json(new { hosts = new[] { "Default" }, kernel = $"http://k/v{version}", @params = "quiet" }));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static async Task<int> KernelOf(TestServer server, string xname)
    {
        var script = await server.Client.GetStringAsync($"/boot/v1/bootscript?name={xname}");
        var match = KernelVersion().Match(script);
        Assert.True(match.Success, script);
        return int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }
}
