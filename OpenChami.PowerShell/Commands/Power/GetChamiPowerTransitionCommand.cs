using System.Management.Automation;
using OpenChami.Core.Power;
using OpenChami.PowerShell.Infrastructure;

namespace OpenChami.PowerShell.Commands.Power;

/// <summary>Lists PCS power transitions (newest first), or shows one with its per-node tasks.</summary>
[Cmdlet(VerbsCommon.Get, "ChamiPowerTransition")]
[OutputType(typeof(PowerTransition))]
public sealed class GetChamiPowerTransitionCommand : ChamiCmdletBase
{
    /// <summary>The transition's ID (a UUID), as returned by <c>POST /power-control/v1/transitions</c>.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[]? TransitionID { get; set; }

    protected override void ProcessRecord()
    {
        var transitions = Services.Power.Transitions;
        if (TransitionID is null)
        {
            foreach (var t in transitions.List()) WriteObject(t);
            return;
        }

        foreach (var id in TransitionID)
        {
            TryItem(() => WriteObject(transitions.Get(id)), id);
        }
    }
}
