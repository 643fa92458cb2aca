using System.Management.Automation;
using OpenChami.Core.Boot;
using OpenChami.Core.Resources;
using OpenChami.PowerShell.Completers;
using OpenChami.PowerShell.Infrastructure;

namespace OpenChami.PowerShell.Commands.Boot;

/// <summary>
/// Creates a boot configuration: a named kernel, initrd and command line for the nodes its selectors match (hosts with
/// globs, MACs, NIDs, groups; none = every node), ranked by score then priority (spec/boot-service.md §5).
/// </summary>
[Cmdlet(VerbsCommon.New, "ChamiBootConfig", SupportsShouldProcess = true)]
[OutputType(typeof(BootConfiguration))]
public sealed class NewChamiBootConfigCommand : ChamiCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    public string Name { get; set; } = string.Empty;

    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    public string Kernel { get; set; } = string.Empty;

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? Initrd { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? Params { get; set; }

    /// <summary>Node xnames, globs (<c>x1000c0s*</c>, <c>*</c>) or BSS tags (a role such as <c>Compute</c>, <c>Default</c>).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("Hosts", "Xname")]
    [ArgumentCompleter(typeof(XnameCompleter))]
    public new string[]? Host { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("MAC", "Macs")]
    public string[]? MacAddress { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("Nids")]
    public long[]? Nid { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("Groups")]
    [ArgumentCompleter(typeof(GroupCompleter))]
    public string[]? Group { get; set; }

    /// <summary>0–100: breaks ties between configurations of equal score (higher wins).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateRange(0, 100)]
    public int Priority { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? Profile { get; set; }

    /// <summary>iPXE build architecture this configuration is for (x86_64, arm64); any when omitted.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? Arch { get; set; }

    protected override void ProcessRecord()
    {
        if (!ShouldProcess(Name, "Create boot configuration")) return;
        TryItem(() =>
        {
            var spec = new BootConfigurationSpec
            {
                Kernel = Kernel, Initrd = Initrd, Params = Params, Hosts = Host?.ToList(), Macs = MacAddress?.ToList(), Nids = Nid?.ToList(),
                Groups = Group?.ToList(), Priority = Priority, Profile = Profile, Arch = Arch,
            };
            var created = Services.BootConfigurations.Create(new ResourceMetadata { Name = Name }, spec);
            WriteObject(Services.BootConfigurations.Document(created.Metadata.Uid));
        }, Name);
    }
}
