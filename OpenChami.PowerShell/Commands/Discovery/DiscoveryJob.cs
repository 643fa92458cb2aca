using System.Management.Automation;
using OpenChami.Core.Discovery;

namespace OpenChami.PowerShell.Commands.Discovery;

/// <summary>
/// Invoke-ChamiDiscovery -AsJob: the same Core run on the thread pool, visible to Get-Job, Receive-Job, Wait-Job
/// and Stop-Job (which cancels it like Ctrl+C). A Job subclass instead of Start-ThreadJob: no second runspace
/// re-importing the module, no credentials passed through $using:, and the job shares the session's database.
/// </summary>
public sealed class DiscoveryJob : Job
{
    private readonly DiscoveryService discovery;
    private readonly IReadOnlyList<DiscoveryTarget> targets;
    private readonly DiscoveryOptions options;
    private readonly bool summaryOnly;
    private readonly CancellationTokenSource stop = new();
    private string status = "Not started";

    internal DiscoveryJob(string command, DiscoveryService discovery, IReadOnlyList<DiscoveryTarget> targets, DiscoveryOptions options, bool summaryOnly)
        : base(command, "ChamiDiscovery")
    {
        this.discovery = discovery;
        this.targets = targets;
        this.options = options;
        this.summaryOnly = summaryOnly;
        PSJobTypeName = "ChamiDiscoveryJob";
    }

    /// <summary>The run's totals once it finished; null before.</summary>
    public DiscoverySummary? Result { get; private set; }

    public override string StatusMessage => status;

    public override bool HasMoreData => Output.Count > 0 || Error.Count > 0 || Progress.Count > 0 || Information.Count > 0;

    public override string Location => Environment.MachineName;

    internal void Start()
    {
        SetJobState(JobState.Running);
        _ = Task.Run(async () =>
        {
            try
            {
                var summary = await discovery.DiscoverAsync(targets, options,
                    r => { if (!summaryOnly) Output.Add(PSObject.AsPSObject(r)); },
                    p =>
                    {
                        status = $"{p.Completed} of {p.Total} targets, {p.Found} BMCs, {p.Failed} failed";
                        Progress.Add(new ProgressRecord(2, "Invoke-ChamiDiscovery", status) { PercentComplete = p.Total == 0 ? 100 : (int)(100L * p.Completed / p.Total) });
                    },
                    stop.Token).ConfigureAwait(false);
                Result = summary;
                status = summary.ToString();
                Information.Add(new InformationRecord(status, "Invoke-ChamiDiscovery") { Tags = { "Summary" } });
                if (summaryOnly) Output.Add(PSObject.AsPSObject(summary));
                SetJobState(summary.Cancelled ? JobState.Stopped : JobState.Completed);
            }
            catch (Exception e)
            {
                status = e.Message;
                var record = e is Core.Errors.ChamiException ce
                    ? Infrastructure.ChamiErrorMapping.ToErrorRecord(ce)
                    : new ErrorRecord(e, "DiscoveryJobFailed", ErrorCategory.NotSpecified, null);
                Error.Add(record);
                SetJobState(JobState.Failed);
            }
        });
    }

    public override void StopJob()
    {
        stop.Cancel();
        Finished.WaitOne(TimeSpan.FromSeconds(30)); // in-flight requests are cancelled; bounded anyway
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) stop.Dispose();
        base.Dispose(disposing);
    }
}
