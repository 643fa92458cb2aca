using System.Management.Automation;
using OpenChami.PowerShell.Infrastructure;
using CoreGroup = OpenChami.Core.Model.Group;

namespace OpenChami.PowerShell.Commands.Group;

/// <summary>
/// Adds components to a group: <c>Get-ChamiNode x1000c0s* | Add-ChamiGroupMember -Name compute</c>.
/// Each component is its own change; a failing one (unknown xname, already a member, exclusive-group clash)
/// is a non-terminating error and the rest carry on.
/// </summary>
[Cmdlet(VerbsCommon.Add, "ChamiGroupMember", SupportsShouldProcess = true)]
[OutputType(typeof(CoreGroup))]
public sealed class AddChamiGroupMemberCommand : GroupMemberCmdletBase
{
    protected override void ProcessRecord() =>
        ChangeEachMember(xname => $"{xname} -> group {Name}", "Add group member", xname => Services.Groups.AddMember(Name, xname));
}
