using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace OpenChami.Core.Resources;

/// <summary>
/// One OpenCHAMI resource as boot-service and metadata-service send it (spec/boot-service.md §2):
/// <c>{apiVersion, kind, metadata, spec, status?}</c>. <typeparamref name="TSpec"/> is the kind's own shape.
/// </summary>
public sealed record Resource<TSpec> where TSpec : class
{
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; init; } = string.Empty;

    [JsonPropertyName("kind")]
    public string Kind { get; init; } = string.Empty;

    [JsonPropertyName("metadata")]
    public ResourceMetadata Metadata { get; init; } = new();

    [JsonPropertyName("spec")]
    public required TSpec Spec { get; init; }

    /// <summary>Whatever the owner of the resource reports about it (<c>/{uid}/status</c>); kept as sent.</summary>
    [JsonPropertyName("status")]
    public JsonNode? Status { get; init; }
}
