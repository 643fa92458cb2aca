using OpenChami.Core.Discovery;
using OpenChami.Core.Errors;

namespace OpenChami.Core.Tests.Discovery;

public sealed class DiscoveryTargetsTests
{
    [Fact]
    public void Subnet_skips_network_and_broadcast_and_masks_host_bits()
    {
        var hosts = DiscoveryTargets.ExpandSubnet("10.0.0.50/24").ToList();
        Assert.Equal(254, hosts.Count);
        Assert.Equal("10.0.0.1", hosts[0]);
        Assert.Equal("10.0.0.254", hosts[^1]); // magellan started at .51 and included the broadcast
        Assert.Equal(["10.0.0.0", "10.0.0.1"], DiscoveryTargets.ExpandSubnet("10.0.0.0/31"));
        Assert.Equal(["10.0.0.7"], DiscoveryTargets.ExpandSubnet("10.0.0.7/32"));
        Assert.Equal(1022, DiscoveryTargets.ExpandSubnet("127.1.0.0/22").Count());
    }

    [Theory]
    [InlineData("10.0.0.0", "InvalidSubnet")]
    [InlineData("10.0.0.0/33", "InvalidSubnet")]
    [InlineData("fe80::/64", "InvalidSubnet")]
    [InlineData("10.0.0.0/8", "SubnetTooLarge")]
    public void Bad_subnet_is_a_clear_error(string subnet, string errorId)
    {
        var e = Assert.Throws<ChamiException>(() => DiscoveryTargets.Expand([subnet], null, null, "https"));
        Assert.Equal(errorId, e.ErrorId);
        Assert.Equal(ChamiErrorKind.InvalidArgument, e.Kind);
    }

    [Fact]
    public void Addresses_cross_ports_unless_they_name_one_and_duplicates_collapse()
    {
        var targets = DiscoveryTargets.Expand(["10.0.0.0/30"], ["10.0.0.1", "bmc1:8443", "http://10.0.0.9:5000", "[::1]:444"], [443, 8443], "https");
        Assert.Equal(
            ["10.0.0.1:443", "10.0.0.1:8443", "10.0.0.2:443", "10.0.0.2:8443", "bmc1:8443", "10.0.0.9:5000", "[::1]:444"],
            targets.Select(t => t.ToString()));
        Assert.True(targets[0].FromSubnet);
        Assert.Equal("http", targets.Single(t => t.Port == 5000).Scheme);
        Assert.Equal("10.0.0.9:5000", targets.Single(t => t.Port == 5000).HostWithPort);
        Assert.Equal("10.0.0.1", targets[0].HostWithPort);
    }

    [Theory]
    [InlineData("10.0.0.1:0")]
    [InlineData("10.0.0.1:70000")]
    [InlineData("ftp://10.0.0.1")]
    [InlineData("bad host")]
    [InlineData("")]
    public void Bad_address_is_a_clear_error(string address)
    {
        var e = Assert.Throws<ChamiException>(() => DiscoveryTargets.Expand(null, [address], null, "https"));
        Assert.Equal("InvalidAddress", e.ErrorId);
    }

    [Fact]
    public void Generated_xname_matches_magellan_and_folds_in_the_port()
    {
        var warnings = new List<string>();
        Assert.Equal("x5506c0s172b104", DiscoveredBmcWriter.GenerateBmcXname(new DiscoveryTarget("172.16.0.104", 443, "https"), warnings));
        Assert.Equal("x5506c0s172b5000104", DiscoveredBmcWriter.GenerateBmcXname(new DiscoveryTarget("172.16.0.104", 5000, "https"), warnings));
        Assert.NotEmpty(warnings);
    }

    [Fact]
    public void Credential_map_picks_the_most_specific_key()
    {
        var map = new BmcCredentialMap { Default = new System.Net.NetworkCredential("d", "p") };
        map.Add("10.0.0.0/16", new System.Net.NetworkCredential("wide", "p"));
        map.Add("10.0.1.0/24", new System.Net.NetworkCredential("narrow", "p"));
        map.Add("10.0.1.5", new System.Net.NetworkCredential("host", "p"));
        map.Add("10.0.1.5:8443", new System.Net.NetworkCredential("hostport", "p"));
        Assert.Equal("hostport", map.Resolve(new DiscoveryTarget("10.0.1.5", 8443, "https"))!.UserName);
        Assert.Equal("host", map.Resolve(new DiscoveryTarget("10.0.1.5", 443, "https"))!.UserName);
        Assert.Equal("narrow", map.Resolve(new DiscoveryTarget("10.0.1.6", 443, "https"))!.UserName);
        Assert.Equal("wide", map.Resolve(new DiscoveryTarget("10.0.2.6", 443, "https"))!.UserName);
        Assert.Equal("d", map.Resolve(new DiscoveryTarget("192.168.0.1", 443, "https"))!.UserName);
    }

    [Fact]
    public void Xname_map_reads_magellan_json_and_csv_and_rejects_bad_entries()
    {
        using var temp = new Support.TempDirectory();
        File.WriteAllText(temp.File("map.json"), """{"map_key":"bmc-ip-addr","id_map":{"10.0.0.5":"x1000c0s0b0"}}""");
        File.WriteAllText(temp.File("map.csv"), "key,xname\n10.0.0.6:8443,x1000c0s1b0\nAA-BB-CC-DD-EE-01,x1000c0s2b0\n");
        var json = XnameMap.Load(temp.File("map.json"));
        Assert.Equal("x1000c0s0b0", json.Find(new DiscoveryTarget("10.0.0.5", 443, "https"), null, []));
        var csv = XnameMap.Load(temp.File("map.csv"));
        Assert.Equal("x1000c0s1b0", csv.Find(new DiscoveryTarget("10.0.0.6", 8443, "https"), null, []));
        Assert.Null(csv.Find(new DiscoveryTarget("10.0.0.6", 443, "https"), null, []));
        Assert.Equal("x1000c0s2b0", csv.Find(new DiscoveryTarget("10.0.0.7", 443, "https"), "aa:bb:cc:dd:ee:01", []));
        File.WriteAllText(temp.File("map.yaml"), "map_key: bmc-ip-addr\nid_map:\n  10.0.0.8: x1000c0s3b0\n");
        Assert.Equal("x1000c0s3b0", XnameMap.Load(temp.File("map.yaml")).Find(new DiscoveryTarget("10.0.0.8", 443, "https"), null, []));
        var e = Assert.Throws<ChamiException>(() => XnameMap.FromPairs([KeyValuePair.Create("10.0.0.5", "x1000c0s0b0n0")]));
        Assert.Equal("InvalidXnameMap", e.ErrorId);
    }
}
