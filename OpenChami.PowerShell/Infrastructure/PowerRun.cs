using System.Management.Automation;
using OpenChami.Core;
using OpenChami.Core.Power;

namespace OpenChami.PowerShell.Infrastructure;

/// <summary>One fan-out of a power action, runnable in the foreground or as a job.</summary>
public sealed class PowerRun(ChamiServices services, PowerEngineOptions options, IReadOnlyList<PowerTarget> targets, PowerAction action,
    bool allowFallback, NodeRunOptions nodeOptions, FanOutOptions fanOut)
{
    public int Count => targets.Count;

    public PowerAction Action => action;

    public async Task ExecuteAsync(Action<PowerActionResult> onResult, CancellationToken cancellationToken)
    {
        var power = services.Power;
        await power.RunActionAsync(targets, action, allowFallback, nodeOptions, fanOut, onResult, cancellationToken, options).ConfigureAwait(false);
    }

    /// <summary>The non-terminating error written for a component whose action did not succeed.</summary>
    public static ErrorRecord ToErrorRecord(PowerActionResult result)
    {
        var (errorId, category) = result.Unsupported ? ("ResetTypeNotSupported", ErrorCategory.NotImplemented)
            : result.Status == PowerActionStatus.TimedOut ? ("PowerActionTimedOut", ErrorCategory.OperationTimeout)
            : ("PowerActionFailed", ErrorCategory.ResourceUnavailable);
        var message = $"{result.Xname}: {result.Action} {result.Status.ToString().ToLowerInvariant()}: {result.Error}";
        return new ErrorRecord(new InvalidOperationException(message), errorId, category, result.Xname)
        {
            ErrorDetails = new ErrorDetails(message),
        };
    }
}
