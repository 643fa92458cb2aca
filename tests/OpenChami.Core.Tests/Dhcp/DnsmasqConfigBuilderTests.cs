using System.Diagnostics;
using System.Text.RegularExpressions;
using OpenChami.Core.Dhcp;
using OpenChami.Core.Errors;
using OpenChami.Core.Inventory;
using OpenChami.Core.Model;
using OpenChami.Core.Storage;
using OpenChami.Core.Tests.Support;

namespace OpenChami.Core.Tests.Dhcp;

public sealed class DnsmasqConfigBuilderTests
{
    private static DnsmasqOptions ClusterOptions()
    {
        var options = new DnsmasqOptions
        {
            Interface = "br-mgmt",
            Router = "10.1.0.1",
            Domain = "cluster.test",
            BootScriptUrl = "http://10.1.0.1:8081/boot/v1/bootscript",
        };
        options.DhcpRanges.Add("10.1.200.1-10.1.200.250/16");
        options.DhcpRanges.Add("10.1.0.0/16");
        options.DnsServers.Add("10.1.0.1");
        return options;
    }

    private static string XnameOf(int i) => $"x{1000 + i / 256}c0s{i % 256 / 8}b{i % 8 / 2}n{i % 2}";

    private static string MacOf(int i) => $"52:54:00:{(i >> 16) & 0xff:x2}:{(i >> 8) & 0xff:x2}:{i & 0xff:x2}";

    /// <summary>Nodes with one addressed NIC each, plus NICs the generator must leave out or keep unnamed.</summary>
    private static ChamiServices Inventory(IChamiStore store, int nodes)
    {
        var services = new ChamiServices(store);
        store.Write(s =>
        {
            for (var i = 0; i < nodes; i++)
            {
                NodeService.Create(s, NodeService.Prepare(new NewNodeRequest { Xname = XnameOf(i), Nid = i + 1 }));
                EthernetInterfaceService.Create(s, new EthernetInterface
                {
                    MACAddress = MacOf(i),
                    ComponentID = XnameOf(i),
                    IPAddresses = [new IPAddressMapping { IPAddress = $"10.1.{1 + i / 250}.{1 + i % 250}" }],
                });
            }
            // A NIC without an address (no dhcp-host), and one without a component (lease, no name).
            EthernetInterfaceService.Create(s, new EthernetInterface { MACAddress = "aa:bb:cc:00:00:01", ComponentID = XnameOf(0) });
            EthernetInterfaceService.Create(s, new EthernetInterface { MACAddress = "aa:bb:cc:00:00:02", IPAddresses = [new IPAddressMapping { IPAddress = "10.1.100.2" }] });
        });
        return services;
    }

    [Fact]
    public void Generated_configuration_passes_dnsmasq_test_and_covers_every_NIC_with_an_IP()
    {
        using var store = TestStores.Create();
        var services = Inventory(store, 2000);
        var clock = Stopwatch.StartNew();
        var config = DnsmasqConfigBuilder.Build(store, ClusterOptions());
        var buildMs = clock.ElapsedMilliseconds;

        using var temp = new TempDirectory();
        var file = temp.File("dnsmasq.conf");
        File.WriteAllText(file, config.MainConfig);
        DnsmasqProgram.Test(DnsmasqProgram.Find(), file);   // throws DnsmasqConfigInvalid with dnsmasq's message

        // Parse what dnsmasq will read, and hold it against the inventory.
        var lines = config.MainConfig.Split('\n');
        var dhcpHosts = lines.Where(l => l.StartsWith("dhcp-host=", StringComparison.Ordinal)).Select(l => l["dhcp-host=".Length..].Split(',')).ToList();
        var expected = services.EthernetInterfaces.All().Where(n => n.IPAddresses.Count > 0).ToList();
        Assert.Equal(expected.Count, dhcpHosts.Count);
        var byMac = dhcpHosts.ToDictionary(h => h[0]);
        foreach (var nic in expected)
        {
            var entry = byMac[nic.MACAddress];
            Assert.Equal(nic.IPAddresses[0].IPAddress, entry[1]);
            if (nic.ComponentID.Length > 0) Assert.Equal(nic.ComponentID, entry[2]);
            else Assert.Equal(2, entry.Length);
        }
        Assert.DoesNotContain(lines, l => l.Contains("aa:bb:cc:00:00:01", StringComparison.Ordinal));
        Assert.Contains($"host-record={XnameOf(7)},{XnameOf(7)}.cluster.test,10.1.1.8", lines);
        Assert.Contains("dhcp-boot=tag:ipxe,http://10.1.0.1:8081/boot/v1/bootscript", lines);
        Assert.Contains("dhcp-userclass=set:ipxe,iPXE", lines);
        Assert.Contains("dhcp-match=set:ipxe,175", lines);
        Assert.Contains("dhcp-range=10.1.0.0,static,255.255.0.0,1h", lines);
        Assert.Contains("dhcp-range=10.1.200.1,10.1.200.250,255.255.0.0,1h", lines);
        Assert.Empty(config.Warnings);
        Assert.True(buildMs < 5000, $"2000 nodes took {buildMs} ms");
    }

