using System.Data.Common;
using System.Management.Automation;
using OpenChami.Core.Errors;
using OpenChami.Core.Storage;
using OpenChami.Core.Storage.Postgres;

namespace OpenChami.PowerShell.Infrastructure;

/// <summary>
/// THE rule for what a database argument names, used by Connect-ChamiDatabase, Start-ChamiServer and
/// Copy-ChamiInventory: a <c>postgresql://</c> URI or an Npgsql keyword connection string (Host=...;Database=...) is
/// PostgreSQL, anything else is a LiteDB file path. The password never travels in that string: it
/// comes from a PSCredential (converted to a NetworkCredential here) or from Npgsql's own PG*
/// environment / ~/.pgpass lookup, so command history, logs and errors never hold it.
/// </summary>
internal static class DatabaseTarget
{
    // Npgsql keywords a connection string starts with; a file name with '=' in it has none of them.
    private static readonly string[] ConnectionKeywords = ["host", "server", "port", "database", "db", "username", "user id", "userid", "user", "search path"];
    private static readonly string[] PasswordKeywords = ["password", "pwd", "psw"];

    /// <summary>True when <paramref name="value"/> is a PostgreSQL connection string or URI, not a file path.</summary>
    public static bool IsPostgres(string value)
    {
        var trimmed = value.Trim();
        if (trimmed.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase) ||
            trimmed.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)) return true;
        if (!trimmed.Contains('=')) return false;
        var builder = TryParseKeywords(trimmed);
        return builder is not null && ConnectionKeywords.Any(builder.ContainsKey);
    }

    /// <summary>Opens (or shares) the store <paramref name="value"/> names; one reference to release with StoreRegistry.Release.</summary>
    public static IChamiStore Acquire(PSCmdlet cmdlet, string value, PSCredential? credential, string? keyDirectory = null)
    {
        if (IsPostgres(value)) return AcquirePostgres(cmdlet, value, credential, keyDirectory);
        if (credential is not null) throw CredentialNotApplicable();
        return StoreRegistry.Acquire(cmdlet.GetUnresolvedProviderPathFromPSPath(value));
    }

    public static ChamiException CredentialNotApplicable() => ChamiException.Invalid("CredentialNotApplicable",
        "A credential applies to a PostgreSQL connection string; a LiteDB file is protected by its file permissions.", null);

    /// <summary>Opens (or shares) the PostgreSQL store; the connection string must not carry a password.</summary>
    public static IChamiStore AcquirePostgres(PSCmdlet cmdlet, string connectionString, PSCredential? credential, string? keyDirectory)
    {
        RefusePassword(connectionString);
        return StoreRegistry.AcquirePostgres(new PostgresStoreOptions
        {
            ConnectionString = connectionString,
            Credential = credential?.GetNetworkCredential(),
            KeyDirectory = keyDirectory is null ? null : cmdlet.GetUnresolvedProviderPathFromPSPath(keyDirectory),
        });
    }

    /// <summary>
    /// A password typed into a connection string ends up in shell history, process listings and
    /// transcripts; refuse it (without echoing the string) and say where the password goes instead.
    /// </summary>
    public static void RefusePassword(string connectionString)
    {
        var trimmed = connectionString.Trim();
        bool hasPassword;
        if (trimmed.Contains("://", StringComparison.Ordinal))
        {
            hasPassword = Uri.TryCreate(trimmed, UriKind.Absolute, out var uri)
                ? uri.UserInfo.Contains(':', StringComparison.Ordinal) || (uri.Query.Contains("password=", StringComparison.OrdinalIgnoreCase))
                : trimmed.Split('@')[0].Count(c => c == ':') > 1;
        }
        else
        {
            var builder = TryParseKeywords(trimmed);
            hasPassword = builder is not null && PasswordKeywords.Any(builder.ContainsKey);
        }
        if (hasPassword)
        {
            throw ChamiException.Invalid("PasswordInConnectionString",
                "The connection string contains a password. Pass it with -Credential (Get-Credential), $env:PGPASSWORD or ~/.pgpass instead, so it never appears in history, logs or errors.", null);
        }
    }

    private static DbConnectionStringBuilder? TryParseKeywords(string value)
    {
        try
        {
            return new DbConnectionStringBuilder { ConnectionString = value };
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}
