using Regex = System.Text.RegularExpressions.Regex;
using RegexOptions = System.Text.RegularExpressions.RegexOptions;
using GeneratedRegexAttribute = System.Text.RegularExpressions.GeneratedRegexAttribute;
using OpenChami.Core.Errors;
using OpenChami.Core.Model;
using OpenChami.Core.Storage;
using OpenChami.Core.Xnames;

namespace OpenChami.Core.Inventory;

/// <summary>SMD groups (spec/smd.md §9): labels, tags, exclusive groups, members that must exist.</summary>
public sealed partial class GroupService(IChamiStore store)
{
    // At most 255 characters: labels are index keys (LiteDB refuses keys over 1023 bytes with an internal error).
    [GeneratedRegex(@"\A[-a-z0-9:._]{1,255}\z", RegexOptions.CultureInvariant)]
    private static partial Regex LabelPattern();

    /// <summary>Lower-cases and validates a group label, tag or exclusive-group name.</summary>
    public static string NormalizeLabel(string? label, string what = "group label")
    {
        var normalized = (label ?? string.Empty).Trim().ToLowerInvariant();
        if (!LabelPattern().IsMatch(normalized))
        {
            throw ChamiException.Invalid(what == "tag" ? "InvalidTag" : "InvalidGroupLabel",
                $"{what} '{label}' has invalid characters or is too long (allowed: 1-255 of a-z 0-9 - : . _)", label);
        }
        return normalized;
    }

    public Group? Find(string label) => store.Read(s => s.Collection<Group>().Get(SafeLabel(label)) is { } g ? WithMembers(g, MembersOf(s, g.Label)) : null);

    public Group Get(string label) => Find(label) ?? throw GroupNotFound(label);

    public IReadOnlyList<Group> All() => store.Read(s =>
    {
        var members = AllMembers(s);
        return (IReadOnlyList<Group>)s.Collection<Group>().All().Select(g => WithMembers(g, members[g.Label])).ToList();
    });

    /// <summary>Labels of the groups <paramref name="xname"/> belongs to, ordered by label.</summary>
    public IReadOnlyList<string> LabelsOf(string xname) => store.Read(s => LabelsOf(s, Xname.Parse(xname)));

    // One key read in the membership index the store keeps beside the group members (ordered by label), instead of
    // a query over the members: the boot and cloud-init paths ask this per request.
    internal static IReadOnlyList<string> LabelsOf(IStoreSession session, string id) =>
        session.Collection<GroupMembership>().Get(id)?.Labels ?? [];

    /// <summary>A group's member xnames in the order they were added: one index query on the label.</summary>
    internal static List<string> MembersOf(IStoreSession session, string label) =>
        session.Collection<GroupMember>().Find(m => m.Label == label).OrderBy(m => m.Order).ThenBy(m => m.Member, StringComparer.Ordinal).Select(m => m.Member).ToList();

    /// <summary>Every group's members (label → xnames in the order added), in one pass over the members.</summary>
    internal static ILookup<string, string> AllMembers(IStoreSession session) =>
        session.Collection<GroupMember>().All().OrderBy(m => m.Order).ThenBy(m => m.Member, StringComparer.Ordinal).ToLookup(m => m.Label, m => m.Member, StringComparer.Ordinal);

    /// <summary>All labels, in insertion order as SMD returns them.</summary>
    public IReadOnlyList<string> Labels() => store.Read(s => s.Collection<Group>().All().Select(g => g.Label).ToList());

    /// <summary>
    /// Groups matching <paramref name="query"/> (labels OR-ed, tags OR-ed, AND between them); with a partition,
    /// member lists are narrowed to that partition's members (<c>NULL</c>: members in no partition).
    /// </summary>
    public IReadOnlyList<Group> Query(GroupQuery query)
    {
        var labels = query.Labels.Select(l => NormalizeLabel(l)).ToHashSet(StringComparer.Ordinal);
        var tags = query.Tags.Select(t => NormalizeLabel(t, "tag")).ToHashSet(StringComparer.Ordinal);
        return store.Read(s =>
        {
            var inPartition = PartitionService.MemberFilter(s, query.Partition);
            var found = s.Collection<Group>().All()
                .Where(g => labels.Count == 0 || labels.Contains(g.Label))
                .Where(g => tags.Count == 0 || (g.Tags ?? []).Any(tags.Contains))
                .ToList();
            // A few groups: an index query each; many: one pass over all members.
            var all = found.Count > 4 ? AllMembers(s) : null;
            return (IReadOnlyList<Group>)found
                .Select(g => (Group: g, Members: all is null ? MembersOf(s, g.Label) : all[g.Label]))
                .Select(p => WithMembers(p.Group, inPartition is null ? p.Members : p.Members.Where(inPartition)))
                .ToList();
        });
    }

