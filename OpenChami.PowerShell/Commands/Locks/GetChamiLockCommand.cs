using System.Management.Automation;
using OpenChami.Core.Locks;
using OpenChami.PowerShell.Completers;
using OpenChami.PowerShell.Infrastructure;

namespace OpenChami.PowerShell.Commands.Locks;

/// <summary>
/// Shows the lock state of components (SMD's <c>/locks/status</c>): Locked, Reserved (with the reservation's creation and
/// expiration time; keys are never shown) and ReservationDisabled.
/// </summary>
[Cmdlet(VerbsCommon.Get, "ChamiLock")]
[OutputType(typeof(ComponentLockStatus))]
public sealed class GetChamiLockCommand : ChamiCmdletBase
{
    private readonly List<string> requested = [];

    /// <summary>Components to show; every component when omitted.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("ID")]
    [ArgumentCompleter(typeof(XnameCompleter))]
    public string[]? Xname { get; set; }

    /// <summary>Only locked components.</summary>
    [Parameter]
    public SwitchParameter Locked { get; set; }

    /// <summary>Only components with a valid reservation.</summary>
    [Parameter]
    public SwitchParameter Reserved { get; set; }

    protected override void ProcessRecord() => requested.AddRange(Xname ?? []);

    protected override void EndProcessing()
    {
        var selection = new LockSelection { Reserved = Reserved ? true : null };
        selection.ComponentIDs.AddRange(requested);
        if (Locked) selection.Query.Locked = true;
        TryItem(() =>
        {
            var status = Services.Locks.Status(selection);
            foreach (var missing in status.NotFound ?? [])
            {
                WriteChamiError(LockReasons.ToException(new LockFailure(missing, LockReasons.NotFound)), missing);
            }

            WriteObject(status.Components, enumerateCollection: true);
        });
    }
}
