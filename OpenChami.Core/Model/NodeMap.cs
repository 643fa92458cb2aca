namespace OpenChami.Core.Model;

/// <summary>
/// SMD's default NID/Role/SubRole for a node xname (spec/smd.md §2.3, §3.6), applied when a Node component
/// is created without them.
/// </summary>
public sealed class NodeMap
{
    public string ID { get; set; } = string.Empty;

    public long NID { get; set; }

    public string? Role { get; set; }

    public string? SubRole { get; set; }

    public override string ToString() => $"{ID} → {NID}";
}
