namespace OpenChami.RedfishFixture;

/// <summary>How a recorded request presented credentials.</summary>
public enum RedfishAuthMethod
{
    /// <summary>No credentials.</summary>
    None,

    /// <summary>HTTP Basic.</summary>
    Basic,

    /// <summary>Redfish session token (<c>X-Auth-Token</c>).</summary>
    Session,
}
