using System.Text.Json.Serialization;

namespace OpenChami.Core.Http.Pcs;

/// <summary>Body of <c>GET /transitions</c>: every transition as a summary.</summary>
public sealed record TransitionList([property: JsonPropertyName("transitions")] IReadOnlyList<TransitionWire> Transitions);
