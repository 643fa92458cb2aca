using OpenChami.Core.Errors;
using OpenChami.Core.Model;
using OpenChami.Core.Storage;
using OpenChami.Core.Xnames;

namespace OpenChami.Core.Inventory;

/// <summary>SMD partitions (spec/smd.md §9): names <c>p1</c>/<c>p1.2</c>, a component in at most one partition.</summary>
public sealed class PartitionService(IChamiStore store)
{
    /// <summary>Normalizes and validates a partition name (<c>P01</c> → <c>p1</c>).</summary>
    public static string NormalizeName(string? name) =>
        Xname.TryParse(name, out var id, out var type) && type == HmsType.Partition
            ? id
            : throw ChamiException.Invalid("InvalidPartitionName", $"Bad partition name '{name}'. Must be p# or p#.#", name);

    public Partition? Find(string name) => store.Read(s => s.Collection<Partition>().Get(SafeName(name)) is { } p ? WithMembers(p, MembersOf(s, p.Name)) : null);

    /// <summary>A partition's member xnames in the order they were added: one index query on the name.</summary>
    internal static List<string> MembersOf(IStoreSession session, string name) =>
        session.Collection<PartitionMember>().Find(m => m.Partition == name).OrderBy(m => m.Order).ThenBy(m => m.ID, StringComparer.Ordinal).Select(m => m.ID).ToList();

    /// <summary>Every partition's members (name → xnames in the order added), in one pass over the members.</summary>
    internal static ILookup<string, string> AllMembers(IStoreSession session) =>
        session.Collection<PartitionMember>().All().OrderBy(m => m.Order).ThenBy(m => m.ID, StringComparer.Ordinal).ToLookup(m => m.Partition, m => m.ID, StringComparer.Ordinal);

    internal static Partition WithMembers(Partition p, IEnumerable<string> ids) => new()
    {
        Name = p.Name, Description = p.Description, Tags = p.Tags, Members = new MemberList { Ids = ids.ToList() },
    };

    public Partition Get(string name) => Find(name) ?? throw PartitionNotFound(name);

    public IReadOnlyList<string> Names() => store.Read(s => s.Collection<Partition>().All().Select(p => p.Name).ToList());

    /// <summary>Partitions by name (OR) and tag (OR), AND between the two.</summary>
    public IReadOnlyList<Partition> Query(IEnumerable<string>? names = null, IEnumerable<string>? tags = null)
    {
        var wanted = (names ?? []).Select(NormalizeName).ToHashSet(StringComparer.Ordinal);
        var wantedTags = (tags ?? []).Select(t => GroupService.NormalizeLabel(t, "tag")).ToHashSet(StringComparer.Ordinal);
        return store.Read(s =>
        {
            var found = s.Collection<Partition>().All()
                .Where(p => wanted.Count == 0 || wanted.Contains(p.Name))
                .Where(p => wantedTags.Count == 0 || (p.Tags ?? []).Any(wantedTags.Contains))
                .ToList();
            // A few partitions: an index query each; many: one pass over all members.
            var all = found.Count > 4 ? AllMembers(s) : null;
            return (IReadOnlyList<Partition>)found.Select(p => WithMembers(p, all is null ? MembersOf(s, p.Name) : all[p.Name])).ToList();
        });
    }

    /// <summary>Checks a new partition without storing it (for -WhatIf).</summary>
    public static Partition Prepare(Partition input)
    {
        var partition = new Partition
        {
            Name = NormalizeName(input.Name),
            Description = string.IsNullOrEmpty(input.Description) ? null : input.Description,
            Tags = input.Tags is { Count: > 0 } ? input.Tags.Select(t => GroupService.NormalizeLabel(t, "tag")).Distinct().ToList() : null,
        };
        partition.Members.Ids.AddRange((input.Members?.Ids ?? []).Select(x => Xname.Parse(x)));
        return partition;
    }

    /// <summary>Creates a partition with its members, all or nothing.</summary>
    public Partition Create(Partition input)
    {
        var prepared = Prepare(input);
        return store.Write(s =>
        {
            var partitions = s.Collection<Partition>();
            if (partitions.Exists(prepared.Name))
            {
                throw ChamiException.Conflict("PartitionExists", $"Partition '{prepared.Name}' already exists", prepared.Name);
            }
            partitions.Insert(new Partition { Name = prepared.Name, Description = prepared.Description, Tags = prepared.Tags });
            foreach (var id in prepared.Members.Ids) AddMember(s, prepared.Name, id);
            return WithMembers(prepared, prepared.Members.Ids);
        });
    }

