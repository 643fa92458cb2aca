using System.Management.Automation;
using OpenChami.Core.Inventory;
using OpenChami.PowerShell.Completers;
using OpenChami.PowerShell.Infrastructure;
using CoreGroup = OpenChami.Core.Model.Group;

namespace OpenChami.PowerShell.Commands.Group;

/// <summary>Changes a group's description and/or tags (tags are replaced). Members change with Add/Remove-ChamiGroupMember.</summary>
[Cmdlet(VerbsCommon.Set, "ChamiGroup", SupportsShouldProcess = true)]
[OutputType(typeof(CoreGroup))]
public sealed class SetChamiGroupCommand : ChamiCmdletBase
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Label")]
    [ArgumentCompleter(typeof(GroupCompleter))]
    public string Name { get; set; } = string.Empty;

    [Parameter]
    public string? Description { get; set; }

    /// <summary>The new tag list (replaces the old one; an empty array clears it).</summary>
    [Parameter]
    [AllowEmptyCollection]
    public string[]? Tag { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        var patch = new GroupPatch { Description = Description, Tags = Tag is null ? null : PipelineValues.SplitList(Tag).ToList() };
        if (!ShouldProcess(Name, "Set group")) return;
        TryItem(() =>
        {
            Services.Groups.Update(Name, patch);
            // The group with its members only when asked for (reading them is O(group size)).
            if (PassThru) WriteObject(Services.Groups.Get(Name));
        }, Name);
    }
}
