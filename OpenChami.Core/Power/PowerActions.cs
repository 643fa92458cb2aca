using System.Text.Json.Serialization;

namespace OpenChami.Core.Power;

/// <summary>What a power cmdlet asks for; each is a Redfish ResetType of the same name.</summary>
public enum PowerAction
{
    On,
    ForceOff,
    GracefulShutdown,
    GracefulRestart,
    ForceRestart,
    PowerCycle,
    Nmi,
}

/// <summary>PCS transition operations (spec discovery-power.md §4.1); wire names are the canonical spellings.</summary>
public enum PowerOperation
{
    On,
    Off,
    [JsonStringEnumMemberName("Soft-Off")] SoftOff,
    [JsonStringEnumMemberName("Soft-Restart")] SoftRestart,
    [JsonStringEnumMemberName("Hard-Restart")] HardRestart,
    Init,
    [JsonStringEnumMemberName("Force-Off")] ForceOff,
}

/// <summary>Redfish ResetType names used by power control.</summary>
public static class ResetTypes
{
    public const string On = "On";
    public const string Off = "Off";
    public const string ForceOff = "ForceOff";
    public const string GracefulShutdown = "GracefulShutdown";
    public const string GracefulRestart = "GracefulRestart";
    public const string ForceRestart = "ForceRestart";
    public const string PowerCycle = "PowerCycle";
    public const string Nmi = "Nmi";

    /// <summary>The DMTF ResetType enumeration: what a BMC that advertises nothing may accept.</summary>
    public static readonly IReadOnlyList<string> Dmtf =
    [
        "On", "ForceOff", "GracefulShutdown", "GracefulRestart", "ForceRestart", "Nmi", "ForceOn",
        "PushPowerButton", "PowerCycle", "Suspend", "Pause", "Resume", "FullPowerCycle", "StatefulReset", "Off",
    ];
}

/// <summary>Operation names of PCS: case-insensitive input (plus the <c>reinit</c> alias), canonical output.</summary>
public static class PowerOperations
{
    public static bool TryParse(string? text, out PowerOperation operation)
    {
        operation = default;
        switch (text?.Trim().ToLowerInvariant())
        {
            case "on": operation = PowerOperation.On; return true;
            case "off": operation = PowerOperation.Off; return true;
            case "soft-off": operation = PowerOperation.SoftOff; return true;
            case "soft-restart": operation = PowerOperation.SoftRestart; return true;
            case "hard-restart": operation = PowerOperation.HardRestart; return true;
            case "init" or "reinit": operation = PowerOperation.Init; return true;
            case "force-off": operation = PowerOperation.ForceOff; return true;
            default: return false;
        }
    }

    public static string CanonicalName(PowerOperation operation) => operation switch
    {
        PowerOperation.SoftOff => "Soft-Off",
        PowerOperation.SoftRestart => "Soft-Restart",
        PowerOperation.HardRestart => "Hard-Restart",
        PowerOperation.ForceOff => "Force-Off",
        _ => operation.ToString(),
    };

    /// <summary>Supported transitions derived from the allowable ResetTypes (§4.4), in canonical spelling:
    /// exactly the operations <see cref="PowerPlanner.PlanOperation"/> has a sequence for.</summary>
    public static IReadOnlyList<string> Supported(IReadOnlyCollection<string> allowed) =>
        Enum.GetValues<PowerOperation>()
            .Where(op => PowerPlanner.PlanOperation(op, allowed, PowerState.On).Outcome != PlanOutcome.Unsupported)
            .Select(CanonicalName)
            .ToList();
}
