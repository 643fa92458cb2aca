using System.Collections;
using System.Management.Automation;
using OpenChami.Core.Discovery;
using OpenChami.PowerShell.Infrastructure;

namespace OpenChami.PowerShell.Commands.Discovery;

/// <summary>
/// Discovers BMCs over Redfish and fills the inventory: probes the targets, logs into every BMC that answers
/// (Redfish session, else Basic), reads Systems, Managers and Chassis, and stores each BMC in one transaction
/// (RedfishEndpoint, NodeBMC and Node components, ComponentEndpoints, EthernetInterfaces). Safe to re-run:
/// unchanged BMCs write nothing and report Unchanged. One DiscoveryResult per BMC; a BMC that fails is reported
/// with its reason and never stops the others.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "ChamiDiscovery", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(DiscoveryResult), typeof(DiscoverySummary), typeof(Job))]
public sealed class InvokeChamiDiscoveryCommand : BmcTargetCmdletBase
{
    /// <summary>BMC credential for every target (overrides the stored one for this run; never written back).</summary>
    [Parameter]
    public PSCredential? Credential { get; set; }

    /// <summary>Per-target credentials: host, host:port, CIDR or 'default' → PSCredential. The most specific key wins.</summary>
    [Parameter]
    public Hashtable? CredentialMap { get; set; }

    /// <summary>BMC names: a hashtable or a JSON/CSV file mapping BMC IP, IP:port, MAC or serial → BMC xname.</summary>
    [Parameter]
    public object? XnameMap { get; set; }

    /// <summary>Upper bound for one BMC's whole walk in seconds (default 120).</summary>
    [Parameter]
    [ValidateRange(1, 3600)]
    public int BmcTimeoutSec { get; set; } = 120;

    /// <summary>Return one DiscoverySummary (with every result inside) instead of one result per BMC.</summary>
    [Parameter]
    public SwitchParameter Summary { get; set; }

    /// <summary>Also re-discover every RedfishEndpoint already in the inventory (at its FQDN, host:port kept).</summary>
    [Parameter]
    public SwitchParameter KnownEndpoints { get; set; }

    /// <summary>Run as a background job (Get-Job, Receive-Job, Stop-Job).</summary>
    [Parameter]
    public SwitchParameter AsJob { get; set; }

    protected override void EndProcessing()
    {
        if (KnownEndpoints)
        {
            var known = Services.RedfishEndpoints.Query().Select(e => e.FQDN).Where(f => !string.IsNullOrWhiteSpace(f)).ToArray();
            if (known.Length > 0) AddTargets(known, Scheme);
        }
        var targets = ResolveTargets();
        var options = BaseOptions();
        options.BmcTimeout = TimeSpan.FromSeconds(BmcTimeoutSec);
        options.Credentials = BuildCredentials(Credential, CredentialMap);
        options.XnameMap = BuildXnameMap(XnameMap);

        var description = targets.Count == 1 ? targets[0].ToString() : $"{targets.Count} targets";
        var whatIf = MyInvocation.BoundParameters.ContainsKey("WhatIf");
        if (!ShouldProcess($"{description} into {Services.Store.Location}", "Discover BMCs and store their inventory"))
        {
            if (!whatIf) return; // declined at -Confirm
            options.Preview = true; // -WhatIf: walk and plan for real, write nothing, report what would change
        }

        var discovery = Services.Discovery;
        if (AsJob)
        {
            var job = new DiscoveryJob(MyInvocation.Line, discovery, targets, options, Summary);
            JobRepository.Add(job);
            job.Start();
            WriteObject(job);
            return;
        }

        var summary = Pump(
            (emit, token) => discovery.DiscoverAsync(targets, options, r => emit(r), p => emit(p), token),
            e =>
            {
                switch (e)
                {
                    case DiscoveryProgress p:
                        WriteProgress(Progress(2, "Invoke-ChamiDiscovery", p));
                        break;
                    case DiscoveryResult r:
                        if (r.WhatIf) WriteWhatIf(r);
                        if (!Summary) WriteObject(r);
                        break;
                }
            });
        WriteProgress(new ProgressRecord(2, "Invoke-ChamiDiscovery", "done") { RecordType = ProgressRecordType.Completed });
        WriteInformation(new InformationRecord(summary.ToString(), "Invoke-ChamiDiscovery") { Tags = { "Summary" } });
        WriteVerbose(summary.ToString());
        if (Summary) WriteObject(summary);
    }

    private void WriteWhatIf(DiscoveryResult r)
    {
        var changes = r.Changes.Count == 0 ? "no change" : string.Join("; ", r.Changes);
        Host.UI.WriteLine($"What if: {r.Address}:{r.Port} → {r.Xname ?? "(no xname)"} {r.Status}: {changes}");
    }
}
