using System.Management.Automation;
using OpenChami.Core.MetadataService;
using OpenChami.PowerShell.Completers;
using OpenChami.PowerShell.Infrastructure;

namespace OpenChami.PowerShell.Commands.CloudInit;

/// <summary>Removes cloud-init profiles; a profile that is another's parent stays until that one is removed or re-parented.</summary>
[Cmdlet(VerbsCommon.Remove, "ChamiCloudInitProfile", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(CloudInitProfileInfo))]
public sealed class RemoveChamiCloudInitProfileCommand : ChamiCmdletBase
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(CloudInitProfileCompleter))]
    public string Name { get; set; } = string.Empty;

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        if (!ShouldProcess(Name, "Remove cloud-init profile")) return;
        TryItem(() =>
        {
            var profile = Services.Metadata.Profiles.GetProfile(Name);
            Services.Metadata.Profiles.RemoveProfile(Name);
            if (PassThru) WriteObject(profile);
        }, Name);
    }
}
