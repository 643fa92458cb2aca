namespace OpenChami.Core.Power;

/// <summary>Power state as PCS reports it.</summary>
public enum PowerState
{
    On,
    Off,
    Undefined,
}

public enum PlanOutcome
{
    /// <summary>Send <see cref="PowerPlan.Steps"/>.</summary>
    Run,

    /// <summary>Nothing to do: the component is already where the operation leads.</summary>
    AlreadyInState,

    /// <summary>The BMC does not advertise the ResetTypes the operation needs.</summary>
    Unsupported,

    /// <summary>The component is in a state the operation refuses (e.g. restart of a node that is off).</summary>
    PreconditionFailed,
}

/// <summary>
/// One Redfish reset of a sequence. <paramref name="Confirm"/> is the power state that shows it worked
/// (null = nothing to wait for, e.g. Nmi); <paramref name="EscalateTo"/> is sent when that state is not
/// reached in time (GracefulShutdown → ForceOff); <paramref name="SkipIfAlready"/> skips the reset when the
/// component is already in <paramref name="Confirm"/> (never for restarts, which must cycle).
/// </summary>
public sealed record PowerStep(string ResetType, PowerState? Confirm, string? EscalateTo = null, bool SkipIfAlready = true);

/// <summary>What to send for one component, or why nothing is sent.</summary>
public sealed record PowerPlan(PlanOutcome Outcome, IReadOnlyList<PowerStep> Steps, string? Message = null)
{
    public PowerState? FinalState => Steps.Count == 0 ? null : Steps[^1].Confirm;

    public static PowerPlan Run(params PowerStep[] steps) => new(PlanOutcome.Run, steps);
}

/// <summary>
/// Turns a cmdlet action or a PCS operation into Redfish ResetType sequences (spec discovery-power.md §4.4),
/// using only ResetTypes the BMC advertised.
/// </summary>
public static class PowerPlanner
{
    /// <summary>
    /// The sequence for a cmdlet action. Without <paramref name="allowFallback"/> only the ResetType of the
    /// same name is sent; PowerCycle always falls back to ForceOff → On when PowerCycle is not advertised.
    /// With <paramref name="allowFallback"/> (the friendly Stop/Restart cmdlets) GracefulShutdown falls back to
    /// Off, GracefulRestart to GracefulShutdown|Off → On and ForceRestart to ForceOff → On.
    /// Throws ResetTypeNotSupported (before anything is sent) when the BMC can't do it.
    /// </summary>
    public static PowerPlan PlanAction(PowerAction action, IReadOnlyCollection<string> allowed, bool allowFallback, string xname)
    {
        bool has(string t) => allowed.Contains(t, StringComparer.Ordinal);
        var graceful = has(ResetTypes.GracefulShutdown) ? ResetTypes.GracefulShutdown : has(ResetTypes.Off) ? ResetTypes.Off : null;
        var name = action.ToString();
        if (has(name))
        {
            return action switch
            {
                PowerAction.On => PowerPlan.Run(new PowerStep(ResetTypes.On, PowerState.On)),
                PowerAction.ForceOff or PowerAction.GracefulShutdown => PowerPlan.Run(new PowerStep(name, PowerState.Off)),
                PowerAction.Nmi => PowerPlan.Run(new PowerStep(name, null, SkipIfAlready: false)),
                _ => PowerPlan.Run(new PowerStep(name, PowerState.On, SkipIfAlready: false)), // restarts and PowerCycle
            };
        }

        var fallback = action switch
        {
            PowerAction.PowerCycle or PowerAction.ForceRestart when (action == PowerAction.PowerCycle || allowFallback)
                && has(ResetTypes.ForceOff) && has(ResetTypes.On) =>
                PowerPlan.Run(new PowerStep(ResetTypes.ForceOff, PowerState.Off), new PowerStep(ResetTypes.On, PowerState.On)),
            PowerAction.GracefulShutdown when allowFallback && graceful is not null =>
                PowerPlan.Run(new PowerStep(graceful, PowerState.Off)),
            PowerAction.GracefulRestart when allowFallback && graceful is not null && has(ResetTypes.On) =>
                PowerPlan.Run(new PowerStep(graceful, PowerState.Off), new PowerStep(ResetTypes.On, PowerState.On)),
            _ => null,
        };
        return fallback ?? throw NotSupported(xname, name, allowed);
    }

