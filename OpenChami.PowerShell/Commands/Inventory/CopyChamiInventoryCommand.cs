using System.Management.Automation;
using OpenChami.Core.Errors;
using OpenChami.Core.Storage;
using OpenChami.PowerShell.Infrastructure;

namespace OpenChami.PowerShell.Commands.Inventory;

/// <summary>
/// Copies a whole site — every collection, audit journal included — from one database to another in one
/// transaction on the target: LiteDB file to PostgreSQL when a site outgrows one machine, and back. A path names
/// a LiteDB file, a postgresql:// URI or Host=... connection string a PostgreSQL database. The target must be
/// empty unless -Force, which replaces what it holds. Writes one CopyCount per collection.
/// </summary>
[Cmdlet(VerbsCommon.Copy, "ChamiInventory", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(InventoryCopyCount))]
public sealed class CopyChamiInventoryCommand : ChamiCmdlet
{
    /// <summary>Source database: a LiteDB file path, or a PostgreSQL URI / connection string (no password in it).</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string From { get; set; } = string.Empty;

    /// <summary>Target database: a LiteDB file path (created if missing), or a PostgreSQL URI / connection string.</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [ValidateNotNullOrEmpty]
    public string To { get; set; } = string.Empty;

    /// <summary>PostgreSQL user name and password for a PostgreSQL -From.</summary>
    [Parameter]
    [Credential]
    public PSCredential? FromCredential { get; set; }

    /// <summary>PostgreSQL user name and password for a PostgreSQL -To.</summary>
    [Parameter]
    [Credential]
    public PSCredential? ToCredential { get; set; }

    /// <summary>Replace the target's inventory when it is not empty (without it a non-empty target is refused with TargetNotEmpty).</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord()
    {
        IChamiStore? source = null;
        IChamiStore? target = null;
        try
        {
            if (!DatabaseTarget.IsPostgres(From) && !File.Exists(GetUnresolvedProviderPathFromPSPath(From)))
            {
                // Opening a missing LiteDB file would create an empty one: copying "nothing" is surely a typo.
                throw ChamiException.NotFound("DatabaseNotFound", $"Cannot find database file '{From}'", From);
            }
            source = DatabaseTarget.Acquire(this, From, FromCredential);
            target = DatabaseTarget.Acquire(this, To, ToCredential);
            if (ReferenceEquals(source, target))
            {
                throw ChamiException.Invalid("SameDatabase", $"-From and -To name the same database ({source.Location})", source.Location);
            }
            var existing = DatabaseInfo.Of(target);
            var action = Force && existing.Components + existing.EthernetInterfaces + existing.Groups > 0
                ? $"Replace its inventory ({existing.Components} components, {existing.EthernetInterfaces} NICs, {existing.Groups} groups) with the inventory of {source.Location}"
                : $"Copy the inventory of {source.Location}";
            if (!ShouldProcess(target.Location, action)) return;

            WriteProgress(new ProgressRecord(1, "Copy-ChamiInventory", $"{source.Location} -> {target.Location}") { PercentComplete = 0 });
            var counts = StoreCopier.Copy(source, target, replace: Force);
            foreach (var (collection, count) in counts)
            {
                WriteObject(new InventoryCopyCount { Collection = collection, Count = count, From = source.Location, To = target.Location });
            }
            WriteVerbose($"Copied {counts.Sum(c => c.Value)} documents from {source.Location} to {target.Location}.");
        }
        catch (ChamiException ex)
        {
            // The error's target is the redacted location at most, never the connection string.
            ThrowChamiError(ex, target?.Location ?? source?.Location);
        }
        finally
        {
            WriteProgress(new ProgressRecord(1, "Copy-ChamiInventory", "Done") { RecordType = ProgressRecordType.Completed });
            if (target is not null) StoreRegistry.Release(target);
            if (source is not null) StoreRegistry.Release(source);
        }
    }
}

/// <summary>How many documents of one collection Copy-ChamiInventory copied.</summary>
public sealed class InventoryCopyCount
{
    public required string Collection { get; init; }

    public int Count { get; init; }

    /// <summary>Source location (a file path, or a PostgreSQL location without password).</summary>
    public required string From { get; init; }

    public required string To { get; init; }
}
