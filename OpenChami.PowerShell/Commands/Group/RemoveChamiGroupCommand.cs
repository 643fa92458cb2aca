using System.Management.Automation;
using OpenChami.PowerShell.Completers;
using OpenChami.PowerShell.Infrastructure;
using CoreGroup = OpenChami.Core.Model.Group;

namespace OpenChami.PowerShell.Commands.Group;

/// <summary>Deletes groups; their member components are kept.</summary>
[Cmdlet(VerbsCommon.Remove, "ChamiGroup", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(CoreGroup))]
public sealed class RemoveChamiGroupCommand : RemoveCmdletBase
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Label")]
    [ArgumentCompleter(typeof(GroupCompleter))]
    public string[] Name { get; set; } = [];

    protected override void ProcessRecord()
    {
        foreach (var name in Name)
        {
            RemoveItem(name, "Remove group", () =>
            {
                var group = Services.Groups.Get(name);
                Services.Groups.Delete(name);
                return group;
            });
        }
    }
}
