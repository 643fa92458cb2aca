using System.Management.Automation;
using OpenChami.Core.Inventory;
using OpenChami.Core.Model;
using OpenChami.PowerShell.Completers;
using OpenChami.PowerShell.Infrastructure;
using CorePartition = OpenChami.Core.Model.Partition;

namespace OpenChami.PowerShell.Commands.Partition;

/// <summary>Creates a partition (<c>p1</c>, <c>p1.2</c>) with optional members; a component may be in only one partition.</summary>
[Cmdlet(VerbsCommon.New, "ChamiPartition", SupportsShouldProcess = true)]
[OutputType(typeof(CorePartition))]
public sealed class NewChamiPartitionCommand : ChamiCmdletBase
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    public string Name { get; set; } = string.Empty;

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? Description { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("Tags")]
    public string[]? Tag { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("Members")]
    [ArgumentCompleter(typeof(XnameCompleter))]
    public string[]? Member { get; set; }

    protected override void ProcessRecord()
    {
        TryItem(() =>
        {
            var input = new CorePartition
            {
                Name = Name,
                Description = Description,
                Tags = PipelineValues.SplitList(Tag).ToList(),
                Members = new MemberList { Ids = PipelineValues.SplitList(Member).ToList() },
            };
            var prepared = PartitionService.Prepare(input);
            if (ShouldProcess($"{prepared.Name} ({prepared.Members.Ids.Count} member(s))", "Create partition"))
            {
                WriteObject(Services.Partitions.Create(input));
            }
        }, Name);
    }
}
