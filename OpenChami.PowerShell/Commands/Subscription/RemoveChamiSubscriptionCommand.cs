using System.Management.Automation;
using OpenChami.PowerShell.Infrastructure;

namespace OpenChami.PowerShell.Commands.Subscription;

/// <summary>Removes state-change notification subscriptions by ID (SMD's <c>DELETE /Subscriptions/SCN/{id}</c>); pipe Get-ChamiSubscription to it.</summary>
[Cmdlet(VerbsCommon.Remove, "ChamiSubscription", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(Core.Subscriptions.ScnSubscription))]
public sealed class RemoveChamiSubscriptionCommand : RemoveCmdletBase
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[] ID { get; set; } = [];

    protected override void ProcessRecord()
    {
        foreach (var id in ID)
        {
            RemoveItem(id, "Remove subscription", () =>
            {
                var subscription = Services.Subscriptions.Get(id);
                return $"{subscription.ID} ({subscription.Subscriber} → {subscription.Url})";
            }, () =>
            {
                var subscription = Services.Subscriptions.Get(id);
                Services.Subscriptions.Delete(id);
                return subscription;
            });
        }
    }
}