    [Fact]
    public void Server_mode_puts_hosts_in_files_that_SIGHUP_rereads_and_passes_dnsmasq_test()
    {
        using var store = TestStores.Create();
        Inventory(store, 3);
        using var temp = new TempDirectory();
        var files = DnsmasqFiles.In(temp.Path);
        var config = DnsmasqConfigBuilder.Build(store, ClusterOptions(), files);
        File.WriteAllText(temp.File("dnsmasq.conf"), config.MainConfig);
        File.WriteAllText(files.DhcpHostsFile, config.DhcpHosts);
        File.WriteAllText(files.NameHostsFile, config.NameHosts);
        DnsmasqProgram.Test(DnsmasqProgram.Find(), temp.File("dnsmasq.conf"));

        Assert.Contains($"dhcp-hostsfile={files.DhcpHostsFile}", config.MainConfig.Split('\n'));
        Assert.Contains($"addn-hosts={files.NameHostsFile}", config.MainConfig.Split('\n'));
        Assert.DoesNotContain("dhcp-host=", config.MainConfig, StringComparison.Ordinal);
        Assert.Equal(
            $"{MacOf(0)},10.1.1.1,{XnameOf(0)}\n{MacOf(1)},10.1.1.2,{XnameOf(1)}\n{MacOf(2)},10.1.1.3,{XnameOf(2)}\naa:bb:cc:00:00:02,10.1.100.2\n",
            config.DhcpHosts);
        Assert.StartsWith($"10.1.1.1 {XnameOf(0)}.cluster.test {XnameOf(0)}\n", config.NameHosts, StringComparison.Ordinal);
    }

    [Fact]
    public void Hosts_hash_changes_exactly_when_a_NIC_changes()
    {
        using var store = TestStores.Create();
        var services = Inventory(store, 5);
        var before = DnsmasqConfigBuilder.Build(store, ClusterOptions()).HostsHash;
        Assert.Equal(before, DnsmasqConfigBuilder.Build(store, ClusterOptions()).HostsHash);
        services.Nodes.Create(new NewNodeRequest { Xname = "x9000c0s0b0n0" });   // no NIC: nothing for dnsmasq
        Assert.Equal(before, DnsmasqConfigBuilder.Build(store, ClusterOptions()).HostsHash);
        services.EthernetInterfaces.Create(new EthernetInterface { MACAddress = "aa:bb:cc:00:00:09", ComponentID = "x9000c0s0b0n0", IPAddresses = [new IPAddressMapping { IPAddress = "10.1.9.9" }] });
        var added = DnsmasqConfigBuilder.Build(store, ClusterOptions());
        Assert.NotEqual(before, added.HostsHash);
        Assert.Contains("aa:bb:cc:00:00:09,10.1.9.9,x9000c0s0b0n0\n", added.DhcpHosts, StringComparison.Ordinal);
        services.EthernetInterfaces.Delete("aa:bb:cc:00:00:09");
        Assert.Equal(before, DnsmasqConfigBuilder.Build(store, ClusterOptions()).HostsHash);
    }

    [Fact]
    public void A_duplicate_address_is_served_once_and_reported()
    {
        using var store = TestStores.Create();
        var services = Inventory(store, 2);
        services.EthernetInterfaces.Create(new EthernetInterface { MACAddress = "aa:bb:cc:00:00:03", IPAddresses = [new IPAddressMapping { IPAddress = "10.1.1.1" }] });
        var config = DnsmasqConfigBuilder.Build(store, ClusterOptions());
        Assert.Single(Regex.Matches(config.DhcpHosts, @",10\.1\.1\.1(,|\n)"));
        var warning = Assert.Single(config.Warnings);
        Assert.Contains("aa:bb:cc:00:00:03: 10.1.1.1 is already given to " + MacOf(0), warning, StringComparison.Ordinal);
        Assert.Contains("# warning: aa:bb:cc:00:00:03", config.MainConfig, StringComparison.Ordinal);
    }

