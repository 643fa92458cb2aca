using System.Text.Json.Serialization;
using OpenChami.Core.Xnames;

namespace OpenChami.Core.Model;

/// <summary>
/// A Redfish endpoint (BMC, PDU controller, switch) as SMD stores and returns it (spec/smd.md §3.2).
/// Property order is the wire order; null means "omit". The BMC password is never part of this
/// record: it lives in <see cref="Discovery.ICredentialStore"/>, and <see cref="Password"/> is always "".
/// </summary>
public sealed class RedfishEndpoint
{
    public string ID { get; set; } = string.Empty;

    public HmsType Type { get; set; }

    public string? Name { get; set; }

    public string Hostname { get; set; } = string.Empty;

    public string Domain { get; set; } = string.Empty;

    public string FQDN { get; set; } = string.Empty;

    public bool Enabled { get; set; } = true;

    public string? UUID { get; set; }

    public string User { get; set; } = string.Empty;

    /// <summary>Always empty: the secret is kept in the credential store, never in a readable record.</summary>
    public string Password => string.Empty;

    /// <summary>Omitted on the wire when false.</summary>
    public bool? UseSSDP { get; set; }

    /// <summary>Omitted on the wire when false.</summary>
    public bool? MACRequired { get; set; }

    public string? MACAddr { get; set; }

    public string? IPAddress { get; set; }

    public bool RediscoverOnUpdate { get; set; }

    public string? TemplateID { get; set; }

    public DiscoveryInfo DiscoveryInfo { get; set; } = new();

    /// <summary>
    /// Accept this BMC's certificate without verifying it (a self-signed one): set by a discovery run with
    /// <c>-SkipCertificateCheck</c> (cleared by one that verified it), changed with <c>Set-ChamiRedfishEndpoint</c>,
    /// and used by power control. Ours, not in SMD's RedfishEndpoint, so not on the SMD wire (it is stored).
    /// </summary>
    [JsonIgnore]
    public bool? SkipCertificateCheck { get; set; }

    public RedfishEndpoint Clone()
    {
        var copy = (RedfishEndpoint)MemberwiseClone();
        copy.DiscoveryInfo = DiscoveryInfo.Clone();
        return copy;
    }

    public override string ToString() => ID;
}

/// <summary>Outcome of the last discovery of an endpoint (spec/smd.md §3.2).</summary>
public sealed class DiscoveryInfo
{
    public DateTime? LastDiscoveryAttempt { get; set; }

    public DiscoveryStatus LastDiscoveryStatus { get; set; } = DiscoveryStatus.NotYetQueried;

    public string? RedfishVersion { get; set; }

    public DiscoveryInfo Clone() => (DiscoveryInfo)MemberwiseClone();
}

/// <summary>SMD's <c>LastDiscoveryStatus</c> values.</summary>
public enum DiscoveryStatus
{
    NotYetQueried,
    DiscoveryStarted,
    HTTPsGetFailed,
    DiscoverOK,
    EndpointInvalid,
    EPResponseFailedDecode,
    VerificationFailed,
    ChildVerificationFailed,
    RedfishSubtypeNoSupport,
    EndpointTypeNotSupported,
    EndpointNotEnabled,
    StoreFailed,
    UnexpectedErrorPreStore,
}

/// <summary>The <c>{"RedfishEndpoints":[..]}</c> wrapper; an empty list is <c>[]</c>, never null.</summary>
public sealed record RedfishEndpointArray(IReadOnlyList<RedfishEndpoint> RedfishEndpoints);
