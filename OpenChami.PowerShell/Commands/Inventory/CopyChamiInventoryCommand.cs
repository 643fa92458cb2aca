using System.Management.Automation;
using OpenChami.Core.Errors;
using OpenChami.Core.Security;
using OpenChami.Core.Storage;
using OpenChami.PowerShell.Infrastructure;

namespace OpenChami.PowerShell.Commands.Inventory;

/// <summary>
/// Copies a whole site from one database to another: LiteDB file to PostgreSQL and back, without loss.
/// Every collection, audit journal included, in one transaction on the target. A path names a LiteDB file,
/// a postgresql:// URI or Host=... connection string a PostgreSQL database. The target must be empty unless
/// -Force, which replaces what it holds. Writes one InventoryCopyCount per collection.
/// </summary>
[Cmdlet(VerbsCommon.Copy, "ChamiInventory", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(InventoryCopyCount))]
public sealed class CopyChamiInventoryCommand : ChamiCmdletBase
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
            var newFile = DatabaseTarget.IsPostgres(To) ? null : GetUnresolvedProviderPathFromPSPath(To);
            if (newFile is not null && !File.Exists(newFile))
            {
                // A new LiteDB file: ask before creating it, so -WhatIf leaves no file behind.
                if (ToCredential is not null) throw DatabaseTarget.CredentialNotApplicable();
                if (!ShouldProcess(newFile, $"Copy the inventory of {source.Location} into a new database")) return;
                target = DatabaseTarget.Acquire(this, To, null);
            }
            else
            {
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
            }

            WriteProgress(new ProgressRecord(1, "Copy-ChamiInventory", $"{source.Location} -> {target.Location}") { PercentComplete = 0 });
            StoreCopyResult result;
            try
            {
                result = StoreCopier.Copy(source, target, replace: Force);
            }
            catch (ChamiException ex) when (ex.ErrorId == "TargetNotEmpty")
            {
                throw ChamiException.Conflict("TargetNotEmpty",
                    $"'{target.Location}' already holds an inventory; nothing was copied. Add -Force to replace it.", target.Location);
            }
            CopyKeys(source, target);
            foreach (var (collection, count) in result.Collections)
            {
                WriteObject(new InventoryCopyCount { Collection = collection, Count = count, From = result.Source, To = result.Target });
            }
            WriteVerbose(result.ToString());
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

    /// <summary>
    /// The key ring lives beside a database, not in it (a dump must not carry it), yet the copied BMC passwords and
    /// tokens need the same keys: give the target the source's keys it lacks. A key the target already has is kept;
    /// if it differs, what the source's key protected cannot be read there, so say so.
    /// </summary>
    private void CopyKeys(IChamiStore source, IChamiStore target)
    {
        if (source.KeyDirectory is not { } from || !Directory.Exists(from) || target.KeyDirectory is null) return;
        var sourceKeys = KeyRing.For(source);
        var targetKeys = KeyRing.For(target);
        foreach (var file in Directory.GetFiles(from))
        {
            var name = System.IO.Path.GetFileName(file);
            if (name.Contains(".tmp-", StringComparison.Ordinal)) continue;
            var bytes = File.ReadAllBytes(sourceKeys.PathOf(name));
            if (!targetKeys.Exists(name))
            {
                targetKeys.Put(name, bytes);
                WriteVerbose($"Copied key {name} to {target.KeyDirectory}.");
            }
            else if (!targetKeys.GetOrCreate(name, () => bytes).AsSpan().SequenceEqual(bytes))
            {
                WriteWarning($"{target.KeyDirectory} already has a different {name}; what the source's key protected (BMC passwords, tokens) cannot be read with it. Copy {file} there to keep it.");
            }
        }
    }
}
