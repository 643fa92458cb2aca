using System.Text.Json;
using System.Text.Json.Nodes;

namespace OpenChami.RedfishFixture;

/// <summary>
/// One request as a simulated BMC received it. Recorded on arrival (so a request that never gets an
/// answer, e.g. under <see cref="RedfishFault.Timeout"/>, is still visible); <see cref="StatusCode"/>
/// is filled in when the response is sent.
/// </summary>
public sealed class RedfishRequestRecord
{
    private int _statusCode;

    internal RedfishRequestRecord(DateTimeOffset timestamp, string method, string path, string query, string? body, string? user,
        RedfishAuthMethod authMethod)
    {
        Timestamp = timestamp;
        Method = method;
        Path = path;
        Query = query;
        Body = body;
        User = user;
        AuthMethod = authMethod;
    }

    /// <summary>When the request arrived (UTC, on the simulator's <see cref="RedfishBmcSimulator.Clock"/>).</summary>
    public DateTimeOffset Timestamp { get; }

    /// <summary>HTTP method, upper case.</summary>
    public string Method { get; }

    /// <summary>Request path as sent (decoded, without the query string).</summary>
    public string Path { get; }

    /// <summary>Query string including the leading '?', or empty.</summary>
    public string Query { get; }

    /// <summary>Request body for methods that carry one, else null. Passwords in session logins are kept: it's a test fixture.</summary>
    public string? Body { get; }

    /// <summary>User name presented (Basic user or the session's user), whether or not it was accepted.</summary>
    public string? User { get; }

    /// <summary>How credentials were presented.</summary>
    public RedfishAuthMethod AuthMethod { get; }

    /// <summary>True when the presented credentials were accepted.</summary>
    public bool Authenticated { get; internal set; }

    /// <summary>HTTP status sent, or 0 while unanswered / when the connection was dropped.</summary>
    public int StatusCode
    {
        get => Volatile.Read(ref _statusCode);
        internal set => Volatile.Write(ref _statusCode, value);
    }

    /// <summary>The <c>ResetType</c> of an action body, or null (convenience for power tests).</summary>
    public string? ResetType
    {
        get
        {
            if (string.IsNullOrEmpty(Body))
            {
                return null;
            }

            try
            {
                return RedfishJson.GetString(JsonNode.Parse(Body), "ResetType");
            }
            catch (JsonException)
            {
                return null;
            }
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"{Method} {Path}{Query} user={User ?? "-"} -> {StatusCode}";
}
