namespace OpenChami.Core.Inventory;

/// <summary>Filters of <c>GET /groups</c> (spec/smd.md §2.7).</summary>
public sealed class GroupQuery
{
    /// <summary>Labels, OR-ed.</summary>
    public List<string> Labels { get; } = [];

    /// <summary>Tags, OR-ed.</summary>
    public List<string> Tags { get; } = [];

    /// <summary>One partition name, or <c>NULL</c> for "in no partition"; narrows member lists.</summary>
    public string? Partition { get; set; }
}

/// <summary>Fields to change on a group or partition; null leaves a field alone, tags are replaced.</summary>
public sealed class GroupPatch
{
    public string? Description { get; set; }

    public List<string>? Tags { get; set; }

    public bool IsEmpty => Description is null && Tags is null;
}
