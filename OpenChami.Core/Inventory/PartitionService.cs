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

    public Partition? Find(string name) => store.Read(s => s.Collection<Partition>().Get(SafeName(name)));

    public Partition Get(string name) => Find(name) ?? throw PartitionNotFound(name);

    public IReadOnlyList<string> Names() => store.Read(s => s.Collection<Partition>().All().Select(p => p.Name).ToList());

    /// <summary>Partitions by name (OR) and tag (OR), AND between the two.</summary>
    public IReadOnlyList<Partition> Query(IEnumerable<string>? names = null, IEnumerable<string>? tags = null)
    {
        var wanted = (names ?? []).Select(NormalizeName).ToHashSet(StringComparer.Ordinal);
        var wantedTags = (tags ?? []).Select(t => GroupService.NormalizeLabel(t, "tag")).ToHashSet(StringComparer.Ordinal);
        return store.Read(s => (IReadOnlyList<Partition>)s.Collection<Partition>().All()
            .Where(p => wanted.Count == 0 || wanted.Contains(p.Name))
            .Where(p => wantedTags.Count == 0 || (p.Tags ?? []).Any(wantedTags.Contains))
            .ToList());
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
            return partitions.Get(prepared.Name)!;
        });
    }

    public Partition Update(string name, GroupPatch patch)
    {
        if (patch.IsEmpty) throw ChamiException.Invalid("EmptyPatch", "Request must have at least one patch field.", name);
        var tags = patch.Tags?.Select(t => GroupService.NormalizeLabel(t, "tag")).Distinct().ToList();
        return store.Write(s =>
        {
            var partitions = s.Collection<Partition>();
            var partition = partitions.Get(SafeName(name)) ?? throw PartitionNotFound(name);
            if (patch.Description is not null) partition.Description = patch.Description.Length == 0 ? null : patch.Description;
            if (tags is not null) partition.Tags = tags.Count == 0 ? null : tags;
            partitions.Update(partition);
            return partition;
        });
    }

    public void Delete(string name) => store.Write(s =>
    {
        if (!s.Collection<Partition>().Delete(SafeName(name))) throw PartitionNotFound(name);
    });

    public Partition AddMember(string name, string xname) => store.Write(s => AddMember(s, name, xname));

    internal static Partition AddMember(IStoreSession session, string name, string xname)
    {
        var partitions = session.Collection<Partition>();
        var partition = partitions.Get(SafeName(name)) ?? throw PartitionNotFound(name);
        var id = Xname.Parse(xname);
        if (!session.Collection<Component>().Exists(id))
        {
            throw ChamiException.Invalid("ComponentNotFound", $"cannot add '{id}' to partition '{partition.Name}': linked component does not exist", id);
        }
        if (partition.Members.Ids.Contains(id))
        {
            throw ChamiException.Conflict("MemberExists", $"'{id}' is already a member of partition '{partition.Name}'", id);
        }
        if (partitions.FindOne(p => p.Members.Ids.Contains(id)) is { } other)
        {
            throw ChamiException.Conflict("PartitionMemberConflict",
                $"'{id}' is already in partition '{other.Name}': operation would conflict with an existing member in another partition.", id);
        }
        partition.Members.Ids.Add(id);
        partitions.Update(partition);
        return partition;
    }

    public Partition RemoveMember(string name, string xname) => store.Write(s =>
    {
        var partitions = s.Collection<Partition>();
        var partition = partitions.Get(SafeName(name)) ?? throw PartitionNotFound(name);
        var id = Xname.Parse(xname);
        if (!partition.Members.Ids.Remove(id))
        {
            throw ChamiException.NotFound("MemberNotFound", $"'{id}' is not a member of partition '{partition.Name}'", id);
        }
        partitions.Update(partition);
        return partition;
    });

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
            var inAny = partitions.All().SelectMany(p => p.Members.Ids).ToHashSet(StringComparer.Ordinal);
            return id => !inAny.Contains(id);
        }
        var found = partitions.Get(NormalizeName(partition))
            ?? throw ChamiException.Invalid("PartitionNotFound", "bad query param: no such partition", partition);
        var members = found.Members.Ids.ToHashSet(StringComparer.Ordinal);
        return members.Contains;
    }

    private static string SafeName(string? name) => Xname.Normalize(name);

    internal static ChamiException PartitionNotFound(string? name) =>
        ChamiException.NotFound("PartitionNotFound", $"No such partition: {name}", name);
}
