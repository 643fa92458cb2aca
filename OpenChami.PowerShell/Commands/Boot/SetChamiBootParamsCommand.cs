using System.Management.Automation;
using OpenChami.Core.Boot;
using OpenChami.Core.Errors;
using OpenChami.PowerShell.Completers;
using OpenChami.PowerShell.Infrastructure;

namespace OpenChami.PowerShell.Commands.Boot;

/// <summary>
/// Sets the kernel, initrd and kernel command line nodes boot with, by xname (pipeline from
/// Get-ChamiNode), MAC, NID, group, role, Default or Unknown-&lt;arch&gt;. Only the given fields change;
/// a node without parameters of its own starts from what it boots today. Everything the pipeline
/// names is written in ONE transaction at the end: all of it, or (if any input is bad) none of it.
/// </summary>
[Cmdlet(VerbsCommon.Set, "ChamiBootParams", SupportsShouldProcess = true, DefaultParameterSetName = XnameSet)]
[OutputType(typeof(BootParamsEntry))]
public sealed class SetChamiBootParamsCommand : BootParamsCmdletBase
{
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = XnameSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("ID")]
    [ArgumentCompleter(typeof(XnameCompleter))]
    public override string[]? Xname { get; set; }

    /// <summary>Kernel URL (http, https, tftp...).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Kernel { get; set; }

    [Parameter]
    [AllowEmptyString]
    public string? Initrd { get; set; }

    /// <summary>Replaces the whole kernel command line.</summary>
    [Parameter]
    [AllowEmptyString]
    public string? Params { get; set; }

    /// <summary>Kernel arguments to add; <c>key=value</c> replaces any existing <c>key=...</c>.</summary>
    [Parameter]
    public string[]? AddParam { get; set; }

    /// <summary>Kernel arguments to remove: <c>key</c> removes <c>key</c> and <c>key=...</c>.</summary>
    [Parameter]
    public string[]? RemoveParam { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        AddSelectedToBatch();
    }

    protected override void EndProcessing()
    {
        RefuseBatchWithBadInputs("changed");
        if (Batch.Count == 0) return;
        // Accepted as BSS accepts it, but worth knowing: a non-Node xname boots only a component of that name.
        foreach (var warning in Batch.Select(id => id.HostWarning).OfType<string>().Distinct()) WriteWarning(warning);
        var edit = new BootParamsEdit { Kernel = Kernel, Initrd = Initrd, Params = Params };
        edit.AddParams.AddRange(AddParam ?? []);
        edit.RemoveParams.AddRange(RemoveParam ?? []);
        try
        {
            var approved = new List<BootIdentity>(Batch.Count);
            // Only a -WhatIf run reports from the preview; a real run reports what was written.
            var whatIf = MyInvocation.BoundParameters.TryGetValue("WhatIf", out var w) && ((SwitchParameter)w).IsPresent;
            var preview = Services.BootParams.Preview(Batch, edit, shadows: whatIf);
            foreach (var change in preview)
            {
                var description = Describe(change);
                if (ShouldProcess(description, description + " Continue?", "Set boot parameters")) approved.Add(change.Identity);
            }
            if (whatIf) WarnShadows(preview);
            if (approved.Count == 0) return;
            var applied = Services.BootParams.Apply(approved, edit);
            WriteVerbose($"Boot parameters of {applied.Count} identities written in one transaction.");
            WarnShadows(applied);
            if (PassThru) foreach (var change in applied) WriteObject(change.New);
        }
        catch (ChamiException ex)
        {
            ThrowChamiError(ex);
        }
    }

    /// <summary>At most this many per-node warnings; the rest are counted in one summary line (a Default write can outrank-check 100,000 nodes).</summary>
    internal const int MaxShadowWarnings = 20;

    /// <summary>One warning per node whose parameters come from a more specific entry than the one written.</summary>
    private void WarnShadows(IReadOnlyList<BootParamsChange> changes)
    {
        var shown = 0;
        var total = 0;
        foreach (var shadow in changes.SelectMany(c => c.Shadows))
        {
            total++;
            if (shown < MaxShadowWarnings)
            {
                WriteWarning(shadow.Message);
                shown++;
            }
        }
        if (total > shown)
        {
            WriteWarning($"... and {total - shown} more node(s) boot from a more specific entry than the one set; see Get-ChamiBootScript -Xname <node> for where a node's parameters come from.");
        }
    }

    /// <summary>Per identity: old → new kernel and command line (what -WhatIf prints).</summary>
    private static string Describe(BootParamsChange change)
    {
        var from = change.Old is not null ? string.Empty : change.InheritedFrom is { } source ? $" (inherits {source})" : " (new)";
        var kernel = change.OldKernel == change.New.Kernel || change.Basis is null
            ? $"kernel {change.New.Kernel}"
            : $"kernel {Show(change.OldKernel)} -> {change.New.Kernel}";
        return $"{change.Identity}{from}: {kernel}; params {Show(change.OldParams)} -> '{change.New.Params}'";
    }

    private static string Show(string value) => value.Length == 0 ? "(none)" : $"'{value}'";
}
