using System.Management.Automation;
using OpenChami.Core.Locks;
using OpenChami.PowerShell.Infrastructure;

namespace OpenChami.PowerShell.Commands.Locks;

/// <summary>
/// Ends reservations: with <c>-ReservationKey</c> as their owner (SMD's <c>/locks/service/reservations/release</c>;
/// binds from New-ChamiReservation's output), without it as an administrator, whoever holds them
/// (<c>/locks/reservations/remove</c>).
/// </summary>
[Cmdlet(VerbsCommon.Remove, "ChamiReservation", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(ComponentLockStatus))]
public sealed class RemoveChamiReservationCommand : LockCmdletBase
{
    private readonly List<ReservationKeyRef> keys = [];

    /// <summary>Reservation keys (<c>&lt;xname&gt;:rk:&lt;uuid&gt;</c>) of the reservations to release; each names its component.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string[]? ReservationKey { get; set; }

    protected override string Action => ReservationKey is { Length: > 0 } ? "Release reservation" : "Remove reservation (administrator)";

    protected override void ProcessRecord()
    {
        base.ProcessRecord();
        foreach (var key in ReservationKey ?? []) keys.Add(new ReservationKeyRef { Key = key });
    }

    protected override void Apply(LockSelection selection)
    {
        if (keys.Count > 0)
        {
            var wanted = keys.Where(k => selection.ComponentIDs.Contains(Core.Xnames.Xname.Normalize(LockService.IdOfKey(k.Key ?? string.Empty)))).ToList();
            var released = Services.Locks.Release(wanted, Model);
            WriteResult(released.Success.ComponentIDs, released.Failure);
            return;
        }

        var removed = Services.Locks.RemoveReservations(selection, Model);
        WriteResult(removed.Success.ComponentIDs, removed.Failure);
    }
}
