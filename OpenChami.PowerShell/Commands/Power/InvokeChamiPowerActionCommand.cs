using System.Management.Automation;
using OpenChami.Core.Power;
using OpenChami.PowerShell.Infrastructure;

namespace OpenChami.PowerShell.Commands.Power;

/// <summary>
/// Sends a Redfish ComputerSystem.Reset of the given type to each component's BMC. Only ResetTypes the BMC
/// advertised are sent (PowerCycle falls back to ForceOff then On when the BMC has no PowerCycle).
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "ChamiPowerAction", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(PowerActionResult), typeof(Job))]
public sealed class InvokeChamiPowerActionCommand : PowerActionCmdletBase
{
    /// <summary>The Redfish ResetType to send.</summary>
    [Parameter(Mandatory = true)]
    public PowerAction Action { get; set; }

    protected override PowerAction RequestedAction => Action;
}