    /// <summary>One group, optionally with its members narrowed to a partition (<c>NULL</c>: in no partition).</summary>
    public Group Get(string label, string? partition)
    {
        if (string.IsNullOrEmpty(partition)) return Get(label);
        return store.Read(s =>
        {
            var inPartition = PartitionService.MemberFilter(s, partition)!;
            var group = s.Collection<Group>().Get(SafeLabel(label)) ?? throw GroupNotFound(label);
            return WithMembers(group, MembersOf(s, group.Label).Where(inPartition));
        });
    }

    internal static Group WithMembers(Group g, IEnumerable<string> ids) => new()
    {
        Label = g.Label, Description = g.Description, ExclusiveGroup = g.ExclusiveGroup, Tags = g.Tags,
        Members = new MemberList { Ids = ids.ToList() },
    };

    /// <summary>Changes description and/or tags (tags are replaced); members change through the member methods (one small document, not the members).</summary>
    public void Update(string label, GroupPatch patch)
    {
        if (patch.IsEmpty) throw ChamiException.Invalid("EmptyPatch", "Request must have at least one patch field.", label);
        var tags = patch.Tags?.Select(t => NormalizeLabel(t, "tag")).Distinct().ToList();
        store.Write(s =>
        {
            var groups = s.Collection<Group>();
            var group = groups.Get(SafeLabel(label)) ?? throw GroupNotFound(label);
            if (patch.Description is not null) group.Description = patch.Description;
            if (tags is not null) group.Tags = tags.Count == 0 ? null : tags;
            groups.Update(group);
        });
    }

    /// <summary>
    /// Replaces the member set of a group (all ids validated first; exclusivity and existence checked; one transaction).
    /// Only the difference is written: members kept stay (with their place), the rest are removed or added.
    /// </summary>
    public Group ReplaceMembers(string label, IEnumerable<string> xnames)
    {
        var inputs = xnames.ToList();
        var invalid = inputs.Where(x => !Xname.IsValid(x)).ToList();
        if (invalid.Count > 0)
        {
            throw ChamiException.Invalid("InvalidXname", $"invalid xname IDs: [{string.Join(" ", invalid)}]", invalid[0]);
        }
        return store.Write(s =>
        {
            var group = s.Collection<Group>().Get(SafeLabel(label)) ?? throw GroupNotFound(label);
            var wanted = new HashSet<string>(StringComparer.Ordinal);
            foreach (var x in inputs)
            {
                var id = Xname.Parse(x);
                if (!wanted.Add(id)) throw ChamiException.Conflict("MemberExists", $"'{id}' is already a member of group '{group.Label}'", id);
            }
            var members = s.Collection<GroupMember>();
            var current = MembersOf(s, group.Label);
            foreach (var id in current.Where(id => !wanted.Contains(id))) members.Delete(GroupMember.KeyOf(group.Label, id));
            var kept = current.ToHashSet(StringComparer.Ordinal);
            foreach (var id in wanted.Where(id => !kept.Contains(id))) AddMember(s, group, id);
            return WithMembers(group, MembersOf(s, group.Label));
        });
    }

    public Group Create(Group input) => store.Write(s => Create(s, input));

    internal static Group Create(IStoreSession session, Group input)
    {
        var prepared = Prepare(input);
        var group = WithMembers(prepared, []);
        var groups = session.Collection<Group>();
        if (groups.Exists(group.Label))
        {
            throw ChamiException.Conflict("GroupExists", $"Group '{group.Label}' already exists", group.Label);
        }
        groups.Insert(group);
        foreach (var member in prepared.Members.Ids) AddMember(session, group, member);
        return WithMembers(group, prepared.Members.Ids);
    }

    /// <summary>Adds one member: a handful of key reads and one small document, whatever the group's size.</summary>
    public void AddMember(string label, string xname) => store.Write(s => AddMember(s, label, xname));

    internal static void AddMember(IStoreSession session, string label, string xname) =>
        AddMember(session, session.Collection<Group>().Get(SafeLabel(label)) ?? throw GroupNotFound(label), xname);

