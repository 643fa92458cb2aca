using System.Text.Json.Serialization;

namespace OpenChami.Core.Power;

/// <summary>PCS transitionStatus.</summary>
public enum TransitionStatus
{
    [JsonStringEnumMemberName("new")] New,
    [JsonStringEnumMemberName("in-progress")] InProgress,
    [JsonStringEnumMemberName("completed")] Completed,
    [JsonStringEnumMemberName("aborted")] Aborted,
    [JsonStringEnumMemberName("abort-signaled")] AbortSignaled,
}

/// <summary>PCS taskStatus.</summary>
public enum TransitionTaskStatus
{
    [JsonStringEnumMemberName("new")] New,
    [JsonStringEnumMemberName("in-progress")] InProgress,
    [JsonStringEnumMemberName("failed")] Failed,
    [JsonStringEnumMemberName("succeeded")] Succeeded,
    [JsonStringEnumMemberName("unsupported")] Unsupported,
}

/// <summary>
/// A PCS power transition as stored (one document per transition, tasks inline) and as
/// <c>Get-ChamiPowerTransition</c> shows it. The HTTP wire shapes are built from it in <c>Http/Pcs</c>.
/// </summary>
public sealed class PowerTransition
{
    public string TransitionID { get; set; } = string.Empty;

    public PowerOperation Operation { get; set; }

    public DateTime CreateTime { get; set; }

    public DateTime AutomaticExpirationTime { get; set; }

    public TransitionStatus TransitionStatus { get; set; }

    /// <summary>Minutes to confirm each step; 0 = don't confirm, negative = wait forever.</summary>
    public int TaskDeadlineMinutes { get; set; } = 5;

    public List<PowerTransitionTask> Tasks { get; set; } = [];

    /// <summary>The worker running it; lets a restarted server resume orphans.</summary>
    public string? OwnerId { get; set; }

    /// <summary>Last sign of life of <see cref="OwnerId"/> (renewed every few seconds while it runs).</summary>
    public DateTime? OwnerHeartbeat { get; set; }

    public DateTime? LastUpdated { get; set; }

    public TransitionTaskCounts CountTasks() => new()
    {
        Total = Tasks.Count,
        New = Tasks.Count(t => t.TaskStatus == TransitionTaskStatus.New),
        InProgress = Tasks.Count(t => t.TaskStatus == TransitionTaskStatus.InProgress),
        Failed = Tasks.Count(t => t.TaskStatus == TransitionTaskStatus.Failed),
        Succeeded = Tasks.Count(t => t.TaskStatus == TransitionTaskStatus.Succeeded),
        Unsupported = Tasks.Count(t => t.TaskStatus == TransitionTaskStatus.Unsupported),
    };

    public bool IsFinished() => TransitionStatus is TransitionStatus.Completed or TransitionStatus.Aborted;

    public override string ToString() => $"{TransitionID} {PowerOperations.CanonicalName(Operation)} {TransitionStatus}";
}

/// <summary>One component of a transition.</summary>
public sealed class PowerTransitionTask
{
    public string Xname { get; set; } = string.Empty;

    public TransitionTaskStatus TaskStatus { get; set; }

    public string TaskStatusDescription { get; set; } = string.Empty;

    public string? Error { get; set; }

    /// <summary>Redfish ResetTypes sent for this component, in order.</summary>
    public List<string> ResetTypesSent { get; set; } = [];

    public bool IsFinished() => TaskStatus is TransitionTaskStatus.Failed or TransitionTaskStatus.Succeeded or TransitionTaskStatus.Unsupported;

    public override string ToString() => $"{Xname} {TaskStatus}";
}

/// <summary>PCS taskCounts (note the hyphenated <c>un-supported</c>).</summary>
public sealed class TransitionTaskCounts
{
    [JsonPropertyName("total")] public int Total { get; init; }
    [JsonPropertyName("new")] public int New { get; init; }
    [JsonPropertyName("in-progress")] public int InProgress { get; init; }
    [JsonPropertyName("failed")] public int Failed { get; init; }
    [JsonPropertyName("succeeded")] public int Succeeded { get; init; }
    [JsonPropertyName("un-supported")] public int Unsupported { get; init; }

    public override string ToString() => $"{Succeeded}/{Total} succeeded, {Failed} failed, {Unsupported} unsupported, {InProgress + New} pending";
}

/// <summary>Body of <c>POST /transitions</c>.</summary>
public sealed class TransitionRequest
{
    [JsonPropertyName("operation")] public string? Operation { get; set; }
    [JsonPropertyName("taskDeadlineMinutes")] public int? TaskDeadlineMinutes { get; set; }
    [JsonPropertyName("location")] public List<TransitionLocation>? Location { get; set; }
}

public sealed class TransitionLocation
{
    [JsonPropertyName("xname")] public string? Xname { get; set; }
    [JsonPropertyName("deputyKey")] public string? DeputyKey { get; set; }
}
