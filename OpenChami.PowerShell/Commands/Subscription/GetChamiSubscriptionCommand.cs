using System.Management.Automation;
using OpenChami.Core.Subscriptions;
using OpenChami.PowerShell.Infrastructure;

namespace OpenChami.PowerShell.Commands.Subscription;

/// <summary>Lists state-change notification subscriptions (SMD's <c>GET /Subscriptions/SCN</c>), or the ones with the IDs given.</summary>
[Cmdlet(VerbsCommon.Get, "ChamiSubscription")]
[OutputType(typeof(ScnSubscription))]
public sealed class GetChamiSubscriptionCommand : ChamiCmdletBase
{
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    public string[]? ID { get; set; }

    protected override void ProcessRecord()
    {
        if (ID is not { Length: > 0 })
        {
            WriteObject(Services.Subscriptions.List(), enumerateCollection: true);
            return;
        }

        foreach (var id in ID) TryItem(() => WriteObject(Services.Subscriptions.Get(id)), id);
    }
}
