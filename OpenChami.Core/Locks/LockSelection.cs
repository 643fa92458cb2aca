using OpenChami.Core.Inventory;

namespace OpenChami.Core.Locks;

/// <summary>
/// The components a lock or reservation request is about (upstream's CompLockV2Filter, spec/smd.md §2.10.1):
/// explicit <see cref="ComponentIDs"/> (one that is no component is a <c>Component not found</c> failure), and/or the
/// component filters of spec/smd.md §5.2 (type, state, role, group, partition ...), plus <see cref="Reserved"/>.
/// </summary>
public sealed class LockSelection
{
    public List<string> ComponentIDs { get; } = [];

    /// <summary>The other filters; its <c>Id</c> set is filled from <see cref="ComponentIDs"/> by the service.</summary>
    public ComponentQuery Query { get; init; } = new();

    /// <summary>Only components with (true) or without (false) a valid reservation.</summary>
    public bool? Reserved { get; set; }

    /// <summary>Whether anything narrows the selection (a write with no filter at all is refused).</summary>
    public bool IsEmpty => ComponentIDs.Count == 0 && Reserved is null && IsQueryEmpty(Query);

    private static bool IsQueryEmpty(ComponentQuery q) =>
        q.Id.IsEmpty && q.Type.IsEmpty && q.State.IsEmpty && q.Flag.IsEmpty && q.Role.IsEmpty && q.SubRole.IsEmpty
        && q.SoftwareStatus.IsEmpty && q.Subtype.IsEmpty && q.Arch.IsEmpty && q.Class.IsEmpty && q.Enabled is null
        && q.Locked is null && q.ReservationDisabled is null && !q.HasNidFilter && q.Groups.Count == 0 && q.Partitions.Count == 0
        && q.Wildcards.Count == 0;
}
