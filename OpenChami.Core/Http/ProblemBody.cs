using System.Text.Json.Serialization;

namespace OpenChami.Core.Http;

/// <summary>RFC 7807 body with the spec's key order: type, title, detail, status (spec/smd.md §10.1).</summary>
public sealed class ProblemBody
{
    [JsonPropertyName("type")]
    public string Type { get; init; } = "about:blank";

    [JsonPropertyName("title")]
    public string Title { get; init; } = string.Empty;

    [JsonPropertyName("detail")]
    public string Detail { get; init; } = string.Empty;

    [JsonPropertyName("status")]
    public int Status { get; init; }
}
