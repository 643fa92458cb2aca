using System.Management.Automation;
using OpenChami.Core.Errors;
using OpenChami.PowerShell.Infrastructure;

namespace OpenChami.PowerShell.Commands.Inventory;

/// <summary>
/// Writes the whole inventory (components, NICs, groups, partitions, RedfishEndpoints, ComponentEndpoints,
/// ServiceEndpoints) to a JSON file that Import-ChamiInventory reads back exactly. BMC passwords are never
/// exported: every RedfishEndpoint's Password is "".
/// </summary>
[Cmdlet(VerbsData.Export, "ChamiInventory", SupportsShouldProcess = true)]
[OutputType(typeof(FileInfo))]
public sealed class ExportChamiInventoryCommand : ChamiCmdletBase
{
    [Parameter(Mandatory = true, Position = 0)]
    [Alias("FullName")]
    public string Path { get; set; } = string.Empty;

    /// <summary>Refuse to overwrite an existing file.</summary>
    [Parameter]
    public SwitchParameter NoClobber { get; set; }

    /// <summary>Write the file's FileInfo.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void EndProcessing()
    {
        var path = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path);
        if (NoClobber && File.Exists(path))
        {
            WriteChamiError(ChamiException.Conflict("InventoryFileExists", $"'{path}' already exists (-NoClobber)", path), path);
            return;
        }
        if (!ShouldProcess(path, "Export inventory")) return;
        try
        {
            Services.Inventory.ExportToFile(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            WriteChamiError(ChamiException.Invalid("InventoryExportFailed", $"Cannot write '{path}': {ex.Message}", path), path);
            return;
        }
        if (PassThru) WriteObject(new FileInfo(path));
    }
}
