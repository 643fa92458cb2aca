using OpenChami.Core.Errors;

namespace OpenChami.Core.Power;

/// <summary>How one component's sequence is run.</summary>
public sealed class NodeRunOptions
{
    /// <summary>Wait until the final step's power state is observed (intermediate steps are always confirmed).</summary>
    public bool Wait { get; init; }

    /// <summary>Longest wait for one step's power state (and again for its escalation).</summary>
    public TimeSpan StepTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Send every step without confirming anything (PCS taskDeadlineMinutes = 0).</summary>
    public bool NoConfirm { get; init; }
}

/// <summary>
/// Runs a power sequence against one component: read its state, plan, POST each reset, confirm by polling
/// <c>PowerState</c> (bounded backoff), escalate on deadline. Never throws for BMC trouble: the result says
/// what happened. Progress texts use PCS task-description words.
/// </summary>
public sealed class PowerNodeRunner(RedfishPowerClient client)
{
    public async Task<PowerActionResult> RunAsync(PowerTarget target, string actionName,
        Func<IReadOnlyCollection<string>, PowerState, PowerPlan> plan, NodeRunOptions options,
        Action<string>? report = null, CancellationToken cancellationToken = default)
    {
        var time = client.Options.TimeProvider;
        var started = time.GetTimestamp();
        var sent = new List<string>();
        string? initial = null;
        string? last = null;
        PowerActionResult Result(PowerActionStatus status, string? message, string? error = null, bool unsupported = false) => new()
        {
            Xname = target.Xname,
            Action = actionName,
            ResetTypesSent = sent.ToArray(),
            Status = status,
            InitialPowerState = initial,
            FinalPowerState = last,
            Error = error,
            Message = message,
            Duration = time.GetElapsedTime(started),
            Unsupported = unsupported,
        };

        try
        {
            report?.Invoke("Gathering data");
            var allowed = await AllowedResetTypesAsync(target, cancellationToken).ConfigureAwait(false);
            initial = last = await client.GetPowerStateAsync(target, cancellationToken).ConfigureAwait(false);
            var current = PowerPlanner.FromRedfish(initial);
            PowerPlan chosen;
            try
            {
                chosen = plan(allowed, current);
            }
            catch (ChamiException ex) when (ex.ErrorId == "ResetTypeNotSupported")
            {
                return Result(PowerActionStatus.Failed, ex.Message, ex.Message, unsupported: true);
            }

            switch (chosen.Outcome)
            {
                case PlanOutcome.AlreadyInState:
                    return Result(PowerActionStatus.Succeeded, chosen.Message);
                case PlanOutcome.Unsupported:
                    return Result(PowerActionStatus.Failed, chosen.Message, chosen.Message, unsupported: true);
                case PlanOutcome.PreconditionFailed:
                    return Result(PowerActionStatus.Failed, chosen.Message, chosen.Message);
            }

            for (var i = 0; i < chosen.Steps.Count; i++)
            {
                var step = chosen.Steps[i];
                if (step.SkipIfAlready && step.Confirm is { } already && PowerPlanner.Reached(last, already)) continue;
                report?.Invoke($"Applying transition, {step.ResetType}");
                await client.ResetAsync(target, step.ResetType, cancellationToken).ConfigureAwait(false);
                sent.Add(step.ResetType);
                var isLast = i == chosen.Steps.Count - 1;
                if (options.NoConfirm || step.Confirm is not { } wanted || (isLast && !options.Wait))
                {
                    last = null; // changing now; not observed since (ask -Wait for a confirmed state)
                    continue;
                }

                report?.Invoke($"Confirming successful transition, {step.ResetType}");
                var (reached, state) = await WaitForAsync(target, wanted, options.StepTimeout, cancellationToken).ConfigureAwait(false);
                last = state;
                if (!reached && step.EscalateTo is { } escalation)
                {
                    report?.Invoke($"Applying transition, {escalation}");
                    await client.ResetAsync(target, escalation, cancellationToken).ConfigureAwait(false);
                    sent.Add(escalation);
                    (reached, state) = await WaitForAsync(target, wanted, options.StepTimeout, cancellationToken).ConfigureAwait(false);
                    last = state;
                }

                if (!reached)
                {
                    var error = $"Timeout waiting for transition, {(step.EscalateTo ?? step.ResetType).ToLowerInvariant()}.";
                    return Result(PowerActionStatus.TimedOut, "Failed to achieve transition", error);
                }
            }

            if (options.NoConfirm) return Result(PowerActionStatus.Succeeded, "Not confirming");
            var final = chosen.Steps[^1];
            if (sent.Count == 0) return Result(PowerActionStatus.Succeeded, "Component already in desired state");
            return options.Wait && final.Confirm is not null
                ? Result(PowerActionStatus.Succeeded, $"Transition confirmed, {final.Confirm}")
                : Result(PowerActionStatus.Succeeded, $"Sent {string.Join(", ", sent)}");
        }
        catch (RedfishRequestException ex)
        {
            return Result(PowerActionStatus.Failed, "Failed to achieve transition", ex.Message);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return Result(PowerActionStatus.Failed, "Failed to achieve transition", "Cancelled");
        }
    }

