namespace OpenChami.Core.Discovery;

/// <summary>How a target answered the probe.</summary>
public enum BmcProbeStatus
{
    /// <summary>A Redfish service root answered (200 with Redfish JSON, or 401/403).</summary>
    Redfish,
    Closed,
    NotRedfish,
    Timeout,
    TlsError,
}

/// <summary>One probed target (output of <c>Find-ChamiBmc</c>).</summary>
public sealed class BmcProbeResult
{
    public required string Address { get; init; }

    public required int Port { get; init; }

    public required string Scheme { get; init; }

    public BmcProbeStatus Status { get; set; }

    public string? RedfishVersion { get; set; }

    public string? UUID { get; set; }

    public string? Vendor { get; set; }

    public string? Product { get; set; }

    /// <summary>True when the service root itself asked for credentials (401/403).</summary>
    public bool RequiresAuthentication { get; set; }

    /// <summary>HTTP status of the service root, when one came back.</summary>
    public int? HttpStatus { get; set; }

    /// <summary>Why the target is not Redfish, in words; null when it is.</summary>
    public string? Message { get; set; }

    public TimeSpan Duration { get; set; }

    public bool IsRedfish => Status == BmcProbeStatus.Redfish;

    public override string ToString() => $"{Address}:{Port} {Status}";
}
