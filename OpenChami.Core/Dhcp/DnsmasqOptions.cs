namespace OpenChami.Core.Dhcp;

/// <summary>
/// The network-side choices an operator makes for dnsmasq; everything per host comes from the inventory.
/// </summary>
public sealed class DnsmasqOptions
{
    public const string DefaultIpxeDirectory = "/usr/lib/ipxe";

    /// <summary>Serve DHCP/DNS/TFTP only on this interface (dnsmasq <c>interface=</c> + <c>bind-dynamic</c>); null serves every interface.</summary>
    public string? Interface { get; set; }

    /// <summary>
    /// Address pools: <c>10.1.0.100-10.1.0.200</c> (dynamic, optional <c>/24</c> suffix for the mask) or a subnet
    /// <c>10.1.0.0/24</c> (static: only hosts from the inventory get a lease).
    /// </summary>
    public IList<string> DhcpRanges { get; } = [];

    /// <summary>Default gateway handed to clients (DHCP option 3).</summary>
    public string? Router { get; set; }

    /// <summary>DNS servers handed to clients (option 6); dnsmasq's own address when empty.</summary>
    public IList<string> DnsServers { get; } = [];

    /// <summary>DNS domain of the node names (<c>domain=</c>, answered locally, never forwarded).</summary>
    public string? Domain { get; set; }

    /// <summary>The fixed URL iPXE is handed: <c>http://server:port/boot/v1/bootscript</c> (which chains back with the MAC).</summary>
    public string? BootScriptUrl { get; set; }

    /// <summary>Directory holding Debian's iPXE binaries (package <c>ipxe</c>).</summary>
    public string IpxeDirectory { get; set; } = DefaultIpxeDirectory;

    /// <summary>TFTP root; the iPXE directory itself when null.</summary>
    public string? TftpRoot { get; set; }

    /// <summary>Host name per NIC: <c>{xname}</c> (default), <c>{nid}</c>, <c>{nid:0000}</c>, e.g. <c>nid{nid:0000}</c>.
    /// Components without a NID fall back to their xname.</summary>
    public string HostNamePattern { get; set; } = "{xname}";

    /// <summary>Lease time; null means one hour.</summary>
    public TimeSpan? LeaseTime { get; set; }

    /// <summary>DNS port of dnsmasq itself; 0 turns its DNS off, null keeps 53.</summary>
    public int? DnsPort { get; set; }

    /// <summary>Raw dnsmasq lines appended at the end (the escape hatch for anything not modelled here).</summary>
    public IList<string> ExtraOptions { get; } = [];
}
