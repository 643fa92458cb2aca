using LiteDB;
using OpenChami.Core.Model;

namespace OpenChami.Core.Storage;

/// <summary>
/// Maintains <see cref="GroupMembership"/> from every write of a <see cref="Group"/>, in the same
/// transaction, at the storage layer: no service can forget it, and it can't disagree with the groups.
/// </summary>
internal static class GroupMembershipIndex
{
    public static void Apply(IStoreSession session, object? before, object? after)
    {
        var old = before as Group;
        var now = after as Group;
        var label = now?.Label ?? old?.Label;
        if (label is null) return;
        var oldIds = old?.Members.Ids ?? [];
        var newIds = now?.Members.Ids ?? [];
        var memberships = session.Collection<GroupMembership>();
        foreach (var id in oldIds.Except(newIds, StringComparer.Ordinal))
        {
            if (memberships.Get(id) is not { } entry) continue;
            entry.Labels.Remove(label);
            if (entry.Labels.Count == 0) memberships.Delete(id);
            else memberships.Update(entry);
        }
        foreach (var id in newIds.Except(oldIds, StringComparer.Ordinal))
        {
            var entry = memberships.Get(id) ?? new GroupMembership { ID = id };
            if (entry.Labels.Contains(label, StringComparer.Ordinal)) continue;
            entry.Labels.Add(label);
            entry.Labels.Sort(StringComparer.Ordinal);
            memberships.Upsert(entry);
        }
    }

    /// <summary>Schema 1 → 2: build the index from the groups already in the file.</summary>
    public static void Build(LiteDatabase database)
    {
        var index = new Dictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach (var group in database.GetCollection("groups").FindAll())
        {
            var label = group["_id"].AsString;
            var ids = group["Members"].IsDocument && group["Members"]["Ids"].IsArray ? group["Members"]["Ids"].AsArray : [];
            foreach (var id in ids.Where(v => v.IsString).Select(v => v.AsString))
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
}
