namespace OpenChami.Core.Inventory;

/// <summary>
/// One query parameter's values with SMD semantics (spec/smd.md §5.1): positives are OR-ed,
/// <c>!</c>-prefixed negatives are AND-ed, so the match is <c>(a OR b) AND NOT c AND NOT d</c>.
/// Values are normalized by the caller-supplied function before they are stored.
/// </summary>
public sealed class FilterSet<T>
{
    private readonly List<T> include = [];
    private readonly List<T> exclude = [];

    public bool IsEmpty => include.Count == 0 && exclude.Count == 0;

    public IReadOnlyList<T> Include => include;

    public IReadOnlyList<T> Exclude => exclude;

    public FilterSet<T> Add(string raw, Func<string, T> parse, bool allowNegation = true)
    {
        if (allowNegation && raw.StartsWith('!')) exclude.Add(parse(raw[1..]));
        else include.Add(parse(raw));
        return this;
    }

    public FilterSet<T> AddValue(T value)
    {
        include.Add(value);
        return this;
    }

    public bool Matches(T? value, IEqualityComparer<T>? comparer = null)
    {
        comparer ??= EqualityComparer<T>.Default;
        if (include.Count > 0 && (value is null || !include.Contains(value, comparer))) return false;
        return value is null || !exclude.Contains(value, comparer);
    }
}
