using System.Management.Automation;
using OpenChami.Core.Power;

namespace OpenChami.PowerShell.Infrastructure;

/// <summary>A power fan-out running in the background of the session (<c>-AsJob</c>); results arrive with Receive-Job.</summary>
public sealed class ChamiPowerJob : Job
{
    private readonly PowerRun run;
    private readonly CancellationTokenSource stop = new();
    private int done;

    public ChamiPowerJob(PowerRun run, string command)
        : base(command, $"Power{run.Action}")
    {
        this.run = run;
        PSJobTypeName = "ChamiPowerJob";
    }

    public override string StatusMessage => $"{Volatile.Read(ref done)}/{run.Count} components done";

    public override bool HasMoreData => Output.Count > 0 || Error.Count > 0 || Progress.Count > 0;

    public override string Location => "localhost";

    public void Start()
    {
        SetJobState(JobState.Running);
        _ = Task.Run(async () =>
        {
            var failed = false;
            try
            {
                await run.ExecuteAsync(result =>
                {
                    lock (Output)
                    {
                        var n = Interlocked.Increment(ref done);
                        Output.Add(PSObject.AsPSObject(result));
                        if (result.Status != PowerActionStatus.Succeeded)
                        {
                            failed = true;
                            Error.Add(PowerRun.ToErrorRecord(result));
                        }

                        Progress.Add(new ProgressRecord(1, $"{run.Action} on {run.Count} component(s)", $"{n}/{run.Count} done")
                        {
                            PercentComplete = n * 100 / run.Count,
                        });
                    }
                }, stop.Token).ConfigureAwait(false);
                SetJobState(failed ? JobState.Failed : JobState.Completed);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                SetJobState(JobState.Stopped);
            }
            catch (Exception ex)
            {
                Error.Add(new ErrorRecord(ex, "PowerJobFailed", ErrorCategory.NotSpecified, null));
                SetJobState(JobState.Failed);
            }
        });
    }

    public override void StopJob()
    {
        stop.Cancel();
        if (!IsFinishedState(JobStateInfo.State)) SetJobState(JobState.Stopping);
    }

    private static bool IsFinishedState(JobState state) =>
        state is JobState.Completed or JobState.Failed or JobState.Stopped;

    protected override void Dispose(bool disposing)
    {
        if (disposing) stop.Dispose();
        base.Dispose(disposing);
    }
}
