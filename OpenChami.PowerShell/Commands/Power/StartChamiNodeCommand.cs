using System.Management.Automation;
using OpenChami.Core.Power;
using OpenChami.PowerShell.Infrastructure;

namespace OpenChami.PowerShell.Commands.Power;

/// <summary>Powers nodes on (Redfish ResetType On); nodes already on are left alone.</summary>
[Cmdlet(VerbsLifecycle.Start, "ChamiNode", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(PowerActionResult), typeof(Job))]
public sealed class StartChamiNodeCommand : PowerActionCmdletBase
{
    protected override PowerAction RequestedAction => PowerAction.On;
}
