using System.Management.Automation;
using OpenChami.PowerShell.Infrastructure;
using CoreEthernetInterface = OpenChami.Core.Model.EthernetInterface;

namespace OpenChami.PowerShell.Commands.EthernetInterface;

/// <summary>Deletes NICs by MAC address (any spelling); pipe Get-ChamiEthernetInterface output to it.</summary>
[Cmdlet(VerbsCommon.Remove, "ChamiEthernetInterface", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(CoreEthernetInterface))]
public sealed class RemoveChamiEthernetInterfaceCommand : RemoveCmdletBase
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("MAC")]
    public string[] MacAddress { get; set; } = [];

    protected override void ProcessRecord()
    {
        foreach (var mac in MacAddress)
        {
            RemoveItem(mac, "Remove ethernet interface", () =>
            {
                var existing = Services.EthernetInterfaces.Get(mac);
                Services.EthernetInterfaces.Delete(existing.ID);
                return existing;
            });
        }
    }
}
