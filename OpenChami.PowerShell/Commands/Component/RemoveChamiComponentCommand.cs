using System.Management.Automation;
using OpenChami.PowerShell.Completers;
using OpenChami.PowerShell.Infrastructure;
using CoreComponent = OpenChami.Core.Model.Component;

namespace OpenChami.PowerShell.Commands.Component;

/// <summary>Deletes components and their group and partition memberships.</summary>
[Cmdlet(VerbsCommon.Remove, "ChamiComponent", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(CoreComponent))]
public sealed class RemoveChamiComponentCommand : ChamiCmdletBase
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("ID")]
    [ArgumentCompleter(typeof(XnameCompleter))]
    public string Xname { get; set; } = string.Empty;

    /// <summary>Write the removed component.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        TryItem(() =>
        {
            // A component that isn't there is an error under -WhatIf too, as in the real run.
            var component = Services.Components.Get(Core.Xnames.Xname.Parse(Xname));
            if (!ShouldProcess($"{component.ID} ({component.Type})", "Remove component")) return;
            var removed = Services.Components.Delete(Xname);
            if (PassThru) WriteObject(removed);
        }, Xname);
    }
}
