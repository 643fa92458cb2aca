using System.Management.Automation;
using OpenChami.Core.Boot;
using OpenChami.Core.Errors;
using OpenChami.PowerShell.Completers;
using OpenChami.PowerShell.Infrastructure;

namespace OpenChami.PowerShell.Commands.Boot;

/// <summary>Gets boot configurations: what /boot-service, /boot/v1 and the boot cmdlets all read (spec/boot-service.md §6).</summary>
[Cmdlet(VerbsCommon.Get, "ChamiBootConfig", DefaultParameterSetName = NameSet)]
[OutputType(typeof(BootConfiguration))]
public sealed class GetChamiBootConfigCommand : ChamiCmdletBase
{
    private const string NameSet = "Name";
    private const string UidSet = "Uid";

    /// <summary>Configuration names; wildcards allowed. Every configuration when omitted.</summary>
    [Parameter(Position = 0, ParameterSetName = NameSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(BootConfigCompleter))]
    public string[]? Name { get; set; }

    /// <summary>Configuration uids (<c>bootconfiguration-xxxxxxxx</c>).</summary>
    [Parameter(Mandatory = true, ParameterSetName = UidSet, ValueFromPipelineByPropertyName = true)]
    public string[]? Uid { get; set; }

    protected override void ProcessRecord()
    {
        if (ParameterSetName == UidSet)
        {
            foreach (var uid in Uid ?? [])
            {
                TryItem(() => WriteObject(Services.BootConfigurations.Document(uid)
                    ?? throw ChamiException.NotFound("BootConfigurationNotFound", $"no boot configuration with uid '{uid}'", uid)), uid);
            }
            return;
        }
        if (Name is null or { Length: 0 })
        {
            foreach (var config in Services.BootConfigurations.Documents()) WriteObject(config);
            return;
        }
        foreach (var name in Name)
        {
            TryItem(() =>
            {
                IReadOnlyList<BootConfiguration> found = WildcardPattern.ContainsWildcardCharacters(name)
                    ? Services.BootConfigurations.Find(name) : [Services.BootConfigurations.GetByName(name)];
                foreach (var config in found) WriteObject(config);
            }, name);
        }
    }
}