    /// <summary>Changes description and/or tags: one small document, not the members.</summary>
    public void Update(string name, GroupPatch patch)
    {
        if (patch.IsEmpty) throw ChamiException.Invalid("EmptyPatch", "Request must have at least one patch field.", name);
        var tags = patch.Tags?.Select(t => GroupService.NormalizeLabel(t, "tag")).Distinct().ToList();
        store.Write(s =>
        {
            var partitions = s.Collection<Partition>();
            var partition = partitions.Get(SafeName(name)) ?? throw PartitionNotFound(name);
            if (patch.Description is not null) partition.Description = patch.Description.Length == 0 ? null : patch.Description;
            if (tags is not null) partition.Tags = tags.Count == 0 ? null : tags;
            partitions.Update(partition);
        });
    }

    /// <summary>Deletes a partition and its memberships.</summary>
    public void Delete(string name) => store.Write(s =>
    {
        var normalized = SafeName(name);
        if (!s.Collection<Partition>().Delete(normalized)) throw PartitionNotFound(name);
        s.Collection<PartitionMember>().DeleteMany(m => m.Partition == normalized);
    });

    /// <summary>Adds one member: a few key reads and one small document, whatever the partition's size; returns the partition's name.</summary>
    public string AddMember(string name, string xname) => store.Write(s => AddMember(s, name, xname));

    internal static string AddMember(IStoreSession session, string name, string xname)
    {
        var partitions = session.Collection<Partition>();
        var partition = partitions.Get(SafeName(name)) ?? throw PartitionNotFound(name);
        var id = Xname.Parse(xname);
        if (!session.Collection<Component>().Exists(id))
        {
            throw ChamiException.Invalid("ComponentNotFound", $"cannot add '{id}' to partition '{partition.Name}': linked component does not exist", id);
        }
        // One key read: a component's partition is its own document.
        var members = session.Collection<PartitionMember>();
        if (members.Get(id) is { } current)
        {
            if (current.Partition == partition.Name)
            {
                throw ChamiException.Conflict("MemberExists", $"'{id}' is already a member of partition '{partition.Name}'", id);
            }
            throw ChamiException.Conflict("PartitionMemberConflict",
                $"'{id}' is already in partition '{current.Partition}': operation would conflict with an existing member in another partition.", id);
        }
        members.Insert(new PartitionMember { ID = id, Partition = partition.Name, Order = MemberOrder.Next() });
        return partition.Name;
    }

    /// <summary>Removes one member: one small document, whatever the partition's size.</summary>
    public void RemoveMember(string name, string xname) => store.Write(s =>
    {
        var partition = s.Collection<Partition>().Get(SafeName(name)) ?? throw PartitionNotFound(name);
        var id = Xname.Parse(xname);
        var members = s.Collection<PartitionMember>();
        if (members.Get(id)?.Partition != partition.Name || !members.Delete(id))
        {
            throw ChamiException.NotFound("MemberNotFound", $"'{id}' is not a member of partition '{partition.Name}'", id);
        }
    });

    /// <summary>
    /// Makes a partition's members exactly <paramref name="ids"/> without the add checks (an inventory document restores
    /// a site as exported; a component listed by another partition moves); true when anything changed.
    /// </summary>
    internal static bool SetMembers(IStoreSession session, string name, IReadOnlyList<string> ids)
    {
        var members = session.Collection<PartitionMember>();
        var wanted = ids.ToHashSet(StringComparer.Ordinal);
        var changed = false;
        foreach (var id in MembersOf(session, name).Where(id => !wanted.Contains(id))) changed |= members.Delete(id);
        foreach (var id in ids.Distinct(StringComparer.Ordinal))
        {
            if (members.Get(id)?.Partition == name) continue;
            members.Upsert(new PartitionMember { ID = id, Partition = name, Order = MemberOrder.Next() });
            changed = true;
        }
        return changed;
    }

    /// <summary>
    /// The <c>partition</c> filter of the group routes: null for no filter, <c>NULL</c> for components in no
    /// partition, else members of that (existing) partition.
    /// </summary>
    internal static Func<string, bool>? MemberFilter(IStoreSession session, string? partition)
    {
        if (string.IsNullOrEmpty(partition)) return null;
        var partitions = session.Collection<Partition>();
        if (partition.Equals("NULL", StringComparison.OrdinalIgnoreCase))
        {
            var inAny = session.Collection<PartitionMember>().All().Select(m => m.ID).ToHashSet(StringComparer.Ordinal);
            return id => !inAny.Contains(id);
        }
        var found = partitions.Get(NormalizeName(partition))
            ?? throw ChamiException.Invalid("PartitionNotFound", "bad query param: no such partition", partition);
        var members = MembersOf(session, found.Name).ToHashSet(StringComparer.Ordinal);
        return members.Contains;
    }

    private static string SafeName(string? name) => Xname.Normalize(name);

    internal static ChamiException PartitionNotFound(string? name) =>
        ChamiException.NotFound("PartitionNotFound", $"No such partition: {name}", name);
}
