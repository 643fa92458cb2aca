using System.Management.Automation;
using OpenChami.Core.Power;
using OpenChami.PowerShell.Infrastructure;

namespace OpenChami.PowerShell.Commands.Power;

/// <summary>
/// Reads the live power state of components from their BMCs (Redfish PowerState). Without -Xname, every
/// component with power control in the inventory. A BMC that can't be reached gives PowerState undefined,
/// ManagementState unavailable and the reason in Error.
/// </summary>
[Cmdlet(VerbsCommon.Get, "ChamiPowerState")]
[OutputType(typeof(PowerStatus))]
public sealed class GetChamiPowerStateCommand : PowerCmdletBase
{
    private readonly List<string> xnames = [];
    private bool all = true;

    /// <summary>Components to read (all with power control when omitted).</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("ID")]
    [ArgumentCompleter(typeof(OpenChami.PowerShell.Completers.XnameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? Xname { get; set; }

    protected override void ProcessRecord()
    {
        if (Xname is null) return;
        all = false;
        foreach (var x in Xname)
        {
            if (OpenChami.Core.Xnames.Xname.TryParse(x, out var normalized, out _))
            {
                if (!xnames.Contains(normalized)) xnames.Add(normalized);
            }
            else
            {
                WriteChamiError(OpenChami.Core.Errors.ChamiException.Invalid("InvalidXname", $"'{x}' is not a valid xname.", x), x);
            }
        }
    }

    protected override void EndProcessing()
    {
        if (!all && xnames.Count == 0) return;
        var services = Services;
        try
        {
            var statuses = services.Power.GetStatusAsync(xnames, CallCredential, ThrottleLimit, StopToken, EngineOptions(services)).GetAwaiter().GetResult();
            foreach (var status in statuses) WriteObject(status);
        }
        catch (OperationCanceledException) when (StopToken.IsCancellationRequested)
        {
        }
    }
}
