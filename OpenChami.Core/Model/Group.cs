using System.Text.Json.Serialization;

namespace OpenChami.Core.Model;

/// <summary>An SMD group (spec/smd.md §3.5). Wire names are lower camel case.</summary>
public sealed class Group
{
    [JsonPropertyName("label")]
    public string Label { get; set; } = string.Empty;

    [JsonPropertyName("description")]
    public string Description { get; set; } = string.Empty;

    [JsonPropertyName("exclusiveGroup")]
    public string? ExclusiveGroup { get; set; }

    [JsonPropertyName("tags")]
    public List<string>? Tags { get; set; }

    [JsonPropertyName("members")]
    public MemberList Members { get; set; } = new();

    public override string ToString() => Label;
}

/// <summary>The <c>{"ids":[..]}</c> member list of groups and partitions.</summary>
public sealed class MemberList
{
    [JsonPropertyName("ids")]
    public List<string> Ids { get; set; } = [];
}
