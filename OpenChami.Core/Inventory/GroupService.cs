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

    public Group? Find(string label) => store.Read(s => s.Collection<Group>().Get(SafeLabel(label)));

    public Group Get(string label) => Find(label) ?? throw GroupNotFound(label);

    public IReadOnlyList<Group> All() => store.Read(s => s.Collection<Group>().All());

    /// <summary>Labels of the groups <paramref name="xname"/> belongs to, ordered by label.</summary>
    public IReadOnlyList<string> LabelsOf(string xname) => store.Read(s => LabelsOf(s, Xname.Parse(xname)));

    // One key read in the membership index the store keeps beside the groups (ordered by label), instead of
    // loading every group with its whole member list: the boot and cloud-init paths ask this per request.
    internal static IReadOnlyList<string> LabelsOf(IStoreSession session, string id) =>
        session.Collection<GroupMembership>().Get(id)?.Labels ?? [];

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
            return (IReadOnlyList<Group>)s.Collection<Group>().All()
                .Where(g => labels.Count == 0 || labels.Contains(g.Label))
                .Where(g => tags.Count == 0 || (g.Tags ?? []).Any(tags.Contains))
                .Select(g => inPartition is null ? g : WithMembers(g, g.Members.Ids.Where(inPartition)))
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
            return WithMembers(group, group.Members.Ids.Where(inPartition));
        });
    }

    private static Group WithMembers(Group g, IEnumerable<string> ids) => new()
    {
        Label = g.Label, Description = g.Description, ExclusiveGroup = g.ExclusiveGroup, Tags = g.Tags,
        Members = new MemberList { Ids = ids.ToList() },
    };

    /// <summary>Changes description and/or tags (tags are replaced); members change through the member methods.</summary>
    public Group Update(string label, GroupPatch patch)
    {
        if (patch.IsEmpty) throw ChamiException.Invalid("EmptyPatch", "Request must have at least one patch field.", label);
        var tags = patch.Tags?.Select(t => NormalizeLabel(t, "tag")).Distinct().ToList();
        return store.Write(s =>
        {
            var groups = s.Collection<Group>();
            var group = groups.Get(SafeLabel(label)) ?? throw GroupNotFound(label);
            if (patch.Description is not null) group.Description = patch.Description;
            if (tags is not null) group.Tags = tags.Count == 0 ? null : tags;
            groups.Update(group);
            return group;
        });
    }

    /// <summary>Replaces the member set of a group (all ids validated first; exclusivity and existence checked; one transaction).</summary>
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
            var groups = s.Collection<Group>();
            var group = groups.Get(SafeLabel(label)) ?? throw GroupNotFound(label);
            group.Members.Ids.Clear();
            groups.Update(group);
            foreach (var x in inputs) AddMember(s, group.Label, x);
            return groups.Get(group.Label)!;
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
        foreach (var member in prepared.Members.Ids) AddMember(session, group.Label, member);
        return groups.Get(group.Label)!;
    }

    public Group AddMember(string label, string xname) => store.Write(s => AddMember(s, label, xname));

    internal static Group AddMember(IStoreSession session, string label, string xname)
    {
        var groups = session.Collection<Group>();
        var group = groups.Get(SafeLabel(label)) ?? throw GroupNotFound(label);
        var id = Xname.Parse(xname);
        if (!session.Collection<Component>().Exists(id))
        {
            throw ChamiException.Invalid("ComponentNotFound", $"cannot add '{id}' to group '{group.Label}': linked component does not exist", id);
        }
        if (group.Members.Ids.Contains(id))
        {
            throw ChamiException.Conflict("MemberExists", $"'{id}' is already a member of group '{group.Label}'", id);
        }
        if (group.ExclusiveGroup is { } exclusive)
        {
            var sibling = groups.Find(g => g.ExclusiveGroup == exclusive && g.Members.Ids.Contains(id))
                .FirstOrDefault(g => g.Label != group.Label);
            if (sibling is not null)
            {
                throw ChamiException.Conflict("ExclusiveGroupConflict",
                    $"'{id}' is in group '{sibling.Label}' of exclusive group '{exclusive}': operation would conflict with an existing member in another exclusive group.", id);
            }
        }
        group.Members.Ids.Add(id);
        groups.Update(group);
        return group;
    }

    public Group RemoveMember(string label, string xname) => store.Write(s =>
    {
        var groups = s.Collection<Group>();
        var group = groups.Get(SafeLabel(label)) ?? throw GroupNotFound(label);
        var id = Xname.Parse(xname);
        if (!group.Members.Ids.Remove(id))
        {
            throw ChamiException.NotFound("MemberNotFound", $"'{id}' is not a member of group '{group.Label}'", id);
        }
        groups.Update(group);
        return group;
    });

    public void Delete(string label) => store.Write(s =>
    {
        if (!s.Collection<Group>().Delete(SafeLabel(label))) throw GroupNotFound(label);
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

    internal static void RemoveMemberEverywhere(IStoreSession session, string id)
    {
        var groups = session.Collection<Group>();
        foreach (var group in groups.Find(g => g.Members.Ids.Contains(id)))
        {
            group.Members.Ids.Remove(id);
            groups.Update(group);
        }
        var partitions = session.Collection<Partition>();
        foreach (var partition in partitions.Find(p => p.Members.Ids.Contains(id)))
        {
            partition.Members.Ids.Remove(id);
            partitions.Update(partition);
        }
    }

    // Lookups never fail on odd characters: they simply find nothing.
    private static string SafeLabel(string? label) => (label ?? string.Empty).Trim().ToLowerInvariant();

    internal static ChamiException GroupNotFound(string? label) =>
        ChamiException.NotFound("GroupNotFound", $"No such group: {label}", label);
}