    private static void AddMember(IStoreSession session, Group group, string xname)
    {
        var id = Xname.Parse(xname);
        if (!session.Collection<Component>().Exists(id))
        {
            throw ChamiException.Invalid("ComponentNotFound", $"cannot add '{id}' to group '{group.Label}': linked component does not exist", id);
        }
        var members = session.Collection<GroupMember>();
        var key = GroupMember.KeyOf(group.Label, id);
        if (members.Exists(key))
        {
            throw ChamiException.Conflict("MemberExists", $"'{id}' is already a member of group '{group.Label}'", id);
        }
        CheckExclusive(session, group, id);
        members.Insert(GroupMember.Added(group.Label, id));
    }

    /// <summary>
    /// ExclusiveGroupConflict when <paramref name="id"/> is in another group of <paramref name="group"/>'s exclusive
    /// group: the node's labels (one key read) and their groups, O(groups of that node).
    /// </summary>
    internal static void CheckExclusive(IStoreSession session, Group group, string id)
    {
        if (group.ExclusiveGroup is not { } exclusive) return;
        var groups = session.Collection<Group>();
        if (LabelsOf(session, id).FirstOrDefault(other => other != group.Label && groups.Get(other)?.ExclusiveGroup == exclusive) is { } sibling)
        {
            throw ChamiException.Conflict("ExclusiveGroupConflict",
                $"'{id}' is in group '{sibling}' of exclusive group '{exclusive}': operation would conflict with an existing member in another exclusive group.", id);
        }
    }

    /// <summary>Removes one member: one small document, whatever the group's size.</summary>
    public void RemoveMember(string label, string xname) => store.Write(s =>
    {
        var group = s.Collection<Group>().Get(SafeLabel(label)) ?? throw GroupNotFound(label);
        var id = Xname.Parse(xname);
        if (!s.Collection<GroupMember>().Delete(GroupMember.KeyOf(group.Label, id)))
        {
            throw ChamiException.NotFound("MemberNotFound", $"'{id}' is not a member of group '{group.Label}'", id);
        }
    });

    /// <summary>Deletes a group and its memberships.</summary>
    public void Delete(string label) => store.Write(s =>
    {
        var normalized = SafeLabel(label);
        if (!s.Collection<Group>().Delete(normalized)) throw GroupNotFound(label);
        s.Collection<GroupMember>().DeleteMany(m => m.Label == normalized);
    });

    /// <summary>Checks a new group without storing it (label, tags, exclusive group and member xnames), for -WhatIf.</summary>
    public static Group Prepare(Group input)
    {
        var group = new Group
        {
            Label = NormalizeLabel(input.Label),
            Description = input.Description ?? string.Empty,
            ExclusiveGroup = string.IsNullOrEmpty(input.ExclusiveGroup) ? null : NormalizeLabel(input.ExclusiveGroup, "exclusive group"),
            Tags = input.Tags is { Count: > 0 } ? input.Tags.Select(t => NormalizeLabel(t, "tag")).Distinct().ToList() : null,
        };
        group.Members.Ids.AddRange((input.Members?.Ids ?? []).Select(x => Xname.Parse(x)));
        return group;
    }

    /// <summary>
    /// Makes a group's members exactly <paramref name="ids"/> without the add checks (an inventory document restores
    /// a site as exported); true when anything changed.
    /// </summary>
    internal static bool SetMembers(IStoreSession session, string label, IReadOnlyList<string> ids)
    {
        var members = session.Collection<GroupMember>();
        var current = MembersOf(session, label);
        var wanted = ids.ToHashSet(StringComparer.Ordinal);
        var kept = current.ToHashSet(StringComparer.Ordinal);
        var changed = false;
        foreach (var id in current.Where(id => !wanted.Contains(id)))
        {
            changed |= members.Delete(GroupMember.KeyOf(label, id));
        }
        foreach (var id in ids.Where(kept.Add))
        {
            members.Insert(GroupMember.Added(label, id));
            changed = true;
        }
        return changed;
    }

    /// <summary>A deleted component leaves its groups and its partition: O(groups of that node).</summary>
    internal static void RemoveMemberEverywhere(IStoreSession session, string id)
    {
        var members = session.Collection<GroupMember>();
        foreach (var label in LabelsOf(session, id).ToList()) members.Delete(GroupMember.KeyOf(label, id));
        session.Collection<PartitionMember>().Delete(id);
    }

    // Lookups never fail on odd characters: they simply find nothing.
    private static string SafeLabel(string? label) => (label ?? string.Empty).Trim().ToLowerInvariant();

    internal static ChamiException GroupNotFound(string? label) =>
        ChamiException.NotFound("GroupNotFound", $"No such group: {label}", label);
}
