using System.Management.Automation;
using OpenChami.Core.Errors;
using OpenChami.Core.Storage;

namespace OpenChami.PowerShell.Infrastructure;

/// <summary>
/// The database selectors of Connect-ChamiDatabase and Start-ChamiServer, one parameter set each: -Path (alias
/// -DatabasePath), -InMemory, -ConnectionString with -Credential and -KeyDirectory. -Path is declared by each cmdlet:
/// Connect-ChamiDatabase's is optional (the default database), positional and binds a piped file; Start-ChamiServer's
/// is required, to tell its Path set from serving the session's database.
/// </summary>
public abstract class DatabaseSelectorCmdletBase : ChamiCmdletBase
{
    protected const string PathSet = "Path";
    protected const string InMemorySet = "InMemory";
    protected const string ConnectionStringSet = "ConnectionString";

    /// <summary>LiteDB database file; created if missing.</summary>
    public abstract string? Path { get; set; }

    /// <summary>A new, empty database that lives only in this process (demos, tests).</summary>
    [Parameter(Mandatory = true, ParameterSetName = InMemorySet)]
    public SwitchParameter InMemory { get; set; }

    /// <summary>
    /// PostgreSQL database shared by several servers: a URI (postgresql://user@host:5432/openchami) or keywords
    /// (Host=db1;Username=chami;Database=openchami). Without a password: it comes from -Credential, PGPASSWORD or ~/.pgpass.
    /// </summary>
    [Parameter(Mandatory = true, ParameterSetName = ConnectionStringSet)]
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

    /// <summary>
    /// Opens (or shares) the store the selectors name, without -Path the default database; null in a parameter set
    /// of the cmdlet's own. One reference, to release with StoreRegistry.Release. A failure terminates.
    /// </summary>
    protected IChamiStore? AcquireSelectedStore()
    {
        try
        {
            return ParameterSetName switch
            {
                PathSet => StoreRegistry.Acquire(Path is null ? StoreRegistry.DefaultPath : GetUnresolvedProviderPathFromPSPath(Path)),
                InMemorySet => StoreRegistry.AcquireInMemory(),
                ConnectionStringSet => DatabaseTarget.AcquirePostgres(this, ConnectionString!, Credential, KeyDirectory),
                _ => null,
            };
        }
        catch (ChamiException ex)
        {
            ThrowChamiError(ex, SelectedDatabaseTarget);
            throw; // unreachable: ThrowChamiError always throws
        }
    }

    /// <summary>The target of an error about the selected database: never the connection string (the message names the redacted location).</summary>
    protected string? SelectedDatabaseTarget => ParameterSetName == ConnectionStringSet ? null : Path;
}
