using System.Text.Json.Serialization;

namespace OpenChami.Core.Discovery;

/// <summary>
/// One run of <c>POST /hsm/v2/Inventory/Discover</c> as SMD's DiscoveryStatus (spec/smd.md §2.12):
/// <c>{"ID","Status","LastUpdateTime","Details"?}</c>. Row 0 always exists (<c>NotStarted</c> until a run uses it).
/// </summary>
public sealed class DiscoveryRun
{
    /// <summary>Storage key: <see cref="ID"/> as ten digits (ordered); not on the wire.</summary>
    [JsonIgnore]
    public string Key { get; set; } = string.Empty;

    public int ID { get; set; }

    /// <summary><c>NotStarted</c>, <c>Pending</c>, <c>InProgress</c> or <c>Complete</c>.</summary>
    public string Status { get; set; } = DiscoveryRunStatus.NotStarted;

    public DateTime LastUpdateTime { get; set; }

    public DiscoveryRunDetails? Details { get; set; }

    public static string KeyOf(int id) => id.ToString("D10", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>What a run was asked to do and what came of it, per RedfishEndpoint.</summary>
public sealed class DiscoveryRunDetails
{
    public List<string> Xnames { get; set; } = [];

    public bool Force { get; set; }

    /// <summary>Per endpoint: its <c>LastDiscoveryStatus</c> after the run (or why it was not tried).</summary>
    public Dictionary<string, string> Results { get; set; } = [];

    /// <summary>Per failed endpoint: what went wrong (never a secret).</summary>
    public Dictionary<string, string>? Errors { get; set; }
}

public static class DiscoveryRunStatus
{
    public const string NotStarted = "NotStarted";
    public const string Pending = "Pending";
    public const string InProgress = "InProgress";
    public const string Complete = "Complete";
}
