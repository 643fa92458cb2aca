using System.Text.Json.Serialization;

namespace OpenChami.Core.Http.Pcs;

/// <summary>Body of <c>POST /transitions</c>: the new transition's ID and canonical operation.</summary>
public sealed record TransitionCreated(
    [property: JsonPropertyName("transitionID")] string TransitionID,
    [property: JsonPropertyName("operation")] string Operation);
