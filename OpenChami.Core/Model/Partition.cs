using System.Text.Json.Serialization;

namespace OpenChami.Core.Model;

/// <summary>An SMD partition (<c>p1</c>, <c>p1.2</c>); a component is in at most one.</summary>
public sealed class Partition
{
    [JsonPropertyName("name")]
    public string Name { get; set; } = string.Empty;

    [JsonPropertyName("description")]
    public string? Description { get; set; }

    [JsonPropertyName("tags")]
    public List<string>? Tags { get; set; }

    [JsonPropertyName("members")]
    public MemberList Members { get; set; } = new();

    public override string ToString() => Name;
}
