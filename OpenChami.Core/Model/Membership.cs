using System.Text.Json.Serialization;

namespace OpenChami.Core.Model;

/// <summary>Which groups and which partition a component belongs to (spec/smd.md §3.5).</summary>
public sealed class Membership
{
    [JsonPropertyName("id")]
    public string ID { get; set; } = string.Empty;

    /// <summary>Group labels in insertion order; always an array.</summary>
    [JsonPropertyName("groupLabels")]
    public List<string> GroupLabels { get; set; } = [];

    /// <summary>The component's partition, or empty.</summary>
    [JsonPropertyName("partitionName")]
    public string PartitionName { get; set; } = string.Empty;

    public override string ToString() => ID;
}
