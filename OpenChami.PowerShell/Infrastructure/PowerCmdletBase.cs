using System.Collections.Concurrent;
using System.Management.Automation;
using OpenChami.Core;
using OpenChami.Core.Errors;
using OpenChami.Core.Power;
using OpenChami.PowerShell.Completers;

namespace OpenChami.PowerShell.Infrastructure;

/// <summary>Accepts a number as milliseconds (<c>-BatchDelay 500</c>) as well as a TimeSpan or "00:00:01".</summary>
public sealed class MillisecondsTimeSpanTransformationAttribute : ArgumentTransformationAttribute
{
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData) =>
        (inputData is PSObject ps ? ps.BaseObject : inputData) switch
        {
            int ms => TimeSpan.FromMilliseconds(ms),
            long ms => TimeSpan.FromMilliseconds(ms),
            double ms => TimeSpan.FromMilliseconds(ms),
            string s when double.TryParse(s, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var ms) => TimeSpan.FromMilliseconds(ms),
            var other => other,
        };
}

/// <summary>
/// Shared by the power cmdlets: xnames from the pipeline, BMC credential, TLS choice and the engine's settings.
/// Targets are resolved and checked per item in ProcessRecord (so a bad xname or an unsupported action is an
/// error for that item, before anything is sent); the BMC work runs once, in EndProcessing, fanned out.
/// </summary>
public abstract class PowerCmdletBase : ChamiCmdlet
{
    /// <summary>BMC credential for this call; replaces the stored one (which is left unchanged).</summary>
    [Parameter]
    [Credential]
    public PSCredential? Credential { get; set; }

    /// <summary>Accept the BMC's certificate without verifying it (BMCs usually have self-signed ones).</summary>
    [Parameter]
    public SwitchParameter SkipCertificateCheck { get; set; }

    /// <summary>Components worked on at once.</summary>
    [Parameter]
    [ValidateRange(1, 1024)]
    public int ThrottleLimit { get; set; } = 32;

    protected BmcCredential? CallCredential =>
        Credential is null || ReferenceEquals(Credential, PSCredential.Empty)
            ? null
            : new BmcCredential(Credential.UserName, Credential.GetNetworkCredential().Password);

    /// <summary>The engine settings for this call (TLS choice applied).</summary>
    protected PowerEngineOptions EngineOptions(ChamiServices services)
    {
        var options = services.Power.Options.Clone();
        if (SkipCertificateCheck) options.SkipCertificateCheck = true;
        return options;
    }
}

/// <summary>Base of the cmdlets that change power: fan-out, staggering, waiting, progress, jobs.</summary>
public abstract class PowerActionCmdletBase : PowerCmdletBase
{
    private readonly List<PowerTarget> targets = [];

    /// <summary>Nodes to act on (xnames from the pipeline bind by property name: Xname or ID).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("ID")]
    [ArgumentCompleter(typeof(XnameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? Xname { get; set; }

    /// <summary>Start this many components, then pause <see cref="BatchDelay"/> before the next batch (0 = no batching).</summary>
    [Parameter]
    [ValidateRange(0, 100000)]
    public int BatchSize { get; set; }

    /// <summary>Pause between batches: a number of milliseconds or a TimeSpan (sites stagger 250–1000 ms against power surges).</summary>
    [Parameter]
    [MillisecondsTimeSpanTransformation]
    public TimeSpan BatchDelay { get; set; }

    /// <summary>Wait until each component reaches the target power state (polling with back-off, bounded by -TimeoutSec).</summary>
    [Parameter]
    public SwitchParameter Wait { get; set; }

    /// <summary>Longest wait for a power state, per component and step.</summary>
    [Parameter]
    [ValidateRange(1, 86400)]
    public int TimeoutSec { get; set; } = 300;

    /// <summary>Run in the background and return a job; results arrive with Receive-Job.</summary>
    [Parameter]
    public SwitchParameter AsJob { get; set; }

    /// <summary>The action requested.</summary>
    protected abstract PowerAction RequestedAction { get; }

    /// <summary>Whether documented fallbacks are allowed (GracefulShutdown → Off...).</summary>
    protected virtual bool AllowFallback => false;

    protected override void ProcessRecord()
    {
        var services = Services;
        foreach (var xname in Xname ?? [])
        {
            PowerTarget? target = null;
            if (!TryItem(() =>
                {
                    target = services.Power.Resolve(xname, CallCredential);
                    services.Power.Validate(target, RequestedAction, AllowFallback); // refuse before anything is sent
                }, xname))
            {
                continue;
            }

            if (targets.Any(t => t.Xname == target!.Xname)) continue;
            if (ShouldProcess(target!.Xname, $"Power action {RequestedAction} (Redfish reset via {target.BmcBaseUrl})"))
            {
                targets.Add(target);
            }
        }
    }

    protected override void EndProcessing()
    {
        if (targets.Count == 0) return;
        var services = Services;
        var run = new PowerRun(services, EngineOptions(services), targets.ToList(), RequestedAction, AllowFallback,
            new NodeRunOptions { Wait = Wait, StepTimeout = TimeSpan.FromSeconds(TimeoutSec) },
            new FanOutOptions { ThrottleLimit = ThrottleLimit, BatchSize = BatchSize, BatchDelay = BatchDelay });
        if (AsJob)
        {
            var job = new ChamiPowerJob(run, MyInvocation.Line);
            JobRepository.Add(job);
            job.Start();
            WriteObject(job);
            return;
        }

        var results = new BlockingCollection<PowerActionResult>();
        var work = Task.Run(async () =>
        {
            try
            {
                await run.ExecuteAsync(results.Add, StopToken).ConfigureAwait(false);
            }
            finally
            {
                results.CompleteAdding();
            }
        });

        var progress = new ProgressRecord(1, $"{RequestedAction} on {targets.Count} component(s)", "Starting");
        var done = 0;
        try
        {
            foreach (var result in results.GetConsumingEnumerable(StopToken))
            {
                done++;
                progress.PercentComplete = done * 100 / targets.Count;
                progress.StatusDescription = $"{done}/{targets.Count} done; last: {result.Xname} {result.Status}";
                WriteProgress(progress);
                WriteObject(result);
                if (result.Status != PowerActionStatus.Succeeded) WriteError(PowerRun.ToErrorRecord(result));
            }
        }
        catch (OperationCanceledException) when (StopToken.IsCancellationRequested)
        {
            // Ctrl+C: the engine stops starting new work and cancels what is in flight.
        }

        try
        {
            work.GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (StopToken.IsCancellationRequested)
        {
        }

        progress.RecordType = ProgressRecordType.Completed;
        WriteProgress(progress);
    }
}

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
