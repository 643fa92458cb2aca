using System.Management.Automation;
using OpenChami.PowerShell.Completers;
using OpenChami.PowerShell.Infrastructure;
using CoreGroup = OpenChami.Core.Model.Group;

namespace OpenChami.PowerShell.Commands.Group;

/// <summary>Removes components from a group (the components themselves are kept).</summary>
[Cmdlet(VerbsCommon.Remove, "ChamiGroupMember", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(CoreGroup))]
public sealed class RemoveChamiGroupMemberCommand : ChamiCmdletBase
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Label")]
    [ArgumentCompleter(typeof(GroupCompleter))]
    public string Name { get; set; } = string.Empty;

    [Parameter(Mandatory = true, Position = 1, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("ID")]
    [ArgumentCompleter(typeof(XnameCompleter))]
    public string[] Xname { get; set; } = [];

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var xname in Xname)
        {
            if (!ShouldProcess($"{xname} from group {Name}", "Remove group member")) continue;
            TryItem(() =>
            {
                Services.Groups.RemoveMember(Name, xname);
                // The group with its members only when asked for: reading every member is O(group size) per call.
                if (PassThru) WriteObject(Services.Groups.Get(Name));
            }, xname);
        }
    }
}
