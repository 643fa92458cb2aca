using System.Management.Automation;
using OpenChami.Core.Locks;
using OpenChami.PowerShell.Infrastructure;

namespace OpenChami.PowerShell.Commands.Locks;

/// <summary>
/// Locks components (SMD's <c>/locks/lock</c>): a locked component can't be reserved, and power actions refuse it
/// unless the caller presents its reservation key.
/// </summary>
[Cmdlet(VerbsCommon.Lock, "ChamiComponent", SupportsShouldProcess = true)]
[OutputType(typeof(ComponentLockStatus))]
public sealed class LockChamiComponentCommand : LockCmdletBase
{
    protected override string Action => "Lock component";

    protected override void Apply(LockSelection selection)
    {
        var result = Services.Locks.Lock(selection, Model);
        WriteResult(result.Success.ComponentIDs, result.Failure);
    }
}
