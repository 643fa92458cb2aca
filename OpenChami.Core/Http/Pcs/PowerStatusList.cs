using System.Text.Json.Serialization;
using OpenChami.Core.Power;

namespace OpenChami.Core.Http.Pcs;

/// <summary>Body of a <c>/power-status</c> reply (spec/discovery-power.md §4.2).</summary>
public sealed record PowerStatusList([property: JsonPropertyName("status")] IReadOnlyList<PowerStatus> Status);
