using System.Management.Automation;
using OpenChami.Core.Dhcp;
using OpenChami.Core.Errors;
using OpenChami.PowerShell.Infrastructure;

namespace OpenChami.PowerShell.Commands.Dhcp;

/// <summary>
/// Generates a dnsmasq configuration from the inventory: a fixed lease (dhcp-host) and DNS name per NIC with an IP
/// address, the DHCP ranges, TFTP with Debian's iPXE binaries, and the rule that hands iPXE the OpenChami boot
/// script URL. Writes the text to the pipeline, or to -Path.
/// </summary>
[Cmdlet(VerbsData.Export, "ChamiDnsmasqConfig", DefaultParameterSetName = TextSet, SupportsShouldProcess = true)]
[OutputType(typeof(DnsmasqConfiguration), ParameterSetName = [TextSet])]
[OutputType(typeof(FileInfo), ParameterSetName = [PathSet])]
public sealed class ExportChamiDnsmasqConfigCommand : ChamiCmdletBase
{
    private const string TextSet = "Text";
    private const string PathSet = "Path";

    /// <summary>Serve only on this interface (e.g. the cluster management bridge).</summary>
    [Parameter]
    public string? Interface { get; set; }

    /// <summary>Address pools: 10.1.0.100-10.1.0.200 (dynamic, optional /24), or 10.1.0.0/24 (only known hosts).</summary>
    [Parameter]
    public string[]? DhcpRange { get; set; }

    /// <summary>Default gateway for the nodes (DHCP option 3).</summary>
    [Parameter]
    public string? Router { get; set; }

    /// <summary>DNS servers for the nodes (option 6); dnsmasq itself when omitted.</summary>
    [Parameter]
    public string[]? DnsServer { get; set; }

    /// <summary>DNS domain of the node names.</summary>
    [Parameter]
    public string? Domain { get; set; }

    /// <summary>Base URL of the OpenChami server as the nodes reach it (http://10.1.0.1:8081); /boot/v1/bootscript is appended.</summary>
    [Parameter]
    public string? ServerUrl { get; set; }

    /// <summary>Host name per NIC: {xname} (default), or a NID pattern such as nid{nid:0000}.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string HostNamePattern { get; set; } = "{xname}";

    /// <summary>Lease time (default one hour).</summary>
    [Parameter]
    public TimeSpan? LeaseTime { get; set; }

    /// <summary>Directory with Debian's iPXE binaries (undionly.kpxe, snponly.efi, ipxe.efi).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string IpxeDirectory { get; set; } = DnsmasqOptions.DefaultIpxeDirectory;

    /// <summary>TFTP root; the iPXE directory when omitted.</summary>
    [Parameter]
    public string? TftpRoot { get; set; }

    /// <summary>dnsmasq's DNS port; 0 turns its DNS service off.</summary>
    [Parameter]
    [ValidateRange(0, 65535)]
    public int? DnsPort { get; set; }

    /// <summary>Raw dnsmasq lines appended at the end (anything not modelled by a parameter).</summary>
    [Parameter]
    public string[]? ExtraOption { get; set; }

    /// <summary>Write the configuration to this file (created or replaced).</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = string.Empty;

    /// <summary>Have dnsmasq check the configuration (dnsmasq --test); a rejection is error DnsmasqConfigInvalid.</summary>
    [Parameter]
    public SwitchParameter Validate { get; set; }

    protected override void EndProcessing()
    {
        DnsmasqConfiguration config;
        try
        {
            var options = DnsmasqParameters.Options(Interface, DhcpRange, Router, DnsServer, Domain, DnsmasqParameters.BootScriptUrl(ServerUrl),
                HostNamePattern, LeaseTime, GetUnresolvedProviderPathFromPSPath(IpxeDirectory),
                TftpRoot is null ? null : GetUnresolvedProviderPathFromPSPath(TftpRoot), DnsPort, ExtraOption);
            config = DnsmasqConfigBuilder.Build(Services.Store, options);
        }
        catch (ChamiException ex)
        {
            ThrowChamiError(ex);
            return;
        }
        foreach (var warning in config.Warnings) WriteWarning(warning);
        if (Validate) Check(config.MainConfig);

        if (ParameterSetName == TextSet)
        {
            // The object shows as the configuration text; .Hosts and .Warnings say what it covers.
            WriteObject(config);
            return;
        }
        var target = GetUnresolvedProviderPathFromPSPath(Path);
        if (!ShouldProcess(target, $"Write dnsmasq configuration ({config.Hosts.Count} hosts)")) return;
        File.WriteAllText(target, config.MainConfig);
        WriteObject(new FileInfo(target));
    }

    private void Check(string text)
    {
        var temp = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"chami-dnsmasq-{Guid.NewGuid():n}.conf");
        try
        {
            File.WriteAllText(temp, text);
            DnsmasqProgram.Test(DnsmasqProgram.Find(), temp);
        }
        catch (ChamiException ex)
        {
            ThrowChamiError(ex, "dnsmasq");
        }
        finally
        {
            File.Delete(temp);
        }
    }
}