    /// <summary>The error for a ResetType the BMC did not advertise.</summary>
    public static Errors.ChamiException NotSupported(string xname, string resetType, IReadOnlyCollection<string> allowed) =>
        new(Errors.ChamiErrorKind.NotSupported, "ResetTypeNotSupported",
            $"{xname}: the BMC does not support ResetType {resetType} (it advertises: {(allowed.Count == 0 ? "nothing" : string.Join(", ", allowed))}).",
            xname);

    /// <summary>The sequence for a PCS operation given the component's current power state (§4.4).</summary>
    public static PowerPlan PlanOperation(PowerOperation operation, IReadOnlyCollection<string> allowed, PowerState current)
    {
        bool has(string t) => allowed.Contains(t, StringComparer.Ordinal);
        var graceful = has(ResetTypes.GracefulShutdown) ? ResetTypes.GracefulShutdown : has(ResetTypes.Off) ? ResetTypes.Off : null;
        var escalation = has(ResetTypes.ForceOff) ? ResetTypes.ForceOff : null;
        var canOn = has(ResetTypes.On);
        var name = PowerOperations.CanonicalName(operation);
        var unsupported = new PowerPlan(PlanOutcome.Unsupported, [], $"Component does not support the specified transition operation, {name}");
        var already = new PowerPlan(PlanOutcome.AlreadyInState, [], "Component already in desired state");
        var mustBeOn = new PowerPlan(PlanOutcome.PreconditionFailed, [], $"Component must be in the On state for {name}");
        PowerStep[] offThenOn() => [new PowerStep(graceful!, PowerState.Off, escalation), new PowerStep(ResetTypes.On, PowerState.On)];

        switch (operation)
        {
            case PowerOperation.On:
                if (!canOn) return unsupported;
                return current == PowerState.On ? already : PowerPlan.Run(new PowerStep(ResetTypes.On, PowerState.On));
            case PowerOperation.Off or PowerOperation.SoftOff:
                if (graceful is null) return unsupported;
                if (current == PowerState.Off) return already;
                return PowerPlan.Run(new PowerStep(graceful, PowerState.Off, operation == PowerOperation.Off ? escalation : null));
            case PowerOperation.ForceOff:
                if (escalation is null) return unsupported;
                return current == PowerState.Off ? already : PowerPlan.Run(new PowerStep(ResetTypes.ForceOff, PowerState.Off));
            case PowerOperation.SoftRestart:
                PowerPlan? restart = has(ResetTypes.GracefulRestart) ? PowerPlan.Run(new PowerStep(ResetTypes.GracefulRestart, PowerState.On, SkipIfAlready: false))
                    : graceful is not null && canOn ? PowerPlan.Run(offThenOn())
                    : has(ResetTypes.ForceRestart) ? PowerPlan.Run(new PowerStep(ResetTypes.ForceRestart, PowerState.On, SkipIfAlready: false))
                    : null;
                if (restart is null) return unsupported;
                return current == PowerState.On ? restart : mustBeOn;
            case PowerOperation.HardRestart:
                if (graceful is null || !canOn) return unsupported;
                return current == PowerState.On ? PowerPlan.Run(offThenOn()) : mustBeOn;
            case PowerOperation.Init:
                if (graceful is null || !canOn) return unsupported;
                return current == PowerState.Off ? PowerPlan.Run(new PowerStep(ResetTypes.On, PowerState.On)) : PowerPlan.Run(offThenOn());
            default:
                return unsupported;
        }
    }

    /// <summary>Redfish PowerState → PCS power state (§4.6): On/PoweringOff are on, Off/PoweringOn are off.</summary>
    public static PowerState FromRedfish(string? powerState) => powerState switch
    {
        "On" or "PoweringOff" => PowerState.On,
        "Off" or "PoweringOn" => PowerState.Off,
        _ => PowerState.Undefined,
    };

    /// <summary>True when the Redfish PowerState has settled in <paramref name="wanted"/> (not still transitioning).</summary>
    public static bool Reached(string? powerState, PowerState wanted) =>
        wanted == PowerState.On ? powerState == "On" : wanted == PowerState.Off && powerState == "Off";
}
