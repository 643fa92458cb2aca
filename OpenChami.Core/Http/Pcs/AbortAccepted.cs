using System.Text.Json.Serialization;

namespace OpenChami.Core.Http.Pcs;

/// <summary>Body of <c>DELETE /transitions/{id}</c> (202).</summary>
public sealed record AbortAccepted([property: JsonPropertyName("abortStatus")] string AbortStatus);
