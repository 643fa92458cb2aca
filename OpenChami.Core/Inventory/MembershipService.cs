using OpenChami.Core.Errors;
using OpenChami.Core.Model;
using OpenChami.Core.Storage;
using OpenChami.Core.Xnames;

namespace OpenChami.Core.Inventory;

/// <summary>The <c>/memberships</c> view (spec/smd.md §2.9): each component's group labels and partition.</summary>
public sealed class MembershipService(IChamiStore store)
{
    /// <summary>Memberships of every component matching <paramref name="query"/> (all component filters apply).</summary>
    public IReadOnlyList<Membership> Query(ComponentQuery query) => store.Read(s =>
    {
        var components = ComponentService.Query(s, query);
        // One pass over each per-component index (labels ordered by label, as SMD lists them).
        var labels = s.Collection<GroupMembership>().All().ToDictionary(m => m.ID, m => m.Labels, StringComparer.Ordinal);
        var partitionOf = s.Collection<PartitionMember>().All().ToDictionary(m => m.ID, m => m.Partition, StringComparer.Ordinal);
        return (IReadOnlyList<Membership>)components.Select(c => new Membership
        {
            ID = c.ID,
            GroupLabels = labels.TryGetValue(c.ID, out var of) ? of.ToList() : [],
            PartitionName = partitionOf.GetValueOrDefault(c.ID, string.Empty),
        }).ToList();
    });

    /// <summary>One component's membership; the component must exist.</summary>
    public Membership Get(string xname)
    {
        var id = Xname.Parse(xname);
        return store.Read(s =>
        {
            if (!s.Collection<Component>().Exists(id))
            {
                throw ChamiException.NotFound("ComponentNotFound", $"No such xname: {id}", id);
            }
            return new Membership
            {
                ID = id,
                GroupLabels = GroupService.LabelsOf(s, id).ToList(),
                PartitionName = s.Collection<PartitionMember>().Get(id)?.Partition ?? string.Empty,
            };
        });
    }
}
