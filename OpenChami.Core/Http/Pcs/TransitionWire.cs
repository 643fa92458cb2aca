using System.Text.Json.Serialization;
using OpenChami.Core.Power;

namespace OpenChami.Core.Http.Pcs;

/// <summary>TransitionSummary / Transition wire shape (spec/discovery-power.md §4.3); <see cref="Tasks"/> is omitted in the summary.</summary>
public sealed record TransitionWire
{
    [JsonPropertyName("transitionID")] public string TransitionID { get; init; } = string.Empty;
    [JsonPropertyName("operation")] public string Operation { get; init; } = string.Empty;
    [JsonPropertyName("createTime")] public string CreateTime { get; init; } = string.Empty;
    [JsonPropertyName("automaticExpirationTime")] public string AutomaticExpirationTime { get; init; } = string.Empty;
    [JsonPropertyName("transitionStatus")] public TransitionStatus TransitionStatus { get; init; }
    [JsonPropertyName("taskCounts")] public TransitionTaskCounts TaskCounts { get; init; } = new();
    [JsonPropertyName("tasks")] public IReadOnlyList<TaskWire>? Tasks { get; init; }

    public static TransitionWire Summary(PowerTransition t) => new()
    {
        TransitionID = t.TransitionID,
        Operation = PowerOperations.CanonicalName(t.Operation),
        CreateTime = Rfc3339(t.CreateTime),
        AutomaticExpirationTime = Rfc3339(t.AutomaticExpirationTime),
        TransitionStatus = t.TransitionStatus,
        TaskCounts = t.CountTasks(),
    };

    public static TransitionWire Full(PowerTransition t) => Summary(t) with
    {
        Tasks = t.Tasks.Select(x => new TaskWire(x.Xname, x.TaskStatus, x.TaskStatusDescription, string.IsNullOrEmpty(x.Error) ? null : x.Error)).ToList(),
    };

    private static string Rfc3339(DateTime time) => DateTime.SpecifyKind(time.ToUniversalTime(), DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
