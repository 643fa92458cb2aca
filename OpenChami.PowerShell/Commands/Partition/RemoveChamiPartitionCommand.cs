using System.Management.Automation;
using OpenChami.PowerShell.Completers;
using OpenChami.PowerShell.Infrastructure;
using CorePartition = OpenChami.Core.Model.Partition;

namespace OpenChami.PowerShell.Commands.Partition;

/// <summary>Deletes partitions; their member components are kept.</summary>
[Cmdlet(VerbsCommon.Remove, "ChamiPartition", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(CorePartition))]
public sealed class RemoveChamiPartitionCommand : RemoveCmdletBase
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(PartitionCompleter))]
    public string[] Name { get; set; } = [];

    protected override void ProcessRecord()
    {
        foreach (var name in Name)
        {
            RemoveItem(name, "Remove partition", () =>
            {
                var partition = Services.Partitions.Get(name);
                Services.Partitions.Delete(name);
                return partition;
            });
        }
    }
}
