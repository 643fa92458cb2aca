using System.Management.Automation;
using OpenChami.Core.Errors;
using OpenChami.Core.Storage;
using OpenChami.PowerShell.Infrastructure;

namespace OpenChami.PowerShell.Commands.Database;

/// <summary>Opens a database (LiteDB file, PostgreSQL database or an in-memory one) and makes it current for this process.</summary>
[Cmdlet(VerbsCommunications.Connect, "ChamiDatabase", DefaultParameterSetName = PathSet)]
[OutputType(typeof(DatabaseInfo))]
public sealed class ConnectChamiDatabaseCommand : DatabaseSelectorCmdletBase
{
    /// <summary>Database file; created if missing. Defaults to $env:OPENCHAMI_DB or ~/.local/share/openchami/openchami.db.</summary>
    [Parameter(ParameterSetName = PathSet, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName", "DatabasePath")]
    [ValidateNotNullOrEmpty]
    public override string? Path { get; set; }

    protected override void ProcessRecord()
    {
        var store = AcquireSelectedStore()!;
        try
        {
            var services = ChamiSession.Connect(store);
            WriteVerbose($"Connected to {store.Location} ({store.BackendName}).");
            WriteObject(DatabaseInfo.Of(services.Store));
        }
        catch (ChamiException ex)
        {
            ThrowChamiError(ex, SelectedDatabaseTarget);
        }
    }
}
