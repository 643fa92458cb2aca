using System.Management.Automation;
using OpenChami.Core.Model;

namespace OpenChami.PowerShell.Infrastructure;

/// <summary>
/// New- and Set-ChamiRedfishEndpoint: the endpoint's address, name and BMC credential, turned into one Core input.
/// -Hostname, -Domain, -Fqdn and -IPAddress are declared by each cmdlet: New-ChamiRedfishEndpoint binds them from
/// pipeline properties (CSV columns), Set-ChamiRedfishEndpoint only from the command line.
/// </summary>
public abstract class RedfishEndpointCmdletBase : ChamiCmdletBase
{
    /// <summary>Host name (or address) the BMC answers on; FQDN = Hostname.Domain.</summary>
    public abstract string? Hostname { get; set; }

    public abstract string? Domain { get; set; }

    /// <summary>Full name or address with port (<c>10.1.0.4:8443</c>) when it isn't Hostname.Domain.</summary>
    public abstract string? Fqdn { get; set; }

    public abstract string? IPAddress { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("MAC", "MACAddr")]
    public string? MacAddress { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? Name { get; set; }

    /// <summary>BMC user and password; the password is stored apart and never returned.</summary>
    [Parameter]
    [Credential]
    public PSCredential? Credential { get; set; }

    /// <summary>The fields given, as Core takes them; the password goes to the credential store, never back to the output.</summary>
    protected RedfishEndpointInput EndpointInput() => new()
    {
        Hostname = Hostname,
        Domain = Domain,
        FQDN = Fqdn,
        IPAddress = IPAddress,
        MACAddr = MacAddress,
        Name = Name,
        User = Credential?.UserName,
        Password = Credential?.GetNetworkCredential().Password,
    };
}
