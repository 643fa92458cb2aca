using System.Management.Automation;
using OpenChami.Core.Power;
using OpenChami.PowerShell.Infrastructure;

namespace OpenChami.PowerShell.Commands.Power;

/// <summary>
/// Shuts nodes down: GracefulShutdown (or Off where the BMC offers no GracefulShutdown); with -Force,
/// ForceOff. Nodes already off are left alone.
/// </summary>
[Cmdlet(VerbsLifecycle.Stop, "ChamiNode", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(PowerActionResult), typeof(Job))]
public sealed class StopChamiNodeCommand : PowerActionCmdletBase
{
    /// <summary>Cut power at once (ForceOff) instead of asking the OS to shut down.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override PowerAction RequestedAction => Force ? PowerAction.ForceOff : PowerAction.GracefulShutdown;

    protected override bool AllowFallback => !Force;
}
