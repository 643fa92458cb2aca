namespace OpenChami.Core.Model;

/// <summary>
/// The groups one component belongs to: a derived index kept by the store beside the groups
/// (see Storage/GroupMembershipIndex), so "which groups is this node in?" is one key read
/// instead of loading every group with its whole member list.
/// </summary>
public sealed class GroupMembership
{
    /// <summary>The member's xname.</summary>
    public string ID { get; set; } = string.Empty;

    public List<string> Labels { get; set; } = [];
}
