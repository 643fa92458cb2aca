using System.Text.Json.Serialization;

namespace OpenChami.Core.Http.Smd;

/// <summary>SMD's non-resource reply envelope.</summary>
public sealed record SmdMessage(
    [property: JsonPropertyName("code")] int Code,
    [property: JsonPropertyName("message")] string Message);
