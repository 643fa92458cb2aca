using System.Management.Automation;
using OpenChami.Core.Security;
using OpenChami.PowerShell.Infrastructure;

namespace OpenChami.PowerShell.Commands.Security;

/// <summary>Issues a bearer token (JWT) for HTTP clients, signed with the key kept beside the current database.</summary>
[Cmdlet(VerbsCommon.New, "ChamiToken", SupportsShouldProcess = true)]
[OutputType(typeof(ChamiToken))]
public sealed class NewChamiTokenCommand : ChamiCmdletBase
{
    /// <summary>Who the token is for; recorded in the audit journal for every change made with it.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Subject { get; set; } = Environment.UserName;

    /// <summary>read: GET routes; write: also changes; admin: everything.</summary>
    [Parameter]
    [ValidateSet("Read", "Write", "Admin", IgnoreCase = true)]
    public string Scope { get; set; } = "Read";

    /// <summary>How long the token is valid (default one day).</summary>
    [Parameter]
    public TimeSpan ValidFor { get; set; } = TimeSpan.FromDays(1);

    protected override void ProcessRecord()
    {
        var scope = Enum.Parse<ChamiScope>(Scope, ignoreCase: true);
        if (!ShouldProcess($"{Subject} ({scope}, valid {ValidFor})", "Issue token")) return;
        TryItem(() => WriteObject(Services.Tokens.Issue(Subject, scope, ValidFor)), Subject);
    }
}
