using System.Text.Json.Serialization;

namespace OpenChami.Core.Power;

public enum PowerActionStatus
{
    Succeeded,
    Failed,
    TimedOut,
}

/// <summary>What one power action did to one component.</summary>
public sealed class PowerActionResult
{
    public string Xname { get; init; } = string.Empty;

    /// <summary>The action or operation asked for (<c>ForceOff</c>, <c>Soft-Restart</c>...).</summary>
    public string Action { get; init; } = string.Empty;

    /// <summary>The Redfish ResetTypes actually POSTed, in order (empty when nothing was sent).</summary>
    public IReadOnlyList<string> ResetTypesSent { get; init; } = [];

    public PowerActionStatus Status { get; init; }

    /// <summary>Redfish PowerState before the action (null when it could not be read).</summary>
    public string? InitialPowerState { get; init; }

    /// <summary>Redfish PowerState last observed (after confirming, when waited for).</summary>
    public string? FinalPowerState { get; init; }

    /// <summary>Why it failed or timed out; null on success.</summary>
    public string? Error { get; init; }

    /// <summary>What happened, in PCS task-description words.</summary>
    public string? Message { get; init; }

    public TimeSpan Duration { get; init; }

    /// <summary>True when the BMC can't do the operation at all (PCS task status <c>unsupported</c>).</summary>
    [JsonIgnore]
    public bool Unsupported { get; init; }

    public override string ToString() => $"{Xname} {Action} {Status}";
}

/// <summary>Live power state of one component, PCS <c>PowerStatus</c> shape (spec §4.3).</summary>
public sealed class PowerStatus
{
    [JsonPropertyName("xname")]
    public string Xname { get; init; } = string.Empty;

    /// <summary><c>on</c>, <c>off</c> or <c>undefined</c>.</summary>
    [JsonPropertyName("powerState")]
    public string PowerState { get; init; } = "undefined";

    /// <summary><c>available</c> when the BMC answered, else <c>unavailable</c>.</summary>
    [JsonPropertyName("managementState")]
    public string ManagementState { get; init; } = "unavailable";

    [JsonPropertyName("error")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string Error { get; init; } = string.Empty;

    [JsonPropertyName("supportedPowerTransitions")]
    public IReadOnlyList<string> SupportedPowerTransitions { get; init; } = [];

    /// <summary>RFC 3339 time of the reading, or "" when none was made.</summary>
    [JsonPropertyName("lastUpdated")]
    public string LastUpdated { get; init; } = string.Empty;

    /// <summary>The raw Redfish PowerState (PoweringOn...), for operators; not on the PCS wire.</summary>
    [JsonIgnore]
    public string? RedfishPowerState { get; init; }

    public override string ToString() => $"{Xname} {PowerState}";
}
