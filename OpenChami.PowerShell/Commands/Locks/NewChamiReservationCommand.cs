using System.Management.Automation;
using OpenChami.Core.Locks;
using OpenChami.PowerShell.Infrastructure;

namespace OpenChami.PowerShell.Commands.Locks;

/// <summary>
/// Reserves components and returns their keys: with <c>-Duration</c> a service reservation that ends after 1–15 minutes
/// (SMD's <c>/locks/service/reservations</c>), without it an administrator's reservation that lasts until removed
/// (<c>/locks/reservations</c>). Pipe the result to a power cmdlet to act on the reserved components (their
/// <c>-DeputyKey</c> binds from it), and to Remove-ChamiReservation to release them.
/// </summary>
[Cmdlet(VerbsCommon.New, "ChamiReservation", SupportsShouldProcess = true)]
[OutputType(typeof(ReservationGrant))]
public sealed class NewChamiReservationCommand : LockCmdletBase
{
    /// <summary>Minutes the reservation lasts (1–15); without it the reservation does not expire.</summary>
    [Parameter]
    [ValidateRange(LockService.MinDuration, LockService.MaxDuration)]
    public int? Duration { get; set; }

    protected override string Action => Duration is { } minutes ? $"Reserve component for {minutes} minute(s)" : "Reserve component until removed";

    protected override void Apply(LockSelection selection)
    {
        var result = Services.Locks.Reserve(selection, Model, Duration);
        foreach (var failure in result.Failure) WriteChamiError(LockReasons.ToException(failure), failure.ID);
        WriteObject(result.Success, enumerateCollection: true);
    }
}
