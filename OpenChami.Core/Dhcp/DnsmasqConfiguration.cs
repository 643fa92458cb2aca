using System.Security.Cryptography;
using System.Text;

namespace OpenChami.Core.Dhcp;

/// <summary>One NIC with an address: a <c>dhcp-host</c> line and (when named) a DNS name.</summary>
public sealed record DnsmasqHostEntry(string MacAddress, string IPAddress, string? HostName, string? Fqdn, string? Xname)
{
    /// <summary>dhcp-hostsfile form (the same as a <c>dhcp-host=</c> value).</summary>
    public string DhcpHostLine => HostName is null ? $"{MacAddress},{IPAddress}" : $"{MacAddress},{IPAddress},{HostName}";

    /// <summary>addn-hosts (/etc/hosts) form; null when the NIC has no name.</summary>
    public string? HostsLine => HostName is null ? null
        : Fqdn is null ? $"{IPAddress} {HostName}{Alias}" : $"{IPAddress} {Fqdn} {HostName}{Alias}";

    // The xname is always resolvable, also when the host name comes from a NID pattern.
    private string Alias => Xname is not null && Xname != HostName ? $" {Xname}" : string.Empty;
}

/// <summary>
/// A generated dnsmasq configuration. <see cref="MainConfig"/> is what <c>--conf-file</c> reads; with separate
/// host files (the server's mode) the per-host lines live in <see cref="DhcpHosts"/> and <see cref="NameHosts"/>,
/// which dnsmasq re-reads on SIGHUP, else they are inline in <see cref="MainConfig"/>.
/// </summary>
public sealed class DnsmasqConfiguration
{
    internal DnsmasqConfiguration(string mainConfig, string dhcpHosts, string nameHosts, IReadOnlyList<DnsmasqHostEntry> hosts, IReadOnlyList<string> warnings)
    {
        MainConfig = mainConfig;
        DhcpHosts = dhcpHosts;
        NameHosts = nameHosts;
        Hosts = hosts;
        Warnings = warnings;
        HostsHash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(dhcpHosts + "\0" + nameHosts)));
    }

    public string MainConfig { get; }

    /// <summary>dhcp-hostsfile content: <c>mac,ip[,name]</c> per line.</summary>
    public string DhcpHosts { get; }

    /// <summary>addn-hosts content: <c>ip fqdn name [xname]</c> per line.</summary>
    public string NameHosts { get; }

    public IReadOnlyList<DnsmasqHostEntry> Hosts { get; }

    /// <summary>Inventory entries that could not be served as they are (also written as comments).</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>Hash of the per-host content: changes exactly when a reload is needed.</summary>
    public string HostsHash { get; }

    public override string ToString() => MainConfig;
}

/// <summary>Where the server's dnsmasq keeps its files (all in one state folder).</summary>
public sealed record DnsmasqFiles(string DhcpHostsFile, string NameHostsFile, string LeaseFile, string PidFile)
{
    public static DnsmasqFiles In(string stateDirectory) => new(
        Path.Combine(stateDirectory, "dhcp-hosts"),
        Path.Combine(stateDirectory, "hosts"),
        Path.Combine(stateDirectory, "dnsmasq.leases"),
        Path.Combine(stateDirectory, "dnsmasq.pid"));
}
