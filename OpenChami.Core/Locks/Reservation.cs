namespace OpenChami.Core.Locks;

/// <summary>
/// A component's reservation (spec/smd.md §2.10.1), one per component, stored in <c>reservations</c> keyed by the
/// component's xname. The keys are bearer secrets: never journaled, never shown by a read API but to whoever created them.
/// </summary>
public sealed class Reservation
{
    /// <summary>The reserved component's xname.</summary>
    public string ID { get; set; } = string.Empty;

    /// <summary><c>&lt;xname&gt;:dk:&lt;uuid&gt;</c>: handed to a deputy (PCS) to act on the component.</summary>
    public string DeputyKey { get; set; } = string.Empty;

    /// <summary><c>&lt;xname&gt;:rk:&lt;uuid&gt;</c>: the owner's key, needed to renew or release.</summary>
    public string ReservationKey { get; set; } = string.Empty;

    public DateTime CreationTime { get; set; }

    /// <summary>Null for an administrator's reservation (<c>/locks/reservations</c>), which does not expire.</summary>
    public DateTime? ExpirationTime { get; set; }

    /// <summary>Minutes a service reservation lasts (1–15); null for an administrator's reservation.</summary>
    public int? DurationMinutes { get; set; }

    /// <summary>An expired reservation is simply no longer a reservation.</summary>
    public bool IsValidAt(DateTime now) => ExpirationTime is not { } expires || expires > now;
}
