using System.Text.Json.Serialization;

namespace OpenChami.Core.Resources;

/// <summary>
/// The <c>metadata</c> of an OpenCHAMI resource (spec/boot-service.md §2): the server owns <see cref="Uid"/> and the
/// times; clients name the resource and may label and annotate it.
/// </summary>
public sealed record ResourceMetadata
{
    [JsonPropertyName("name")]
    public string Name { get; init; } = string.Empty;

    [JsonPropertyName("uid")]
    public string Uid { get; init; } = string.Empty;

    [JsonPropertyName("labels")]
    public IReadOnlyDictionary<string, string>? Labels { get; init; }

    [JsonPropertyName("annotations")]
    public IReadOnlyDictionary<string, string>? Annotations { get; init; }

    [JsonPropertyName("createdAt")]
    public DateTimeOffset CreatedAt { get; init; }

    [JsonPropertyName("updatedAt")]
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>The metadata of a stored resource; stores keep times as UTC <see cref="DateTime"/>s without an offset.</summary>
    public static ResourceMetadata Stored(string name, string uid, IReadOnlyDictionary<string, string>? labels, IReadOnlyDictionary<string, string>? annotations,
        DateTime createdAt, DateTime updatedAt) => new()
    {
        Name = name, Uid = uid, Labels = labels, Annotations = annotations,
        CreatedAt = new DateTimeOffset(DateTime.SpecifyKind(createdAt, DateTimeKind.Utc)),
        UpdatedAt = new DateTimeOffset(DateTime.SpecifyKind(updatedAt, DateTimeKind.Utc)),
    };

    /// <summary>A copy of labels or annotations to store (null stays null).</summary>
    public static Dictionary<string, string>? CopyMap(IReadOnlyDictionary<string, string>? map) =>
        map is null ? null : new Dictionary<string, string>(map, StringComparer.Ordinal);
}
