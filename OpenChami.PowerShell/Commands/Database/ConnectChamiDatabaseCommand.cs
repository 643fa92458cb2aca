using System.Management.Automation;
using OpenChami.Core.Errors;
using OpenChami.Core.Storage;
using OpenChami.PowerShell.Infrastructure;

namespace OpenChami.PowerShell.Commands.Database;

/// <summary>Opens a database file (or an in-memory one) and makes it current for this process.</summary>
[Cmdlet(VerbsCommunications.Connect, "ChamiDatabase", DefaultParameterSetName = PathSet)]
[OutputType(typeof(DatabaseInfo))]
public sealed class ConnectChamiDatabaseCommand : ChamiCmdlet
{
    private const string PathSet = "Path";
    private const string InMemorySet = "InMemory";

    /// <summary>Database file; created if missing. Defaults to $env:OPENCHAMI_DB or ~/.local/share/openchami/openchami.db.</summary>
    [Parameter(ParameterSetName = PathSet, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName", "DatabasePath")]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    [Parameter(ParameterSetName = InMemorySet, Mandatory = true)]
    public SwitchParameter InMemory { get; set; }

    protected override void ProcessRecord()
    {
        try
        {
            var store = InMemory
                ? StoreRegistry.AcquireInMemory()
                : StoreRegistry.Acquire(Path is null ? StoreRegistry.DefaultPath : GetUnresolvedProviderPathFromPSPath(Path));
            var services = ChamiSession.Connect(store);
            WriteObject(DatabaseInfo.Of(services.Store));
        }
        catch (ChamiException ex)
        {
            ThrowChamiError(ex, Path);
        }
    }
}
