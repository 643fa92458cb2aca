using System.Management.Automation;
using OpenChami.PowerShell.Completers;

namespace OpenChami.PowerShell.Infrastructure;

/// <summary>
/// Add- and Remove-ChamiGroupMember: a group, the components piped in, and one change per component (a failing one is
/// a non-terminating error and the rest carry on).
/// </summary>
public abstract class GroupMemberCmdletBase : ChamiCmdletBase
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

    /// <summary>Applies <paramref name="change"/> to each component approved under the description <paramref name="describe"/> gives it.</summary>
    protected void ChangeEachMember(Func<string, string> describe, string action, Action<string> change)
    {
        foreach (var xname in Xname)
        {
            if (!ShouldProcess(describe(xname), action)) continue;
            TryItem(() =>
            {
                change(xname);
                // The group with its members only when asked for: reading every member is O(group size) per call.
                if (PassThru) WriteObject(Services.Groups.Get(Name));
            }, xname);
        }
    }
}
