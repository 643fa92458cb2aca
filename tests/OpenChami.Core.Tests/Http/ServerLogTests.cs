using OpenChami.Core.Http;
using OpenChami.Core.Tests.Support;

namespace OpenChami.Core.Tests.Http;

public sealed class ServerLogTests
{
    [Fact]
    public void Entries_after_stop_reach_the_ring_but_never_the_closed_file()
    {
        using var temp = new TempDirectory();
        var path = temp.File("server.log");
        var log = new ServerLog(16, path);
        log.Add(ServerLogLevel.Information, "OpenChami.Server", "first");
        log.Dispose();

        log.Add(ServerLogLevel.Information, "OpenChami.Http", "late");

        Assert.Equal(["first", "late"], log.Snapshot().Select(e => e.Message));
        var written = File.ReadAllText(path);
        Assert.Contains("first", written);
        Assert.DoesNotContain("late", written);
    }

    [Fact]
    public void The_ring_keeps_only_the_newest_entries()
    {
        using var log = new ServerLog(16, null);
        for (var i = 0; i < 20; i++) log.Add(ServerLogLevel.Information, "OpenChami.Http", i.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var entries = log.Snapshot();
        Assert.Equal(16, entries.Count);
        Assert.Equal("4", entries[0].Message);
        Assert.Equal("19", entries[^1].Message);
    }
}