    /// <summary>The ResetTypes the BMC accepts: as discovered, else read from ActionInfo, else the DMTF list.</summary>
    public async Task<IReadOnlyCollection<string>> AllowedResetTypesAsync(PowerTarget target, CancellationToken cancellationToken)
    {
        if (target.AllowedResetTypes.Count > 0) return target.AllowedResetTypes;
        var fromInfo = await client.GetActionInfoAllowableValuesAsync(target, cancellationToken).ConfigureAwait(false);
        return fromInfo.Count > 0 ? fromInfo : ResetTypes.Dmtf;
    }

    /// <summary>Live power status of one component (one GET; never throws for BMC trouble).</summary>
    public async Task<PowerStatus> GetStatusAsync(PowerTarget target, CancellationToken cancellationToken)
    {
        try
        {
            var state = await client.GetPowerStateAsync(target, cancellationToken).ConfigureAwait(false);
            return new PowerStatus
            {
                Xname = target.Xname,
                PowerState = PowerPlanner.FromRedfish(state).ToString().ToLowerInvariant(),
                ManagementState = "available",
                SupportedPowerTransitions = PowerOperations.Supported(target.AllowedResetTypes.Count > 0 ? target.AllowedResetTypes : ResetTypes.Dmtf),
                LastUpdated = client.Options.TimeProvider.GetUtcNow().UtcDateTime.ToString("O"),
                RedfishPowerState = state,
            };
        }
        catch (RedfishRequestException ex)
        {
            return new PowerStatus
            {
                Xname = target.Xname,
                Error = ex.Message,
                SupportedPowerTransitions = PowerOperations.Supported(target.AllowedResetTypes),
                LastUpdated = client.Options.TimeProvider.GetUtcNow().UtcDateTime.ToString("O"),
            };
        }
    }

    private async Task<(bool Reached, string? State)> WaitForAsync(PowerTarget target, PowerState wanted, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var time = client.Options.TimeProvider;
        var started = time.GetTimestamp();
        var interval = client.Options.FirstPollInterval;
        string? state = null;
        while (true)
        {
            var remaining = timeout - time.GetElapsedTime(started);
            if (remaining <= TimeSpan.Zero) return (false, state);
            await Task.Delay(interval < remaining ? interval : remaining, time, cancellationToken).ConfigureAwait(false);
            try
            {
                state = await client.GetPowerStateAsync(target, cancellationToken).ConfigureAwait(false);
                if (PowerPlanner.Reached(state, wanted)) return (true, state);
            }
            catch (RedfishRequestException) when (time.GetElapsedTime(started) < timeout)
            {
                // A BMC busy with the reset may drop a poll; the deadline still bounds the wait.
            }

            interval = TimeSpan.FromTicks(Math.Min((long)(interval.Ticks * 1.5), client.Options.MaxPollInterval.Ticks));
        }
    }
}
