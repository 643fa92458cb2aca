using System.Management.Automation;
using OpenChami.Core.Model;
using OpenChami.Core.Subscriptions;
using OpenChami.PowerShell.Completers;
using OpenChami.PowerShell.Infrastructure;

namespace OpenChami.PowerShell.Commands.Subscription;

/// <summary>
/// Subscribes a URL to state-change notifications (SMD's <c>POST /Subscriptions/SCN</c>): it receives an HTTP POST when a
/// component's State or Flag changes to one of <c>-State</c>, its Role/SubRole to one of <c>-Role</c>/<c>-SubRole</c>, its
/// SoftwareStatus to one of <c>-SoftwareStatus</c>, or (with <c>-Enabled</c>) its Enabled flag changes.
/// </summary>
[Cmdlet(VerbsCommon.New, "ChamiSubscription", SupportsShouldProcess = true)]
[OutputType(typeof(ScnSubscription))]
public sealed class NewChamiSubscriptionCommand : ChamiCmdletBase
{
    /// <summary>Who subscribes (free text, e.g. <c>slurm@head1</c>); with the URL it must be unique.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    public string Subscriber { get; set; } = string.Empty;

    /// <summary>Where notifications are POSTed: an absolute http or https URL.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    public string Url { get; set; } = string.Empty;

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("States")]
    [ArgumentCompleter(typeof(EnumCompleter<HmsState>))]
    public string[]? State { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("Roles")]
    public string[]? Role { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("SubRoles")]
    public string[]? SubRole { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string[]? SoftwareStatus { get; set; }

    /// <summary>Also notify when a component is enabled or disabled.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public SwitchParameter Enabled { get; set; }

    protected override void ProcessRecord()
    {
        if (!ShouldProcess($"{Subscriber} → {Url}", "Subscribe to state changes")) return;
        TryItem(() => WriteObject(Services.Subscriptions.Create(new ScnSubscriptionInput
        {
            Subscriber = Subscriber,
            Url = Url,
            States = State?.ToList(),
            Roles = Role?.ToList(),
            SubRoles = SubRole?.ToList(),
            SoftwareStatus = SoftwareStatus?.ToList(),
            Enabled = Enabled ? true : null,
        })), Subscriber);
    }
}
