using System.Management.Automation;
using OpenChami.Core.Boot;
using OpenChami.Core.Errors;
using OpenChami.PowerShell.Completers;
using OpenChami.PowerShell.Infrastructure;

namespace OpenChami.PowerShell.Commands.Boot;

/// <summary>
/// Removes stored boot parameters (every architecture variant unless -Arch is given). Everything the
/// pipeline names is removed in one transaction; if one of them has no parameters, nothing is removed.
/// </summary>
[Cmdlet(VerbsCommon.Remove, "ChamiBootParams", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = InputObjectSet)]
[OutputType(typeof(BootParamsEntry))]
public sealed class RemoveChamiBootParamsCommand : BootParamsCmdletBase
{
    private const string InputObjectSet = "InputObject";

    private bool exactArch;

    // By property name only (Get-ChamiNode | Remove-ChamiBootParams): whole objects piped in are -InputObject.
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = XnameSet, ValueFromPipelineByPropertyName = true)]
    [Alias("ID")]
    [ArgumentCompleter(typeof(XnameCompleter))]
    public override string[]? Xname { get; set; }

    /// <summary>Entries from Get-ChamiBootParams.</summary>
    [Parameter(Mandatory = true, ParameterSetName = InputObjectSet, ValueFromPipeline = true)]
    public BootParamsEntry[]? InputObject { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        if (ParameterSetName == InputObjectSet)
        {
            foreach (var entry in InputObject ?? []) Batch.Add(new BootIdentity(entry.Kind, entry.Value, entry.Arch));
            exactArch = true;
            return;
        }
        exactArch |= Arch is not null && !Unknown;
        AddSelectedToBatch();
    }

    protected override void EndProcessing()
    {
        RefuseBatchWithBadInputs("removed");
        var approved = Batch.DistinctBy(i => i.Key).Where(id => ShouldProcess(id.ToString(), "Remove boot parameters")).ToList();
        if (approved.Count == 0) return;
        try
        {
            var removed = Services.BootParams.Remove(approved, exactArch);
            if (PassThru) foreach (var entry in removed) WriteObject(entry);
        }
        catch (ChamiException ex)
        {
            ThrowChamiError(ex);
        }
    }
}