    [Fact]
    public void Host_names_follow_the_pattern_and_keep_the_xname_as_an_alias()
    {
        using var store = TestStores.Create();
        Inventory(store, 2);
        var options = ClusterOptions();
        options.HostNamePattern = "nid{nid:0000}";
        var config = DnsmasqConfigBuilder.Build(store, options);
        Assert.Contains($"{MacOf(1)},10.1.1.2,nid0002\n", config.DhcpHosts, StringComparison.Ordinal);
        Assert.Contains($"10.1.1.2 nid0002.cluster.test nid0002 {XnameOf(1)}\n", config.NameHosts, StringComparison.Ordinal);
        Assert.Equal("x1c0s0b0n0", DnsmasqConfigBuilder.HostName("nid{nid}", "x1c0s0b0n0", null));
    }

    [Fact]
    public void Addresses_outside_every_subnet_are_reported()
    {
        using var store = TestStores.Create();
        var services = Inventory(store, 1);
        services.EthernetInterfaces.Create(new EthernetInterface { MACAddress = "aa:bb:cc:00:00:04", IPAddresses = [new IPAddressMapping { IPAddress = "192.168.5.5" }] });
        var config = DnsmasqConfigBuilder.Build(store, ClusterOptions());
        Assert.Contains(config.Warnings, w => w.Contains("192.168.5.5 is in none of the DHCP subnets", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("DhcpRange", "10.1.0.200-10.1.0.100", "InvalidDhcpRange")]
    [InlineData("DhcpRange", "10.1.0.5", "InvalidDhcpRange")]
    [InlineData("DhcpRange", "10.1.0.5/24", "InvalidDhcpRange")]
    [InlineData("DhcpRange", "10.1.0.1-10.2.0.1/24", "InvalidDhcpRange")]
    [InlineData("DhcpRange", "10.1.0.0/33", "InvalidDhcpRange")]
    [InlineData("DhcpRange", "fe80::1-fe80::9", "InvalidDhcpRange")]
    [InlineData("Router", "10.1.0.1\ndhcp-range=0.0.0.0", "InvalidRouter")]
    [InlineData("Domain", "bad domain", "InvalidDomain")]
    [InlineData("Interface", "eth0\nport=0", "InvalidInterface")]
    [InlineData("BootScriptUrl", "http://h/a,b", "InvalidBootScriptUrl")]
    [InlineData("BootScriptUrl", "tftp://h/x", "InvalidBootScriptUrl")]
    [InlineData("HostNamePattern", "node", "InvalidHostNamePattern")]
    [InlineData("HostNamePattern", "{xname}_x", "InvalidHostNamePattern")]
    [InlineData("ExtraOptions", "log-queries\nport=0", "InvalidDnsmasqOption")]
    public void Bad_options_are_refused_before_dnsmasq_sees_them(string option, string value, string errorId)
    {
        using var store = TestStores.Create();
        var options = ClusterOptions();
        switch (option)
        {
            case "DhcpRange": options.DhcpRanges.Add(value); break;
            case "Router": options.Router = value; break;
            case "Domain": options.Domain = value; break;
            case "Interface": options.Interface = value; break;
            case "BootScriptUrl": options.BootScriptUrl = value; break;
            case "HostNamePattern": options.HostNamePattern = value; break;
            case "ExtraOptions": options.ExtraOptions.Add(value); break;
        }
        var ex = Assert.Throws<ChamiException>(() => DnsmasqConfigBuilder.Build(store, options));
        Assert.Equal(errorId, ex.ErrorId);
        Assert.Equal(ChamiErrorKind.InvalidArgument, ex.Kind);
    }

    [Fact]
    public void A_configuration_dnsmasq_refuses_is_DnsmasqConfigInvalid_with_its_message()
    {
        using var store = TestStores.Create();
        var options = ClusterOptions();
        options.ExtraOptions.Add("no-such-option=1");
        var config = DnsmasqConfigBuilder.Build(store, options);
        using var temp = new TempDirectory();
        File.WriteAllText(temp.File("bad.conf"), config.MainConfig);
        var ex = Assert.Throws<ChamiException>(() => DnsmasqProgram.Test(DnsmasqProgram.Find(), temp.File("bad.conf")));
        Assert.Equal("DnsmasqConfigInvalid", ex.ErrorId);
        // dnsmasq's own words, pointing at the line it refused.
        var refusedLine = Array.IndexOf(config.MainConfig.Split('\n'), "no-such-option=1") + 1;
        Assert.Contains($"bad option at line {refusedLine} of {temp.File("bad.conf")}", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_dnsmasq_is_DnsmasqNotFound()
    {
        var ex = Assert.Throws<ChamiException>(() => DnsmasqProgram.Find("/nonexistent/dnsmasq"));
        Assert.Equal("DnsmasqNotFound", ex.ErrorId);
    }
}
