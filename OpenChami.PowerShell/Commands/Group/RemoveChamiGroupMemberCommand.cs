using System.Management.Automation;
using OpenChami.PowerShell.Infrastructure;
using CoreGroup = OpenChami.Core.Model.Group;

namespace OpenChami.PowerShell.Commands.Group;

/// <summary>Removes components from a group (the components themselves are kept).</summary>
[Cmdlet(VerbsCommon.Remove, "ChamiGroupMember", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(CoreGroup))]
public sealed class RemoveChamiGroupMemberCommand : GroupMemberCmdletBase
{
    protected override void ProcessRecord() =>
        ChangeEachMember(xname => $"{xname} from group {Name}", "Remove group member", xname => Services.Groups.RemoveMember(Name, xname));
}
