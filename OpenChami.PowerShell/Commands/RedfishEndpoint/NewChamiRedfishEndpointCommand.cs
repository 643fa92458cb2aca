using System.Management.Automation;
using OpenChami.Core.Inventory;
using OpenChami.Core.Model;
using OpenChami.PowerShell.Infrastructure;
using CoreEndpoint = OpenChami.Core.Model.RedfishEndpoint;

namespace OpenChami.PowerShell.Commands.RedfishEndpoint;

/// <summary>
/// Registers a BMC (or other Redfish controller) by xname, with its address and credentials. The password from
/// -Credential goes to the credential store and is never shown back.
/// </summary>
[Cmdlet(VerbsCommon.New, "ChamiRedfishEndpoint", SupportsShouldProcess = true)]
[OutputType(typeof(CoreEndpoint))]
public sealed class NewChamiRedfishEndpointCommand : ChamiCmdletBase
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("ID")]
    public string Xname { get; set; } = string.Empty;

    /// <summary>Host name (or address) the BMC answers on; FQDN = Hostname.Domain. Defaults to the xname.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? Hostname { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? Domain { get; set; }

    /// <summary>Full name or address with port (<c>10.1.0.4:8443</c>) when it isn't Hostname.Domain.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? Fqdn { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("IP")]
    public string? IPAddress { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("MAC", "MACAddr")]
    public string? MacAddress { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? Name { get; set; }

    /// <summary>BMC user and password; the password is stored apart and never returned.</summary>
    [Parameter]
    [Credential]
    public PSCredential? Credential { get; set; }

    [Parameter]
    public SwitchParameter Disabled { get; set; }

    protected override void ProcessRecord()
    {
        TryItem(() =>
        {
            var input = new RedfishEndpointInput
            {
                ID = Xname,
                Hostname = Hostname,
                Domain = Domain,
                FQDN = Fqdn,
                IPAddress = IPAddress,
                MACAddr = MacAddress,
                Name = Name,
                Enabled = !Disabled,
                User = Credential?.UserName,
                Password = Credential?.GetNetworkCredential().Password,
            };
            var prepared = RedfishEndpointService.Prepare(input);
            if (!ShouldProcess($"{prepared.ID} ({prepared.FQDN})", "Create Redfish endpoint")) return;
            Services.RedfishEndpoints.Create([input]);
            WriteObject(Services.RedfishEndpoints.Get(prepared.ID));
        }, Xname);
    }
}
