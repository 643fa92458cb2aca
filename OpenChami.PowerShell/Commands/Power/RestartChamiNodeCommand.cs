using System.Management.Automation;
using OpenChami.Core.Power;
using OpenChami.PowerShell.Infrastructure;

namespace OpenChami.PowerShell.Commands.Power;

/// <summary>
/// Restarts nodes: GracefulRestart; with -Force, ForceRestart. Where the BMC lacks the restart type, the
/// documented sequence is used instead (GracefulShutdown|Off then On; ForceOff then On), waiting for Off in between.
/// </summary>
[Cmdlet(VerbsLifecycle.Restart, "ChamiNode", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(PowerActionResult), typeof(Job))]
public sealed class RestartChamiNodeCommand : PowerActionCmdletBase
{
    /// <summary>Reset at once (ForceRestart) instead of a graceful OS restart.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override PowerAction RequestedAction => Force ? PowerAction.ForceRestart : PowerAction.GracefulRestart;

    protected override bool AllowFallback => true;
}
