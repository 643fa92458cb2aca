using OpenChami.Core.Errors;
using OpenChami.Core.Model;
using OpenChami.Core.Storage;

namespace OpenChami.Core.Inventory;

/// <summary>The <c>group</c>/<c>partition</c> component filters (spec/smd.md §5.2), resolved once per query.</summary>
internal sealed class MembershipFilter
{
    private static readonly MembershipFilter None = new(null, null);
    private readonly Func<string, bool>? group;
    private readonly Func<string, bool>? partition;

    private MembershipFilter(Func<string, bool>? group, Func<string, bool>? partition)
    {
        this.group = group;
        this.partition = partition;
    }

    public bool Matches(string id) => (group?.Invoke(id) ?? true) && (partition?.Invoke(id) ?? true);

    public static MembershipFilter Create(IStoreSession session, ComponentQuery query)
    {
        if (query.Groups.Count == 0 && query.Partitions.Count == 0) return None;
        if (query.Groups.Count > 1 && query.Partitions.Count > 1)
        {
            throw ChamiException.Invalid("BadQueryParam", "bad query param: group and partition cannot both have more than one value");
        }
        // Members of the named groups/partitions: an index query each; NULL: every component in any.
        return new MembershipFilter(
            Build(query.Groups, () => session.Collection<GroupMembership>().All().Select(m => m.ID),
                name => session.Collection<GroupMember>().Find(m => m.Label == name).Select(m => m.Member), "group"),
            Build(query.Partitions, () => session.Collection<PartitionMember>().All().Select(m => m.ID),
                name => session.Collection<PartitionMember>().Find(m => m.Partition == name).Select(m => m.ID), "partition"));
    }

    /// <summary>The <c>NULL</c> name: members of no group (or partition).</summary>
    public static bool IsNull(string name) => name.Equals("NULL", StringComparison.OrdinalIgnoreCase);

    public static string Normalize(string name) => name.Trim().ToLowerInvariant();

    private static Func<string, bool>? Build(List<string> names, Func<IEnumerable<string>> inAnyOf, Func<string, IEnumerable<string>> membersOf, string what)
    {
        if (names.Count == 0) return null;
        var wantsNull = names.Any(IsNull);
        if (wantsNull && names.Count > 1)
        {
            throw ChamiException.Invalid("BadQueryParam", $"bad query param: {what} NULL cannot be combined with names");
        }
        if (wantsNull)
        {
            var inAny = inAnyOf().ToHashSet(StringComparer.Ordinal);
            return id => !inAny.Contains(id);
        }
        var wanted = names.Select(Normalize).ToHashSet(StringComparer.Ordinal);
        var members = wanted.SelectMany(membersOf).ToHashSet(StringComparer.Ordinal);
        return members.Contains;
    }
}
