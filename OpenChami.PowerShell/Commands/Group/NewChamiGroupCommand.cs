using System.Management.Automation;
using OpenChami.Core.Inventory;
using OpenChami.Core.Model;
using OpenChami.PowerShell.Completers;
using OpenChami.PowerShell.Infrastructure;
using CoreGroup = OpenChami.Core.Model.Group;

namespace OpenChami.PowerShell.Commands.Group;

/// <summary>
/// Creates an SMD group, optionally with members (which must exist as components) and an exclusive-group
/// name (a component may be in only one group of the same exclusive group). All or nothing.
/// </summary>
[Cmdlet(VerbsCommon.New, "ChamiGroup", SupportsShouldProcess = true)]
[OutputType(typeof(CoreGroup))]
public sealed class NewChamiGroupCommand : ChamiCmdletBase
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Label")]
    public string Name { get; set; } = string.Empty;

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? Description { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("Tags")]
    public string[]? Tag { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? ExclusiveGroup { get; set; }

    /// <summary>Xnames of the initial members.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("Members")]
    [ArgumentCompleter(typeof(XnameCompleter))]
    public string[]? Member { get; set; }

    protected override void ProcessRecord()
    {
        TryItem(() =>
        {
            var input = new CoreGroup
            {
                Label = Name,
                Description = Description ?? string.Empty,
                ExclusiveGroup = ExclusiveGroup,
                Tags = PipelineValues.SplitList(Tag).ToList(),
                Members = new MemberList { Ids = PipelineValues.SplitList(Member).ToList() },
            };
            var prepared = GroupService.Prepare(input);
            var members = prepared.Members.Ids.Count == 0 ? "no members" : $"{prepared.Members.Ids.Count} member(s)";
            if (ShouldProcess($"{prepared.Label} ({members})", "Create group"))
            {
                WriteObject(Services.Groups.Create(input));
            }
        }, Name);
    }
}
