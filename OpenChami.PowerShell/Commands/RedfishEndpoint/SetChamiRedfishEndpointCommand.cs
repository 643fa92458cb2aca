using System.Management.Automation;
using OpenChami.Core.Model;
using OpenChami.PowerShell.Completers;
using OpenChami.PowerShell.Infrastructure;
using CoreEndpoint = OpenChami.Core.Model.RedfishEndpoint;

namespace OpenChami.PowerShell.Commands.RedfishEndpoint;

/// <summary>Changes fields of existing RedfishEndpoints; only the parameters given are changed.</summary>
[Cmdlet(VerbsCommon.Set, "ChamiRedfishEndpoint", SupportsShouldProcess = true)]
[OutputType(typeof(CoreEndpoint))]
public sealed class SetChamiRedfishEndpointCommand : RedfishEndpointCmdletBase
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("ID")]
    [ArgumentCompleter(typeof(XnameCompleter))]
    public string Xname { get; set; } = string.Empty;

    [Parameter]
    public override string? Hostname { get; set; }

    [Parameter]
    public override string? Domain { get; set; }

    [Parameter]
    public override string? Fqdn { get; set; }

    [Parameter]
    [Alias("IP")]
    public override string? IPAddress { get; set; }

    [Parameter]
    public bool? Enabled { get; set; }

    /// <summary>Power control accepts this BMC's certificate unverified (-SkipCertificateCheck:$false verifies it again).</summary>
    [Parameter]
    [Alias("Insecure")]
    public SwitchParameter SkipCertificateCheck { get; set; }

    protected override void ProcessRecord()
    {
        if (!ShouldProcess(Xname, "Update Redfish endpoint")) return;
        var input = EndpointInput();
        input.Enabled = Enabled;
        input.SkipCertificateCheck = MyInvocation.BoundParameters.ContainsKey(nameof(SkipCertificateCheck)) ? SkipCertificateCheck.IsPresent : null;
        TryItem(() => WriteObject(Services.RedfishEndpoints.Patch(Xname, input)), Xname);
    }
}
