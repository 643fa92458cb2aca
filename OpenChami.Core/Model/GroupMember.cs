using System.Text.Json.Serialization;

namespace OpenChami.Core.Model;

/// <summary>
/// One component's membership of one group: where group membership is stored (schema 4). One small document per
/// (group, member) pair, so adding or removing a member writes, and journals, only that pair, whatever the group's size.
/// </summary>
public sealed class GroupMember
{
    /// <summary><c>label/xname</c> (<see cref="KeyOf"/>): "is x in g?" is one key read.</summary>
    [JsonPropertyName("id")]
    public string ID { get; set; } = string.Empty;

    [JsonPropertyName("label")]
    public string Label { get; set; } = string.Empty;

    [JsonPropertyName("member")]
    public string Member { get; set; } = string.Empty;

    /// <summary>Orders a group's members as they were added (SMD lists them in insertion order); see <see cref="MemberOrder"/>.</summary>
    [JsonPropertyName("order")]
    public long Order { get; set; }

    // Neither labels ([-a-z0-9:._]) nor xnames contain '/'.
    public static string KeyOf(string label, string xname) => label + "/" + xname;

    /// <summary>A new membership of <paramref name="xname"/> in <paramref name="label"/>, ordered after every earlier one.</summary>
    public static GroupMember Added(string label, string xname) =>
        new() { ID = KeyOf(label, xname), Label = label, Member = xname, Order = MemberOrder.Next() };

    public override string ToString() => ID;
}

/// <summary>A component's partition (a component is in at most one): where partition membership is stored (schema 4).</summary>
public sealed class PartitionMember
{
    /// <summary>The member's xname.</summary>
    [JsonPropertyName("id")]
    public string ID { get; set; } = string.Empty;

    [JsonPropertyName("partition")]
    public string Partition { get; set; } = string.Empty;

    /// <summary>Orders a partition's members as they were added; see <see cref="MemberOrder"/>.</summary>
    [JsonPropertyName("order")]
    public long Order { get; set; }

    public override string ToString() => ID;
}

/// <summary>
/// Insertion order of members without a counter document every add would have to rewrite: UTC ticks, made strictly
/// increasing within the process (two adds in one tick, or a clock step back, still keep their order here).
/// </summary>
public static class MemberOrder
{
    private static long last;

    public static long Next()
    {
        while (true)
        {
            var previous = Interlocked.Read(ref last);
            var next = Math.Max(DateTime.UtcNow.Ticks, previous + 1);
            if (Interlocked.CompareExchange(ref last, next, previous) == previous) return next;
        }
    }
}
