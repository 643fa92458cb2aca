using System.Security.Cryptography;
using System.Text;
using OpenChami.Core.Errors;
using OpenChami.Core.Inventory;
using OpenChami.Core.Model;
using OpenChami.Core.Storage;
using OpenChami.Core.Xnames;

namespace OpenChami.Core.Locks;

/// <summary>
/// Component locks and reservations (spec/smd.md §2.10.1–§2.10.2), used by <c>/hsm/v2/locks</c> and the lock cmdlets alike.
/// A lock (<c>Locked</c>) and <c>ReservationDisabled</c> are fields of the component; a reservation is a document of its
/// own keyed by the component's xname. Every request is one unit of work: with the rigid processing model the first
/// failure refuses it and nothing changes. Every step reads by key, so a request costs the same per component at
/// 100,000 nodes as at 1,000. Expiry is read from <see cref="ChamiServices.Time"/>: an expired reservation is simply
/// not there any more.
/// </summary>
public sealed class LockService(IChamiStore store, Func<TimeProvider> clock)
{
    /// <summary>Shortest and longest service reservation, in minutes.</summary>
    public const int MinDuration = 1, MaxDuration = 15;

    // Whole milliseconds: what both backends store, so a reservation reads back exactly as it was granted.
    private DateTime Now
    {
        get
        {
            var now = clock().GetUtcNow().UtcDateTime;
            return now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMillisecond));
        }
    }

    public LockUpdateResult Lock(LockSelection selection, LockProcessingModel model = LockProcessingModel.Rigid) =>
        Update(selection, model, c => c.Locked == true ? LockReasons.Locked : null, (s, c) =>
        {
            c.Locked = true;
            s.Collection<Component>().Update(c);
        });

    public LockUpdateResult Unlock(LockSelection selection, LockProcessingModel model = LockProcessingModel.Rigid) =>
        Update(selection, model, c => c.Locked == true ? null : LockReasons.Unlocked, (s, c) =>
        {
            c.Locked = null;
            s.Collection<Component>().Update(c);
        });

    /// <summary>Refuses new reservations and ends the current one; disabling a disabled component is no failure.</summary>
    public LockUpdateResult Disable(LockSelection selection, LockProcessingModel model = LockProcessingModel.Rigid) =>
        Update(selection, model, _ => null, (s, c) =>
        {
            s.Collection<Reservation>().Delete(c.ID);
            if (c.ReservationDisabled == true) return;
            c.ReservationDisabled = true;
            s.Collection<Component>().Update(c);
        });

    /// <summary>Allows reservations again (undoes <see cref="Disable"/>).</summary>
    public LockUpdateResult Repair(LockSelection selection, LockProcessingModel model = LockProcessingModel.Rigid) =>
        Update(selection, model, _ => null, (s, c) =>
        {
            if (c.ReservationDisabled != true) return;
            c.ReservationDisabled = null;
            s.Collection<Component>().Update(c);
        });

    /// <summary>
    /// Reserves the selected components: for <paramref name="durationMinutes"/> (a service reservation, 1–15), or
    /// without end when null (an administrator's reservation, <c>/locks/reservations</c>).
    /// </summary>
    public ReservationResult Reserve(LockSelection selection, LockProcessingModel model = LockProcessingModel.Rigid, int? durationMinutes = null)
    {
        if (durationMinutes is { } minutes) CheckDuration(minutes);
        RequireFilter(selection);
        return store.Write(s =>
        {
            var now = Now;
            var reservations = s.Collection<Reservation>();
            var (found, failures) = Select(s, selection, now);
            var chosen = new List<Component>();
            foreach (var c in found)
            {
                var reason = c.ReservationDisabled == true ? LockReasons.Disabled
                    : c.Locked == true ? LockReasons.Locked
                    : reservations.Get(c.ID)?.IsValidAt(now) == true ? LockReasons.Reserved
                    : null;
                if (reason is null) chosen.Add(c);
                else failures.Add(new LockFailure(c.ID, reason));
            }

            RefuseIfRigid(model, failures);
            var grants = new List<ReservationGrant>(chosen.Count);
            foreach (var c in chosen)
            {
                var reservation = new Reservation
                {
                    ID = c.ID,
                    DeputyKey = NewKey(c.ID, "dk"),
                    ReservationKey = NewKey(c.ID, "rk"),
                    CreationTime = now,
                    ExpirationTime = durationMinutes is { } m ? now.AddMinutes(m) : null,
                    DurationMinutes = durationMinutes,
                };
                reservations.Upsert(reservation); // an expired one is replaced
                grants.Add(new ReservationGrant { ID = c.ID, DeputyKey = reservation.DeputyKey, ReservationKey = reservation.ReservationKey, ExpirationTime = reservation.ExpirationTime });
            }

            return new ReservationResult(grants, failures);
        });
    }

    /// <summary>An administrator ends the reservations of the selected components, keys or not; unreserved ones are no failure.</summary>
    public LockUpdateResult RemoveReservations(LockSelection selection, LockProcessingModel model = LockProcessingModel.Rigid) =>
        Update(selection, model, _ => null, (s, c) => s.Collection<Reservation>().Delete(c.ID));

    /// <summary>Ends reservations whose owner presents the reservation key.</summary>
    public LockUpdateResult Release(IReadOnlyList<ReservationKeyRef> keys, LockProcessingModel model = LockProcessingModel.Rigid) =>
        ByKey(keys, model, r => r.ReservationKey, (s, r, _) => s.Collection<Reservation>().Delete(r.ID));

    /// <summary>Extends service reservations by <paramref name="durationMinutes"/> from now (the owner presents the reservation key).</summary>
    public LockUpdateResult Renew(IReadOnlyList<ReservationKeyRef> keys, int durationMinutes, LockProcessingModel model = LockProcessingModel.Rigid)
    {
        CheckDuration(durationMinutes);
        return ByKey(keys, model, r => r.ReservationKey, (s, r, now) =>
        {
            if (r.ExpirationTime is null) return; // an administrator's reservation does not expire
            r.ExpirationTime = now.AddMinutes(durationMinutes);
            r.DurationMinutes = durationMinutes;
            s.Collection<Reservation>().Update(r);
        });
    }

    /// <summary>Which deputy keys are valid now (PCS asks before acting for a caller that gave one).</summary>
    public DeputyKeyCheckResult Check(IReadOnlyList<ReservationKeyRef> deputyKeys)
    {
        if (deputyKeys.Count == 0) throw ChamiException.Invalid("MissingKeys", "Missing DeputyKeys");
        return store.Read(s =>
        {
            var now = Now;
            var success = new List<DeputyKeyCheck>();
            var failures = new List<LockFailure>();
            foreach (var key in deputyKeys)
            {
                var (id, reservation, reason) = Resolve(s, key, now, r => r.DeputyKey);
                if (reason is not null) failures.Add(new LockFailure(id, reason));
                else success.Add(new DeputyKeyCheck { ID = id, DeputyKey = reservation!.DeputyKey, ExpirationTime = reservation.ExpirationTime });
            }

            return new DeputyKeyCheckResult(success, failures);
        });
    }

    /// <summary>Lock state of the selected components (all of them when nothing narrows it).</summary>
    public LockStatusResult Status(LockSelection selection) => store.Read(s =>
    {
        var now = Now;
        var (found, failures) = Select(s, selection, now);
        var reservations = s.Collection<Reservation>();
        var statuses = found.Select(c =>
        {
            var r = reservations.Get(c.ID) is { } held && held.IsValidAt(now) ? held : null;
            return new ComponentLockStatus
            {
                ID = c.ID,
                Locked = c.Locked == true,
                Reserved = r is not null,
                CreationTime = r?.CreationTime,
                ExpirationTime = r?.ExpirationTime,
                ReservationDisabled = c.ReservationDisabled == true,
            };
        }).ToList();
        return new LockStatusResult(statuses, failures.Count == 0 ? null : failures.Select(f => f.ID).ToList());
    });

    /// <summary>
    /// Why a power change of <paramref name="xname"/> is refused, or null when it may go ahead (spec/discovery-power.md §4.5.1):
    /// a locked, reserved or reservation-disabled component is refused unless <paramref name="key"/> is the deputy or
    /// reservation key of its current reservation.
    /// </summary>
    internal static string? PowerRefusal(IStoreSession session, string xname, string? key, DateTime now)
    {
        if (session.Collection<Component>().Get(xname) is not { } component) return null; // no component: power reports that itself
        var reservation = session.Collection<Reservation>().Get(xname) is { } held && held.IsValidAt(now) ? held : null;
        if (reservation is not null && key is not null && (KeyEquals(reservation.DeputyKey, key) || KeyEquals(reservation.ReservationKey, key))) return null;
        var reason = component.Locked == true ? LockReasons.Locked
            : reservation is not null ? LockReasons.Reserved
            : component.ReservationDisabled == true ? LockReasons.Disabled
            : null;
        if (reason is null) return null;
        return key is null
            ? $"Unable to reserve component {xname}: {reason} (present its deputy or reservation key)"
            : $"Unable to reserve component {xname}: {reason} and the key given is not its reservation's";
    }

    private LockUpdateResult Update(LockSelection selection, LockProcessingModel model, Func<Component, string?> check, Action<IStoreSession, Component> apply)
    {
        RequireFilter(selection);
        return store.Write(s =>
        {
            var (found, failures) = Select(s, selection, Now);
            var chosen = new List<Component>();
            foreach (var c in found)
            {
                if (check(c) is { } reason) failures.Add(new LockFailure(c.ID, reason));
                else chosen.Add(c);
            }

            RefuseIfRigid(model, failures);
            foreach (var c in chosen) apply(s, c);
            return LockUpdateResult.From(chosen.Select(c => c.ID).ToList(), failures);
        });
    }

    private LockUpdateResult ByKey(IReadOnlyList<ReservationKeyRef> keys, LockProcessingModel model, Func<Reservation, string> keyOf, Action<IStoreSession, Reservation, DateTime> apply)
    {
        if (keys.Count == 0) throw ChamiException.Invalid("MissingKeys", "Missing ReservationKeys");
        return store.Write(s =>
        {
            var now = Now;
            var chosen = new List<Reservation>();
            var failures = new List<LockFailure>();
            foreach (var key in keys)
            {
                var (id, reservation, reason) = Resolve(s, key, now, keyOf);
                if (reason is not null) failures.Add(new LockFailure(id, reason));
                else if (chosen.All(r => r.ID != reservation!.ID)) chosen.Add(reservation!);
            }

            RefuseIfRigid(model, failures);
            foreach (var r in chosen) apply(s, r, now);
            return LockUpdateResult.From(chosen.Select(r => r.ID).ToList(), failures);
        });
    }

    /// <summary>The reservation a key names, or why there is none (unknown component, wrong, released or expired key).</summary>
    private static (string Id, Reservation? Reservation, string? Reason) Resolve(IStoreSession s, ReservationKeyRef key, DateTime now, Func<Reservation, string> keyOf)
    {
        var text = key.Key ?? string.Empty;
        var raw = !string.IsNullOrEmpty(key.ID) ? key.ID : IdOfKey(text);
        if (!Xname.TryParse(raw, out var id, out _)) throw ChamiException.Invalid("InvalidXname", $"invalid xname ID: {raw}", raw);
        if (!s.Collection<Component>().Exists(id)) return (id, null, LockReasons.NotFound);
        var reservation = s.Collection<Reservation>().Get(id);
        return reservation is not null && reservation.IsValidAt(now) && KeyEquals(keyOf(reservation), text)
            ? (id, reservation, null)
            : (id, null, LockReasons.InvalidKey);
    }

    /// <summary>The selected components (sorted by xname) and a <c>Component not found</c> failure per unknown ID.</summary>
    private static (List<Component> Found, List<LockFailure> Failures) Select(IStoreSession s, LockSelection selection, DateTime now)
    {
        var ids = new List<string>();
        foreach (var raw in selection.ComponentIDs)
        {
            if (!Xname.TryParse(raw, out var id, out _)) throw ChamiException.Invalid("InvalidXname", $"invalid xname ID: {raw}", raw);
            if (!ids.Contains(id, StringComparer.Ordinal)) ids.Add(id);
        }

        foreach (var id in ids.Where(id => !selection.Query.Id.Include.Contains(id))) selection.Query.Id.AddValue(id);
        var found = ComponentService.Query(s, selection.Query).ToList();
        var components = s.Collection<Component>();
        var failures = ids.Where(id => !components.Exists(id)).Select(id => new LockFailure(id, LockReasons.NotFound)).ToList();
        if (selection.Reserved is { } reserved)
        {
            var reservations = s.Collection<Reservation>();
            found = found.Where(c => (reservations.Get(c.ID)?.IsValidAt(now) == true) == reserved).ToList();
        }

        return (found, failures);
    }

    private static void RequireFilter(LockSelection selection)
    {
        if (selection.IsEmpty) throw ChamiException.Invalid("MissingComponents", "Missing ComponentIDs or filter: a change needs at least one");
    }

    private static void RefuseIfRigid(LockProcessingModel model, List<LockFailure> failures)
    {
        if (model == LockProcessingModel.Rigid && failures.Count > 0)
        {
            var first = failures[0];
            throw ChamiException.Invalid("LockRequestRefused", $"{first.Reason}: {first.ID} (rigid processing: nothing was changed)", first.ID);
        }
    }

    private static void CheckDuration(int minutes)
    {
        if (minutes is < MinDuration or > MaxDuration)
        {
            throw ChamiException.Invalid("InvalidReservationDuration", $"ReservationDuration must be between {MinDuration} and {MaxDuration} minutes, not {minutes}");
        }
    }

    private static string NewKey(string id, string kind) => $"{id}:{kind}:{Guid.NewGuid()}";

    /// <summary>The xname a key starts with (<c>x1000c0s0b0n0:rk:&lt;uuid&gt;</c>).</summary>
    public static string IdOfKey(string key)
    {
        var colon = key.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 ? key[..colon] : key;
    }

    private static bool KeyEquals(string expected, string given) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(given));
}
