using System.Management.Automation;
using OpenChami.Core.Errors;
using OpenChami.Core.Inventory;
using OpenChami.Core.Inventory.Import;
using OpenChami.PowerShell.Infrastructure;

namespace OpenChami.PowerShell.Commands.Inventory;

/// <summary>
/// Imports an inventory file into the current database in ONE transaction: ochami's nodes.yaml (current
/// bmcs/nodes format or the older per-node bmc_mac/bmc_ip format, YAML or JSON), a node CSV, or an
/// Export-ChamiInventory JSON file. Every problem of the file is reported first (a non-terminating error or a
/// warning with a stable id and the file position); bad elements are skipped as ochami does, and a file with a
/// structural error is not imported at all. Writes one ImportResult per object: Added, Updated or Unchanged,
/// so importing the same file twice reports only Unchanged the second time. -WhatIf reports the exact result
/// without writing.
/// </summary>
[Cmdlet(VerbsData.Import, "ChamiInventory", SupportsShouldProcess = true)]
[OutputType(typeof(ImportResult))]
public sealed class ImportChamiInventoryCommand : ChamiCmdletBase
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    public string Path { get; set; } = string.Empty;

    /// <summary>File format; by default from the extension (.yaml/.yml, .csv, .json).</summary>
    [Parameter]
    public InventoryFileFormat Format { get; set; } = InventoryFileFormat.Auto;

    protected override void ProcessRecord()
    {
        string path;
        try
        {
            path = SessionState.Path.GetResolvedProviderPathFromPSPath(Path, out _).Single();
        }
        catch (Exception ex) when (ex is ItemNotFoundException or System.Management.Automation.DriveNotFoundException or ProviderNotFoundException or InvalidOperationException)
        {
            WriteChamiError(ChamiException.NotFound("InventoryFileNotFound", $"Cannot find inventory file '{Path}'", Path));
            return;
        }

        const string activity = "Import-ChamiInventory";
        WriteProgress(new ProgressRecord(1, activity, $"Reading {path}") { PercentComplete = 0 });
        ParsedInventory parsed;
        try
        {
            parsed = InventoryImportService.ParseFile(path, Format);
        }
        catch (ChamiException ex)
        {
            WriteChamiError(ex, Path);
            return;
        }

        foreach (var problem in parsed.Problems)
        {
            if (problem.Severity == ImportProblemSeverity.Warning) WriteWarning($"[{problem.Id}] {problem}");
            else WriteError(ChamiErrorMapping.ToErrorRecord(problem.ToException(), problem.Target ?? path));
        }
        if (parsed.HasFatalProblems)
        {
            WriteChamiError(ChamiException.Invalid("InventoryNotImported", $"{path} was not imported: fix the errors above first", path), path);
            return;
        }

        var what = $"{path} ({parsed.Format}{(parsed.Nodes is { } n ? $", {n.Nodes.Count} nodes, {n.Bmcs.Count} BMCs" : string.Empty)})";
        var proceed = ShouldProcess(what, "Import inventory", "Import inventory", out var reason);
        var whatIf = !proceed && reason == ShouldProcessReason.WhatIf;
        if (!proceed && !whatIf) return;

        WriteProgress(new ProgressRecord(1, activity, whatIf ? "Computing changes (nothing is written)" : "Writing in one transaction") { PercentComplete = 50 });
        try
        {
            var changes = Services.Inventory.Apply(parsed, whatIf, StopToken);
            foreach (var item in changes.Items) WriteObject(item);
            WriteVerbose($"{path}: {changes}");
        }
        catch (ChamiException ex)
        {
            WriteChamiError(ChamiException.Invalid(ex.ErrorId, $"{path} was not imported (nothing was changed): {ex.Message}", ex.Target), ex.Target ?? path);
        }
        catch (OperationCanceledException)
        {
            WriteWarning($"{path}: import cancelled; nothing was changed");
        }
        finally
        {
            WriteProgress(new ProgressRecord(1, activity, "Done") { RecordType = ProgressRecordType.Completed });
        }
    }
}
