using System.Text.Json.Serialization;
using OpenChami.Core.Serialization;

namespace OpenChami.Core.Locks;

/// <summary><c>ProcessingModel</c> of a lock or reservation request (spec/smd.md §2.10.1).</summary>
public enum LockProcessingModel
{
    /// <summary>All or nothing: the first failure refuses the whole request and nothing changes (the default).</summary>
    Rigid,

    /// <summary>Every component that can be changed is; the others are listed in <c>Failure</c>.</summary>
    Flexible,
}

/// <summary>Why one component was not changed; the text is upstream's (spec/smd.md §2.10.2).</summary>
public static class LockReasons
{
    public const string NotFound = "Component not found";
    public const string Locked = "Component is Locked";
    public const string Unlocked = "Component is Unlocked";
    public const string Reserved = "Component is Reserved";
    public const string Disabled = "Component reservations are disabled";
    public const string InvalidKey = "Reservation key is not valid";

    /// <summary>A failure as the error a cmdlet writes for its component (stable ErrorId per reason).</summary>
    public static Errors.ChamiException ToException(LockFailure failure)
    {
        var (kind, id) = failure.Reason switch
        {
            NotFound => (Errors.ChamiErrorKind.NotFound, "ComponentNotFound"),
            Locked => (Errors.ChamiErrorKind.Conflict, "ComponentLocked"),
            Unlocked => (Errors.ChamiErrorKind.Conflict, "ComponentUnlocked"),
            Reserved => (Errors.ChamiErrorKind.Conflict, "ComponentReserved"),
            Disabled => (Errors.ChamiErrorKind.Conflict, "ReservationsDisabled"),
            _ => (Errors.ChamiErrorKind.InvalidArgument, "InvalidReservationKey"),
        };
        return new Errors.ChamiException(kind, id, $"{failure.ID}: {failure.Reason}", failure.ID);
    }
}

/// <summary><c>{"ID","Reason"}</c>.</summary>
public sealed record LockFailure(string ID, string Reason);

/// <summary><c>{"Total","Success","Failure"}</c>.</summary>
public sealed record LockCounts(int Total, int Success, int Failure);

/// <summary><c>{"ComponentIDs":[..]}</c>.</summary>
public sealed record LockSuccessIds(IReadOnlyList<string> ComponentIDs);

/// <summary>Result of lock, unlock, repair, disable, reservation remove/release and renew.</summary>
public sealed record LockUpdateResult(LockCounts Counts, LockSuccessIds Success, IReadOnlyList<LockFailure> Failure)
{
    public static LockUpdateResult From(IReadOnlyList<string> success, IReadOnlyList<LockFailure> failure) =>
        new(new LockCounts(success.Count + failure.Count, success.Count, failure.Count), new LockSuccessIds(success), failure);
}

/// <summary>One reservation made: its keys and, for a service reservation, when it ends.</summary>
public sealed class ReservationGrant
{
    public string ID { get; init; } = string.Empty;

    public string DeputyKey { get; init; } = string.Empty;

    public string ReservationKey { get; init; } = string.Empty;

    [JsonConverter(typeof(Rfc3339MicrosecondsConverter))]
    public DateTime? ExpirationTime { get; init; }

    public override string ToString() => ID;
}

/// <summary>Result of <c>/locks/reservations</c> and <c>/locks/service/reservations</c>.</summary>
public sealed record ReservationResult(IReadOnlyList<ReservationGrant> Success, IReadOnlyList<LockFailure> Failure);

/// <summary>A valid deputy key, as <c>/locks/service/reservations/check</c> answers it.</summary>
public sealed class DeputyKeyCheck
{
    public string ID { get; init; } = string.Empty;

    public string DeputyKey { get; init; } = string.Empty;

    [JsonConverter(typeof(Rfc3339MicrosecondsConverter))]
    public DateTime? ExpirationTime { get; init; }
}

/// <summary>Result of <c>/locks/service/reservations/check</c>.</summary>
public sealed record DeputyKeyCheckResult(IReadOnlyList<DeputyKeyCheck> Success, IReadOnlyList<LockFailure> Failure);

/// <summary>One component's lock state (upstream CompLockV2).</summary>
public sealed class ComponentLockStatus
{
    public string ID { get; init; } = string.Empty;

    public bool Locked { get; init; }

    public bool Reserved { get; init; }

    [JsonConverter(typeof(Rfc3339MicrosecondsConverter))]
    public DateTime? CreationTime { get; init; }

    [JsonConverter(typeof(Rfc3339MicrosecondsConverter))]
    public DateTime? ExpirationTime { get; init; }

    public bool ReservationDisabled { get; init; }

    public override string ToString() => ID;
}

/// <summary>Result of <c>/locks/status</c>: <c>NotFound</c> lists requested IDs that are no component.</summary>
public sealed record LockStatusResult(IReadOnlyList<ComponentLockStatus> Components, IReadOnlyList<string>? NotFound);

/// <summary><c>{"ID","Key"}</c> in release, renew and check bodies.</summary>
public sealed class ReservationKeyRef
{
    public string? ID { get; set; }

    public string? Key { get; set; }
}
