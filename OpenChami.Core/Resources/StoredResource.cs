namespace OpenChami.Core.Resources;

/// <summary>
/// The stored form of a resource whose kind has no domain model of its own (<see cref="StoredResourceService{TSpec}"/>):
/// the envelope's fields, the spec and status as JSON text.
/// </summary>
public sealed class StoredResource
{
    public string Uid { get; set; } = string.Empty;

    public string Kind { get; set; } = string.Empty;

    public string Name { get; set; } = string.Empty;

    /// <summary><c>kind/name</c> in lower case, indexed: names are unique within a kind, checked with one seek at any size.</summary>
    public string KindName { get; set; } = string.Empty;

    public Dictionary<string, string>? Labels { get; set; }

    public Dictionary<string, string>? Annotations { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }

    public string Spec { get; set; } = "{}";

    public string? Status { get; set; }

    public static string KeyOf(string kind, string name) => $"{kind}/{name}".ToLowerInvariant();
}
