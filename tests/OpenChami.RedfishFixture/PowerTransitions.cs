namespace OpenChami.RedfishFixture;

/// <summary>What a Redfish <c>ResetType</c> does to a resource's <c>PowerState</c>.</summary>
public static class PowerTransitions
{
    /// <summary>
    /// The PowerState after <paramref name="resetType"/>, or null when the reset leaves it unchanged
    /// (Nmi, StatefulReset, unknown values). Restarts end On; PushPowerButton toggles.
    /// </summary>
    public static string? TargetState(string resetType, string? currentState) => resetType switch
    {
        "On" or "ForceOn" => "On",
        "ForceOff" or "GracefulShutdown" or "Off" => "Off",
        "ForceRestart" or "GracefulRestart" or "PowerCycle" or "FullPowerCycle" => "On",
        "PushPowerButton" => currentState is "On" or "PoweringOn" ? "Off" : "On",
        _ => null,
    };

    /// <summary>True for resets that cycle power, so "already On" still means a transition happened.</summary>
    public static bool IsRestart(string resetType) =>
        resetType is "ForceRestart" or "GracefulRestart" or "PowerCycle" or "FullPowerCycle";

    /// <summary>The state shown while a delayed transition towards <paramref name="targetState"/> runs.</summary>
    public static string IntermediateState(string targetState) => targetState == "On" ? "PoweringOn" : "PoweringOff";
}
