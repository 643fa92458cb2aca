namespace OpenChami.RedfishFixture;

/// <summary>A misbehaviour injected into one simulated BMC (see <see cref="RedfishBmcSimulator.Fault"/>).</summary>
public enum RedfishFault
{
    /// <summary>Behaves like a healthy BMC.</summary>
    None,

    /// <summary>Accepts the connection and never answers; the connection is dropped after <see cref="RedfishBmcSimulator.TimeoutHold"/>.</summary>
    Timeout,

    /// <summary>Answers 500 with a Redfish error body.</summary>
    ServerError,

    /// <summary>Answers 401 even to correct credentials (session login included).</summary>
    RefuseCredentials,

    /// <summary>Collections named in <see cref="RedfishBmcSimulator.MissingLinksPaths"/> come back with no <c>Members</c>.</summary>
    MissingLinks,

    /// <summary>Every response is delayed by <see cref="RedfishBmcSimulator.SlowDelay"/>.</summary>
    Slow,
}
