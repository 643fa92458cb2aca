using System.Management.Automation;
using OpenChami.Core.Discovery;
using OpenChami.PowerShell.Infrastructure;

namespace OpenChami.PowerShell.Commands.Discovery;

/// <summary>
/// Scans for Redfish BMCs without logging in or writing anything: a TCP connect, then an unauthenticated
/// GET /redfish/v1/. Returns what answered (with -All, every target and why it did not).
/// Pipe the result into Invoke-ChamiDiscovery to discover exactly those BMCs.
/// </summary>
[Cmdlet(VerbsCommon.Find, "ChamiBmc")]
[OutputType(typeof(BmcProbeResult))]
public sealed class FindChamiBmcCommand : BmcTargetCmdletBase
{
    /// <summary>Also return targets that did not answer as Redfish (closed, not Redfish, timeout, TLS error).</summary>
    [Parameter]
    public SwitchParameter All { get; set; }

    protected override void EndProcessing()
    {
        var targets = ResolveTargets();
        var options = BaseOptions();
        var discovery = Services.Discovery;
        Pump<IReadOnlyList<BmcProbeResult>>(
            (emit, token) => discovery.ScanAsync(targets, options, r => { if (All || r.IsRedfish) emit(r); }, p => emit(p), All, token),
            e =>
            {
                if (e is DiscoveryProgress p) WriteProgress(Progress(1, "Find-ChamiBmc", p));
                else WriteObject(e);
            });
        WriteProgress(new ProgressRecord(1, "Find-ChamiBmc", "done") { RecordType = ProgressRecordType.Completed });
    }
}
