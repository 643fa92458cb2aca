using System.Text.Json.Serialization;
using OpenChami.Core.Power;

namespace OpenChami.Core.Http.Pcs;

/// <summary>One node's task inside a <see cref="TransitionWire"/> (spec/discovery-power.md §4.3).</summary>
public sealed record TaskWire(
    [property: JsonPropertyName("xname")] string Xname,
    [property: JsonPropertyName("taskStatus")] TransitionTaskStatus TaskStatus,
    [property: JsonPropertyName("taskStatusDescription")] string TaskStatusDescription,
    [property: JsonPropertyName("error")] string? Error);
