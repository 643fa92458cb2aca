using System.Collections.Concurrent;
using System.Management.Automation;
using OpenChami.Core.Power;
using OpenChami.PowerShell.Completers;

namespace OpenChami.PowerShell.Infrastructure;

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

    /// <summary>
    /// Deputy or reservation keys (<c>&lt;xname&gt;:dk:&lt;uuid&gt;</c>) of components reserved for you: a locked or reserved
    /// component is refused without its key. Each key names its component, so one list serves many nodes; binds from
    /// New-ChamiReservation's output.
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("ReservationKey")]
    public string[]? DeputyKey { get; set; }

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
                    services.Power.EnsureMayChange(target.Xname, KeyFor(target.Xname)); // locks and reservations
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

    private string? KeyFor(string xname) =>
        DeputyKey?.FirstOrDefault(k => string.Equals(Core.Locks.LockService.IdOfKey(k), xname, StringComparison.OrdinalIgnoreCase));

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
