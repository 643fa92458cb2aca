using System.Management.Automation;
using OpenChami.Core.Boot;
using OpenChami.PowerShell.Completers;
using OpenChami.PowerShell.Infrastructure;

namespace OpenChami.PowerShell.Commands.Boot;

/// <summary>Removes boot configurations; the nodes they selected boot from the next best one (or get the retry script).</summary>
[Cmdlet(VerbsCommon.Remove, "ChamiBootConfig", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(BootConfiguration))]
public sealed class RemoveChamiBootConfigCommand : ChamiCmdletBase
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(BootConfigCompleter))]
    public string Name { get; set; } = string.Empty;

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        if (!ShouldProcess(Name, "Remove boot configuration")) return;
        TryItem(() =>
        {
            var config = Services.BootConfigurations.GetByName(Name);
            Services.BootConfigurations.Delete(config.Uid);
            if (PassThru) WriteObject(config);
        }, Name);
    }
}
