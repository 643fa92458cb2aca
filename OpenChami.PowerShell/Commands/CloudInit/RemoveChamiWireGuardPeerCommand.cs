using System.Management.Automation;
using OpenChami.Core.MetadataService;
using OpenChami.PowerShell.Completers;
using OpenChami.PowerShell.Infrastructure;

namespace OpenChami.PowerShell.Commands.CloudInit;

/// <summary>Removes WireGuard peers from metadata-service.</summary>
[Cmdlet(VerbsCommon.Remove, "ChamiWireGuardPeer", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(WireGuardPeerInfo))]
public sealed class RemoveChamiWireGuardPeerCommand : ChamiCmdletBase
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(WireGuardPeerCompleter))]
    public string Name { get; set; } = string.Empty;

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        if (!ShouldProcess(Name, "Remove WireGuard peer")) return;
        TryItem(() =>
        {
            var peer = Services.Metadata.WireGuardPeers.RemovePeer(Name);
            if (PassThru) WriteObject(peer);
        }, Name);
    }
}
