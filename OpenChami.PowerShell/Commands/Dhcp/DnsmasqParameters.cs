using OpenChami.Core.Dhcp;

namespace OpenChami.PowerShell.Commands.Dhcp;

/// <summary>The one mapping from the dnsmasq cmdlet parameters (Export-ChamiDnsmasqConfig, Start-ChamiServer -Dnsmasq*) to Core options.</summary>
internal static class DnsmasqParameters
{
    private const string BootScriptPath = "/boot/v1/bootscript";

    /// <summary>The server base URL with the boot-script path (kept when already there).</summary>
    public static string? BootScriptUrl(string? serverUrl)
    {
        if (string.IsNullOrWhiteSpace(serverUrl)) return null;
        var trimmed = serverUrl.Trim().TrimEnd('/');
        return trimmed.EndsWith(BootScriptPath, StringComparison.Ordinal) ? trimmed : trimmed + BootScriptPath;
    }

    public static DnsmasqOptions Options(string? networkInterface, string[]? dhcpRange, string? router, string[]? dnsServer, string? domain,
        string? bootScriptUrl, string hostNamePattern, TimeSpan? leaseTime, string ipxeDirectory, string? tftpRoot, int? dnsPort, string[]? extraOption)
    {
        var options = new DnsmasqOptions
        {
            Interface = NullIfEmpty(networkInterface),
            Router = NullIfEmpty(router),
            Domain = NullIfEmpty(domain)?.TrimEnd('.'),
            BootScriptUrl = bootScriptUrl,
            HostNamePattern = hostNamePattern,
            LeaseTime = leaseTime,
            IpxeDirectory = ipxeDirectory,
            TftpRoot = tftpRoot,
            DnsPort = dnsPort,
        };
        foreach (var r in dhcpRange ?? []) options.DhcpRanges.Add(r);
        foreach (var d in dnsServer ?? []) options.DnsServers.Add(d);
        foreach (var e in extraOption ?? []) options.ExtraOptions.Add(e);
        return options;
    }

    private static string? NullIfEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
