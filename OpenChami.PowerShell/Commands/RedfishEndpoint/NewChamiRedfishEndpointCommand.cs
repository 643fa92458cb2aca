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
public sealed class NewChamiRedfishEndpointCommand : RedfishEndpointCmdletBase
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("ID")]
    public string Xname { get; set; } = string.Empty;

    /// <summary>Host name (or address) the BMC answers on; FQDN = Hostname.Domain. Defaults to the xname.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public override string? Hostname { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public override string? Domain { get; set; }

    /// <summary>Full name or address with port (<c>10.1.0.4:8443</c>) when it isn't Hostname.Domain.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public override string? Fqdn { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("IP")]
    public override string? IPAddress { get; set; }

    [Parameter]
    public SwitchParameter Disabled { get; set; }

    protected override void ProcessRecord()
    {
        TryItem(() =>
        {
            var input = EndpointInput();
            input.ID = Xname;
            input.Enabled = !Disabled;
            var prepared = RedfishEndpointService.Prepare(input);
            if (!ShouldProcess($"{prepared.ID} ({prepared.FQDN})", "Create Redfish endpoint")) return;
            Services.RedfishEndpoints.Create([input]);
            WriteObject(Services.RedfishEndpoints.Get(prepared.ID));
        }, Xname);
    }
}
