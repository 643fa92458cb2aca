using System.Management.Automation;
using OpenChami.Core.Model;
using OpenChami.PowerShell.Completers;
using OpenChami.PowerShell.Infrastructure;
using CoreEndpoint = OpenChami.Core.Model.RedfishEndpoint;

namespace OpenChami.PowerShell.Commands.RedfishEndpoint;

/// <summary>Changes fields of existing RedfishEndpoints; only the parameters given are changed.</summary>
[Cmdlet(VerbsCommon.Set, "ChamiRedfishEndpoint", SupportsShouldProcess = true)]
[OutputType(typeof(CoreEndpoint))]
public sealed class SetChamiRedfishEndpointCommand : ChamiCmdletBase
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("ID")]
    [ArgumentCompleter(typeof(XnameCompleter))]
    public string Xname { get; set; } = string.Empty;

    [Parameter]
    public string? Hostname { get; set; }

    [Parameter]
    public string? Domain { get; set; }

    [Parameter]
    public string? Fqdn { get; set; }

    [Parameter]
    [Alias("IP")]
    public string? IPAddress { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("MAC", "MACAddr")]
    public string? MacAddress { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? Name { get; set; }

    /// <summary>New BMC user and password (the password is stored apart and never returned).</summary>
    [Parameter]
    [Credential]
    public PSCredential? Credential { get; set; }

    [Parameter]
    public bool? Enabled { get; set; }

    /// <summary>Power control accepts this BMC's certificate unverified (-SkipCertificateCheck:$false verifies it again).</summary>
    [Parameter]
    [Alias("Insecure")]
    public SwitchParameter SkipCertificateCheck { get; set; }

    protected override void ProcessRecord()
    {
        if (!ShouldProcess(Xname, "Update Redfish endpoint")) return;
        TryItem(() => WriteObject(Services.RedfishEndpoints.Patch(Xname, new RedfishEndpointInput
        {
            Hostname = Hostname,
            Domain = Domain,
            FQDN = Fqdn,
            IPAddress = IPAddress,
            MACAddr = MacAddress,
            Name = Name,
            Enabled = Enabled,
            User = Credential?.UserName,
            Password = Credential?.GetNetworkCredential().Password,
            SkipCertificateCheck = MyInvocation.BoundParameters.ContainsKey(nameof(SkipCertificateCheck)) ? SkipCertificateCheck.IsPresent : null,
        })), Xname);
    }
}
