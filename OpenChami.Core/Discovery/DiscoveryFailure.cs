namespace OpenChami.Core.Discovery;

/// <summary>Why a target was not discovered (spec/discovery-power.md §2.7 <c>Status</c> values).</summary>
public enum DiscoveryFailure
{
    /// <summary>No TCP connection (refused, unreachable, connect timeout).</summary>
    Closed,

    /// <summary>Something answered, but not a Redfish service root.</summary>
    NotRedfish,

    /// <summary>The BMC refused the credential (or none was given and it requires one).</summary>
    AuthFailed,

    /// <summary>A request or the whole BMC ran out of time.</summary>
    Timeout,

    /// <summary>TLS handshake or certificate verification failed (use -SkipCertificateCheck for self-signed certificates).</summary>
    TlsError,

    /// <summary>Authenticated, but nothing usable could be read (e.g. every resource answered 500).</summary>
    WalkFailed,

    /// <summary>An xname map was given and has no entry for this BMC.</summary>
    Unmapped,

    /// <summary>Writing the inventory failed; the store is unchanged for this BMC.</summary>
    StoreFailed,

    /// <summary>The run was stopped before this BMC finished.</summary>
    Cancelled,
}

/// <summary>A Redfish request that failed for a reason that stops the BMC (or one resource, for the walker).</summary>
public sealed class RedfishRequestException(DiscoveryFailure reason, string message, int? httpStatus = null, Exception? inner = null)
    : Exception(message, inner)
{
    public DiscoveryFailure Reason { get; } = reason;

    public int? HttpStatus { get; } = httpStatus;
}
