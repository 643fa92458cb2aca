using OpenChami.Core.Boot;
using OpenChami.Core.Inventory;
using OpenChami.Core.Resources;
using OpenChami.Core.Tests.Support;

namespace OpenChami.Core.Tests.BootService;

/// <summary>Selection by score (spec/boot-service.md §5), table-driven: score, then priority, then name; per architecture.</summary>
public sealed class BootScoreSelectionTests
{
    private const string Node = "x1000c0s0b0n0";
    private const string Mac = "52:54:00:be:ef:01";

    private static ChamiServices Lab()
    {
        var services = new ChamiServices(TestStores.Create());
        services.Nodes.Create(new NewNodeRequest { Xname = Node, Nid = 7, Role = "Compute", MacAddress = [Mac], Group = ["compute", "gpu"] });
        services.Nodes.Create(new NewNodeRequest { Xname = "x1000c0s1b0n0", Nid = 8, MacAddress = ["52:54:00:be:ef:02"] });
        return services;
    }

    // name:selectors:priority[:arch]; selectors: h=<host> m=<mac> n=<nid> g=<group>, '+'-separated; '-' = none (catch-all)
    public static TheoryData<string, string, string> Cases() => new()
    {
        { "by-mac:m=52:54:00:be:ef:01:0 by-host:h=x1000c0s0b0n0:100", "by-mac", "MAC 100 beats host 50 whatever the priority" },
        { "by-nid:n=7:0 by-host:h=x1000c0s0b0n0:100", "by-nid", "NID 75 beats host 50" },
        { "by-host:h=x1000c0s0b0n0:0 two-groups:g=compute+g=gpu:100", "two-groups", "25 per matching group: two groups (50) tie host (50), priority decides" },
        { "by-glob:h=x1000c0s*:0 one-group:g=compute:100", "by-glob", "a glob is a host match (50) and beats one group (25)" },
        { "all:-:100 one-group:g=compute:0", "one-group", "a catch-all scores 1" },
        { "b-tie:g=compute:50 a-tie:g=compute:50", "a-tie", "equal score and priority: name ascending" },
        { "low:g=compute:10 high:g=compute:90", "high", "equal score: higher priority" },
        { "both:h=x1000c0s0b0n0+m=52:54:00:be:ef:01:0 mac-only:m=52:54:00:be:ef:01:100", "both", "selectors add up: 150 beats 100" },
        { "other-group:g=storage:100 all:-:0", "all", "a configuration whose groups don't include the node does not apply" },
        { "arm:g=compute:0:arm64 any:g=compute:0", "any", "an arm64 variant does not apply to an x86_64 boot" },
        { "x86:g=compute:0:x86_64 any:g=compute:100", "x86", "equal score: the node's architecture variant before any-architecture, before priority" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_highest_score_wins_then_priority_then_name(string configs, string winner, string why)
    {
        var services = Lab();
        foreach (var config in configs.Split(' '))
        {
            var parts = config.Split(':', 2);
            var name = parts[0];
            var rest = parts[1];
            var last = rest[(rest.LastIndexOf(':') + 1)..];
            var arch = char.IsDigit(last[0]) ? null : last;
            if (arch is not null) rest = rest[..rest.LastIndexOf(':')];
            var priority = int.Parse(rest[(rest.LastIndexOf(':') + 1)..]);
            var selectors = rest[..rest.LastIndexOf(':')];
            var spec = new BootConfigurationSpec { Kernel = $"http://k/{name}", Priority = priority, Arch = arch, Hosts = [], Macs = [], Nids = [], Groups = [] };
            foreach (var s in selectors == "-" ? [] : selectors.Split('+'))
            {
                var value = s[2..];
                switch (s[0])
                {
                    case 'h': spec.Hosts.Add(value); break;
                    case 'm': spec.Macs.Add(value); break;
                    case 'n': spec.Nids.Add(long.Parse(value)); break;
                    default: spec.Groups.Add(value); break;
                }
            }
            services.BootConfigurations.Create(new ResourceMetadata { Name = name }, spec);
        }

        var request = new BootRequest { Mac = Mac, Arch = "x86_64", RecordAccess = false };
        var explained = services.BootScripts.Explain(request);
        Assert.True(winner == explained.Winner, $"{why}: expected {winner}, got {explained.Winner} ({explained.Reason})");
        Assert.Contains($"http://k/{winner}", services.BootScripts.GetServiceScript(request).Script);
        Assert.StartsWith($"{winner} wins with score", explained.Reason);
        Assert.Single(explained.Candidates, c => c.Winner);
        Assert.Equal(explained.Candidates.OrderByDescending(c => c.Score).Select(c => c.Score), explained.Candidates.Select(c => c.Score));
    }

    [Fact]
    public void Explain_lists_every_candidate_with_its_score_and_the_reason()
    {
        var services = Lab();
        services.BootConfigurations.Create(new ResourceMetadata { Name = "gpu" }, new BootConfigurationSpec { Kernel = "http://k/gpu", Groups = ["gpu", "compute"] });
        services.BootConfigurations.Create(new ResourceMetadata { Name = "rack" }, new BootConfigurationSpec { Kernel = "http://k/rack", Hosts = ["x1000c0s*"], Priority = 80 });
        services.BootConfigurations.Create(new ResourceMetadata { Name = "fallback" }, new BootConfigurationSpec { Kernel = "http://k/fallback" });
        services.BootConfigurations.Create(new ResourceMetadata { Name = "elsewhere" }, new BootConfigurationSpec { Kernel = "http://k/x", Nids = [8] });

        var explained = services.BootScripts.Explain(new BootRequest { Name = Node, RecordAccess = false });

        Assert.Equal(["rack", "gpu", "fallback"], explained.Candidates.Select(c => c.Name));
        Assert.Equal([50, 50, 1], explained.Candidates.Select(c => c.Score));
        Assert.Equal("group gpu (25) + group compute (25)", explained.Candidates[1].MatchedBy);
        Assert.Equal("rack wins with score 50 (host x1000c0s* (50)): tied with gpu at score 50; priority 80 beats 0", explained.Reason);
        // /boot/v1's precedence puts groups before globs: the two APIs may differ, and Explain says what /boot/v1 serves
        Assert.Equal("group:compute", explained.BootV1Source);
    }
}
