using System.Net;

namespace OpenChami.Core.Storage.Postgres;

/// <summary>Where a <see cref="PostgresStore"/> connects and where its keys live.</summary>
public sealed class PostgresStoreOptions
{
    /// <summary>
    /// Npgsql keyword form (<c>Host=db1;Port=5432;Database=chami;Username=chami</c>) or a URI
    /// (<c>postgresql://chami@db1:5432/chami</c>). Anything left out comes from the standard
    /// PGHOST/PGPORT/PGDATABASE/PGUSER/PGPASSWORD variables and ~/.pgpass, as with psql.
    /// </summary>
    public string ConnectionString { get; set; } = string.Empty;

    /// <summary>User and password overriding the connection string (a PSCredential converts to this).</summary>
    public NetworkCredential? Credential { get; set; }

    /// <summary>
    /// Folder for the key ring (JWT, CA, secret protector keys). Default:
    /// <c>$XDG_DATA_HOME/openchami/keys/&lt;host&gt;_&lt;port&gt;_&lt;database&gt;</c>. Servers on several hosts
    /// sharing one database must share this folder's contents, like any cluster secret.
    /// </summary>
    public string? KeyDirectory { get; set; }
}
