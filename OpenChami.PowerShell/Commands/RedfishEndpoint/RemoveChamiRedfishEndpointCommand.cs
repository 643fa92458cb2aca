using System.Management.Automation;
using OpenChami.PowerShell.Completers;
using OpenChami.PowerShell.Infrastructure;
using CoreEndpoint = OpenChami.Core.Model.RedfishEndpoint;

namespace OpenChami.PowerShell.Commands.RedfishEndpoint;

/// <summary>
/// Deletes RedfishEndpoints with their ComponentEndpoints, ServiceEndpoints and stored credential. The components
/// behind them are kept and marked Empty, as SMD does.
/// </summary>
[Cmdlet(VerbsCommon.Remove, "ChamiRedfishEndpoint", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(CoreEndpoint))]
public sealed class RemoveChamiRedfishEndpointCommand : RemoveCmdletBase
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("ID")]
    [ArgumentCompleter(typeof(XnameCompleter))]
    public string Xname { get; set; } = string.Empty;

    protected override void ProcessRecord() =>
        RemoveItem(Xname, "Remove Redfish endpoint", () => Services.RedfishEndpoints.Delete(Xname));
}
