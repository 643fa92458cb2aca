using System.Management.Automation;
using OpenChami.Core.MetadataService;
using OpenChami.PowerShell.Completers;
using OpenChami.PowerShell.Infrastructure;

namespace OpenChami.PowerShell.Commands.CloudInit;

/// <summary>
/// Gets cloud-init profiles (metadata-service <c>/profiles</c>): named variants of a group's meta-data and template that
/// apply to the group's members until they expire. Expired profiles are listed too, with Active = False.
/// </summary>
[Cmdlet(VerbsCommon.Get, "ChamiCloudInitProfile")]
[OutputType(typeof(CloudInitProfileInfo))]
public sealed class GetChamiCloudInitProfileCommand : ChamiCmdletBase
{
    /// <summary>Profile names; wildcards allowed. All profiles when omitted.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(CloudInitProfileCompleter))]
    public string[]? Name { get; set; }

    /// <summary>Only the profiles of this group.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(CloudInitGroupCompleter))]
    public string? Group { get; set; }

    protected override void ProcessRecord()
    {
        var profiles = Services.Metadata.Profiles.GetProfiles().Where(p => Group is null || string.Equals(p.Group, Group.Trim(), StringComparison.OrdinalIgnoreCase)).ToList();
        if (Name is null or { Length: 0 })
        {
            foreach (var profile in profiles) WriteObject(profile);
            return;
        }
        foreach (var name in Name)
        {
            if (WildcardPattern.ContainsWildcardCharacters(name))
            {
                var pattern = new WildcardPattern(name, WildcardOptions.IgnoreCase);
                foreach (var profile in profiles.Where(p => pattern.IsMatch(p.Name))) WriteObject(profile);
                continue;
            }
            TryItem(() => WriteObject(Services.Metadata.Profiles.GetProfile(name)), name);
        }
    }
}
