using System.Management.Automation;
using OpenChami.Core.Errors;
using OpenChami.Core.Storage;
using OpenChami.PowerShell.Infrastructure;

namespace OpenChami.PowerShell.Commands.Database;

/// <summary>Opens a database (LiteDB file, PostgreSQL database or an in-memory one) and makes it current for this process.</summary>
[Cmdlet(VerbsCommunications.Connect, "ChamiDatabase", DefaultParameterSetName = PathSet)]
[OutputType(typeof(DatabaseInfo))]
public sealed class ConnectChamiDatabaseCommand : ChamiCmdlet
{
    private const string PathSet = "Path";
    private const string InMemorySet = "InMemory";
    private const string ConnectionStringSet = "ConnectionString";

    /// <summary>Database file; created if missing. Defaults to $env:OPENCHAMI_DB or ~/.local/share/openchami/openchami.db.</summary>
    [Parameter(ParameterSetName = PathSet, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName", "DatabasePath")]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    [Parameter(ParameterSetName = InMemorySet, Mandatory = true)]
    public SwitchParameter InMemory { get; set; }

    /// <summary>
    /// PostgreSQL database shared by several servers: a URI (postgresql://user@host:5432/openchami) or keywords
    /// (Host=db1;Username=chami;Database=openchami). Without a password: it comes from -Credential, PGPASSWORD or ~/.pgpass.
    /// </summary>
    [Parameter(ParameterSetName = ConnectionStringSet, Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string? ConnectionString { get; set; }

    /// <summary>PostgreSQL user name and password (Get-Credential); the user name replaces the connection string's.</summary>
    [Parameter(ParameterSetName = ConnectionStringSet)]
    [Credential]
    public PSCredential? Credential { get; set; }

    /// <summary>
    /// Folder with the secret keys (token signing, certificate authority, secret protector) of a PostgreSQL database; every
    /// server of the site needs the same copy. Default: ~/.local/share/openchami/keys/&lt;host&gt;_&lt;port&gt;_&lt;database&gt;.
    /// </summary>
    [Parameter(ParameterSetName = ConnectionStringSet)]
    [ValidateNotNullOrEmpty]
    public string? KeyDirectory { get; set; }

    protected override void ProcessRecord()
    {
        try
        {
            var store = ParameterSetName switch
            {
                InMemorySet => StoreRegistry.AcquireInMemory(),
                ConnectionStringSet => DatabaseTarget.AcquirePostgres(this, ConnectionString!, Credential, KeyDirectory),
                _ => StoreRegistry.Acquire(Path is null ? StoreRegistry.DefaultPath : GetUnresolvedProviderPathFromPSPath(Path)),
            };
            var services = ChamiSession.Connect(store);
            WriteVerbose($"Connected to {store.Location} ({store.BackendName}).");
            WriteObject(DatabaseInfo.Of(services.Store));
        }
        catch (ChamiException ex)
        {
            // Never the connection string as the error's target: the redacted location is in the message already.
            ThrowChamiError(ex, ParameterSetName == ConnectionStringSet ? null : Path);
        }
    }
}
