using System.Management.Automation;
using OpenChami.Core.Boot;
using OpenChami.PowerShell.Completers;
using OpenChami.PowerShell.Infrastructure;

namespace OpenChami.PowerShell.Commands.Boot;

/// <summary>Changes boot configurations: only the parameters given; a selector parameter replaces that whole list.</summary>
[Cmdlet(VerbsCommon.Set, "ChamiBootConfig", SupportsShouldProcess = true)]
[OutputType(typeof(BootConfiguration))]
public sealed class SetChamiBootConfigCommand : ChamiCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(BootConfigCompleter))]
    public string Name { get; set; } = string.Empty;

    [Parameter]
    public string? NewName { get; set; }

    [Parameter]
    public string? Kernel { get; set; }

    [Parameter]
    public string? Initrd { get; set; }

    [Parameter]
    public string? Params { get; set; }

    [Parameter]
    [Alias("Hosts", "Xname")]
    [ArgumentCompleter(typeof(XnameCompleter))]
    public new string[]? Host { get; set; }

    /// <summary>Binds by property name (a Node's MacAddress); a piped configuration carries Macs, which does not bind.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("MAC")]
    public string[]? MacAddress { get; set; }

    [Parameter]
    [Alias("Nids")]
    public long[]? Nid { get; set; }

    [Parameter]
    [Alias("Groups")]
    [ArgumentCompleter(typeof(GroupCompleter))]
    public string[]? Group { get; set; }

    [Parameter]
    [ValidateRange(0, 100)]
    public int? Priority { get; set; }

    [Parameter]
    public string? Profile { get; set; }

    [Parameter]
    public string? Arch { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        if (!ShouldProcess(Name, "Change boot configuration")) return;
        TryItem(() =>
        {
            var config = Services.BootConfigurations.GetByName(Name);
            var updated = Services.BootConfigurations.Update(config.Uid, spec =>
            {
                if (Kernel is not null) spec.Kernel = Kernel;
                if (Initrd is not null) spec.Initrd = Initrd;
                if (Params is not null) spec.Params = Params;
                if (Host is not null) spec.Hosts = [.. Host];
                if (MacAddress is not null) spec.Macs = [.. MacAddress];
                if (Nid is not null) spec.Nids = [.. Nid];
                if (Group is not null) spec.Groups = [.. Group];
                if (Priority is { } priority) spec.Priority = priority;
                if (Profile is not null) spec.Profile = Profile;
                if (Arch is not null) spec.Arch = Arch;
            }, NewName);
            if (PassThru) WriteObject(updated);
        }, Name);
    }
}
