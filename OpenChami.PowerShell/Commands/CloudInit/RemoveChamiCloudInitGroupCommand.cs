using System.Management.Automation;
using OpenChami.Core.CloudInit;
using OpenChami.PowerShell.Completers;
using OpenChami.PowerShell.Infrastructure;

namespace OpenChami.PowerShell.Commands.CloudInit;

/// <summary>Removes cloud-init groups (the SMD groups and their members are not touched; members then get an empty cloud-config).</summary>
[Cmdlet(VerbsCommon.Remove, "ChamiCloudInitGroup", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(CloudInitGroup))]
public sealed class RemoveChamiCloudInitGroupCommand : RemoveCmdletBase
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(CloudInitGroupCompleter))]
    public string Name { get; set; } = string.Empty;

    protected override void ProcessRecord() =>
        RemoveItem(Name, "Remove cloud-init group", () =>
        {
            var group = Services.CloudInit.GetGroup(Name);
            Services.CloudInit.RemoveGroup(Name);
            return group;
        });
}
