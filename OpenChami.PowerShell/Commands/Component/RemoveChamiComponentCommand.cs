using System.Management.Automation;
using OpenChami.PowerShell.Completers;
using OpenChami.PowerShell.Infrastructure;
using CoreComponent = OpenChami.Core.Model.Component;

namespace OpenChami.PowerShell.Commands.Component;

/// <summary>Deletes components and their group and partition memberships.</summary>
[Cmdlet(VerbsCommon.Remove, "ChamiComponent", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(CoreComponent))]
public sealed class RemoveChamiComponentCommand : RemoveCmdletBase
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("ID")]
    [ArgumentCompleter(typeof(XnameCompleter))]
    public string Xname { get; set; } = string.Empty;

    protected override void ProcessRecord() =>
        RemoveItem(Xname, "Remove component", () =>
        {
            // A component that isn't there is an error under -WhatIf too, as in the real run.
            var component = Services.Components.Get(Core.Xnames.Xname.Parse(Xname));
            return $"{component.ID} ({component.Type})";
        }, () => Services.Components.Delete(Xname));
}
