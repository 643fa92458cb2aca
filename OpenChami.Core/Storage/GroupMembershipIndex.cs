using LiteDB;
using OpenChami.Core.Model;

namespace OpenChami.Core.Storage;

/// <summary>
/// Maintains <see cref="GroupMembership"/> (a component's group labels, for the boot path's one key read) from every
/// write of a <see cref="GroupMember"/>, in the same transaction, at the storage layer: no service can forget it, and
/// it can't disagree with the memberships. Each change touches one component's entry: O(groups of that node).
/// </summary>
internal static class GroupMembershipIndex
{
    public static void Apply(IStoreSession session, object? before, object? after)
    {
        var old = before as GroupMember;
        var now = after as GroupMember;
        if (old is not null && (now is null || old.Member != now.Member || old.Label != now.Label)) Remove(session, old);
        if (now is not null) Add(session, now);
    }

    private static void Remove(IStoreSession session, GroupMember member)
    {
        var memberships = session.Collection<GroupMembership>();
        if (memberships.Get(member.Member) is not { } entry || !entry.Labels.Remove(member.Label)) return;
        if (entry.Labels.Count == 0) memberships.Delete(member.Member);
        else memberships.Update(entry);
    }

    private static void Add(IStoreSession session, GroupMember member)
    {
        var memberships = session.Collection<GroupMembership>();
        var entry = memberships.Get(member.Member) ?? new GroupMembership { ID = member.Member };
        if (entry.Labels.Contains(member.Label, StringComparer.Ordinal)) return;
        entry.Labels.Add(member.Label);
        entry.Labels.Sort(StringComparer.Ordinal);
        memberships.Upsert(entry);
    }

    /// <summary>Schema 1 → 2: build the index from the member lists then kept in the group documents.</summary>
    public static void Build(LiteDatabase database)
    {
        var index = new Dictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach (var group in database.GetCollection("groups").FindAll())
        {
            var label = group["_id"].AsString;
            foreach (var id in MemberIds(group))
            {
                if (!index.TryGetValue(id, out var labels)) index[id] = labels = new SortedSet<string>(StringComparer.Ordinal);
                labels.Add(label);
            }
        }
        var collection = database.GetCollection("group_memberships");
        foreach (var (id, labels) in index)
        {
            collection.Upsert(new BsonDocument { ["_id"] = id, ["Labels"] = new BsonArray(labels.Select(l => new BsonValue(l))) });
        }
    }

    /// <summary>
    /// Schema 3 → 4: member lists move out of the group and partition documents into one small document per member
    /// (<see cref="GroupMember"/>, <see cref="PartitionMember"/>), in their listed order. The per-component index
    /// (<see cref="GroupMembership"/>) is rebuilt from them.
    /// </summary>
    public static void MoveMembersOut(LiteDatabase database)
    {
        var groups = database.GetCollection("groups");
        var groupMembers = new List<BsonDocument>();
        foreach (var group in groups.FindAll().ToList())
        {
            var label = group["_id"].AsString;
            var order = 0L;
            foreach (var id in MemberIds(group).Distinct(StringComparer.Ordinal))
            {
                groupMembers.Add(new BsonDocument { ["_id"] = GroupMember.KeyOf(label, id), ["Label"] = label, ["Member"] = id, ["Order"] = ++order });
            }
            if (group.Remove("Members")) groups.Update(group);
        }
        var partitions = database.GetCollection("partitions");
        var partitionMembers = new List<BsonDocument>();
        var placed = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var partition in partitions.FindAll().ToList())
        {
            var name = partition["_id"].AsString;
            var order = 0L;
            // A component is in at most one partition; should an old file list one twice, the first keeps it.
            foreach (var id in MemberIds(partition).Where(placed.Add))
            {
                partitionMembers.Add(new BsonDocument { ["_id"] = id, ["Partition"] = name, ["Order"] = ++order });
            }
            if (partition.Remove("Members")) partitions.Update(partition);
        }
        var index = groupMembers
            .GroupBy(m => m["Member"].AsString, StringComparer.OrdinalIgnoreCase)
            .Select(g => new BsonDocument
            {
                ["_id"] = g.Key,
                ["Labels"] = new BsonArray(g.Select(m => m["Label"].AsString).Order(StringComparer.Ordinal).Select(l => new BsonValue(l))),
            })
            .ToList();
        database.GetCollection("group_memberships").DeleteAll();
        if (groupMembers.Count > 0) database.GetCollection("group_members").Insert(groupMembers);
        if (partitionMembers.Count > 0) database.GetCollection("partition_members").Insert(partitionMembers);
        if (index.Count > 0) database.GetCollection("group_memberships").Insert(index);
    }

    private static IEnumerable<string> MemberIds(BsonDocument document) =>
        document["Members"].IsDocument && document["Members"]["Ids"].IsArray
            ? document["Members"]["Ids"].AsArray.Where(v => v.IsString).Select(v => v.AsString)
            : [];
}
