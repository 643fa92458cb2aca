using System.Management.Automation;
using OpenChami.Core.CloudInit;
using OpenChami.PowerShell.Completers;
using OpenChami.PowerShell.Infrastructure;

namespace OpenChami.PowerShell.Commands.CloudInit;

/// <summary>Gets cloud-init groups: the cloud-config and meta-data served to members of the SMD group of the same name.</summary>
[Cmdlet(VerbsCommon.Get, "ChamiCloudInitGroup")]
[OutputType(typeof(CloudInitGroup))]
public sealed class GetChamiCloudInitGroupCommand : ChamiCmdletBase
{
    /// <summary>Group names; wildcards allowed. All groups when omitted.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(CloudInitGroupCompleter))]
    public string[]? Name { get; set; }

    protected override void ProcessRecord()
    {
        var groups = Services.CloudInit.GetGroups();
        if (Name is null or { Length: 0 })
        {
            foreach (var group in groups) WriteObject(group);
            return;
        }
        foreach (var name in Name)
        {
            if (WildcardPattern.ContainsWildcardCharacters(name))
            {
                var pattern = new WildcardPattern(name, WildcardOptions.IgnoreCase);
                foreach (var group in groups.Where(g => pattern.IsMatch(g.Name))) WriteObject(group);
                continue;
            }
            TryItem(() => WriteObject(Services.CloudInit.GetGroup(name)), name);
        }
    }
}
