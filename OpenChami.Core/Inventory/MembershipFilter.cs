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
        return new MembershipFilter(
            Build(query.Groups, name => session.Collection<Group>().Get(name)?.Members.Ids, () => session.Collection<Group>().All().Select(g => (g.Label, g.Members.Ids)), "group"),
            Build(query.Partitions, name => session.Collection<Partition>().Get(name)?.Members.Ids, () => session.Collection<Partition>().All().Select(p => (p.Name, p.Members.Ids)), "partition"));
    }

    /// <summary>The <c>NULL</c> name: members of no group (or partition).</summary>
    public static bool IsNull(string name) => name.Equals("NULL", StringComparison.OrdinalIgnoreCase);

    public static string Normalize(string name) => name.Trim().ToLowerInvariant();

    // Named sets are read by key (their members only); only NULL needs every set.
    private static Func<string, bool>? Build(List<string> names, Func<string, List<string>?> one, Func<IEnumerable<(string Name, List<string> Ids)>> all, string what)
    {
        if (names.Count == 0) return null;
        var wantsNull = names.Any(IsNull);
        if (wantsNull && names.Count > 1)
        {
            throw ChamiException.Invalid("BadQueryParam", $"bad query param: {what} NULL cannot be combined with names");
        }
        if (wantsNull)
        {
            var inAny = all().SelectMany(s => s.Ids).ToHashSet(StringComparer.Ordinal);
            return id => !inAny.Contains(id);
        }
        var members = names.Select(Normalize).Distinct().SelectMany(n => one(n) ?? []).ToHashSet(StringComparer.Ordinal);
        return members.Contains;
    }
}
