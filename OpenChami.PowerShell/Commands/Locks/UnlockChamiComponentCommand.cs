using System.Management.Automation;
using OpenChami.Core.Locks;
using OpenChami.PowerShell.Infrastructure;

namespace OpenChami.PowerShell.Commands.Locks;

/// <summary>Unlocks components (SMD's <c>/locks/unlock</c>); a component that is not locked is an error.</summary>
[Cmdlet(VerbsCommon.Unlock, "ChamiComponent", SupportsShouldProcess = true)]
[OutputType(typeof(ComponentLockStatus))]
public sealed class UnlockChamiComponentCommand : LockCmdletBase
{
    protected override string Action => "Unlock component";

    protected override void Apply(LockSelection selection)
    {
        var result = Services.Locks.Unlock(selection, Model);
        WriteResult(result.Success.ComponentIDs, result.Failure);
    }
}
