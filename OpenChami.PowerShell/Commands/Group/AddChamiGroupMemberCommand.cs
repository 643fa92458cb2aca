using System.Management.Automation;
using OpenChami.PowerShell.Completers;
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
public sealed class AddChamiGroupMemberCommand : ChamiCmdletBase
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Label")]
    [ArgumentCompleter(typeof(GroupCompleter))]
    public string Name { get; set; } = string.Empty;

    [Parameter(Mandatory = true, Position = 1, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("ID")]
    [ArgumentCompleter(typeof(XnameCompleter))]
    public string[] Xname { get; set; } = [];

    /// <summary>Write the group, with its whole member list, after each change (reading the list costs O(group size); the change itself does not).</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var xname in Xname)
        {
            if (!ShouldProcess($"{xname} -> group {Name}", "Add group member")) continue;
            TryItem(() =>
            {
                Services.Groups.AddMember(Name, xname);
                // The group with its members only when asked for: reading every member is O(group size) per call.
                if (PassThru) WriteObject(Services.Groups.Get(Name));
            }, xname);
        }
    }
}
