using System.Text.Json.Serialization;
using OpenChami.Core.Xnames;

namespace OpenChami.Core.Model;

/// <summary>
/// What SMD knows about one Redfish resource of a component (spec/smd.md §3.3): where it lives
/// (<see cref="RedfishURL"/>) and, for systems and managers, the reset action and its allowed values.
/// Power control reads <see cref="RedfishEndpointFQDN"/>, <see cref="RedfishURL"/>,
/// <c>RedfishSystemInfo.Actions</c> (target + AllowableValues) and <c>RedfishSystemInfo.PowerURL</c>.
/// </summary>
public sealed class ComponentEndpoint
{
    public string ID { get; set; } = string.Empty;

    public HmsType Type { get; set; }

    public string? Domain { get; set; }

    public string? FQDN { get; set; }

    /// <summary><c>ComputerSystem</c>, <c>Manager</c>, <c>Chassis</c>, <c>PowerDistribution</c> or <c>Outlet</c>.</summary>
    public string RedfishType { get; set; } = string.Empty;

    public string RedfishSubtype { get; set; } = string.Empty;

    public string? MACAddr { get; set; }

    public string? UUID { get; set; }

    public string OdataID { get; set; } = string.Empty;

    public string RedfishEndpointID { get; set; } = string.Empty;

    public bool Enabled { get; set; } = true;

    public string RedfishEndpointFQDN { get; set; } = string.Empty;

    public string RedfishURL { get; set; } = string.Empty;

    public string ComponentEndpointType { get; set; } = string.Empty;

    public RedfishSystemInfo? RedfishSystemInfo { get; set; }

    public RedfishManagerInfo? RedfishManagerInfo { get; set; }

    /// <summary>The reset action of this endpoint (system or manager), or null: what power control POSTs to.</summary>
    public ResetAction? GetResetAction() => RedfishSystemInfo?.Actions?.ComputerSystemReset ?? RedfishManagerInfo?.Actions?.ManagerReset;

    public override string ToString() => ID;
}

public static class RedfishTypes
{
    public const string ComputerSystem = "ComputerSystem";
    public const string Manager = "Manager";
    public const string Chassis = "Chassis";
    public const string ComponentEndpointComputerSystem = "ComponentEndpointComputerSystem";
    public const string ComponentEndpointManager = "ComponentEndpointManager";
}

public sealed class RedfishSystemInfo
{
    public string? Name { get; set; }

    public ComputerSystemActions? Actions { get; set; }

    public List<EthernetNicInfo>? EthernetNICInfo { get; set; }

    /// <summary>Redfish Power resource of the system's chassis (<c>/redfish/v1/Chassis/1/Power</c>).</summary>
    public string? PowerURL { get; set; }

    public List<PowerControlInfo>? PowerControl { get; set; }
}

public sealed class RedfishManagerInfo
{
    public string? Name { get; set; }

    public ManagerActions? Actions { get; set; }

    public List<EthernetNicInfo>? EthernetNICInfo { get; set; }
}

public sealed class ComputerSystemActions
{
    [JsonPropertyName("#ComputerSystem.Reset")]
    public ResetAction? ComputerSystemReset { get; set; }
}

public sealed class ManagerActions
{
    [JsonPropertyName("#Manager.Reset")]
    public ResetAction? ManagerReset { get; set; }
}

/// <summary>A Redfish reset action: where to POST and which ResetType values the BMC accepts.</summary>
public sealed class ResetAction
{
    [JsonPropertyName("ResetType@Redfish.AllowableValues")]
    public List<string> AllowableValues { get; set; } = [];

    [JsonPropertyName("@Redfish.ActionInfo")]
    public string? ActionInfo { get; set; }

    [JsonPropertyName("target")]
    public string Target { get; set; } = string.Empty;
}

/// <summary>One NIC of a system or manager as Redfish reported it.</summary>
public sealed class EthernetNicInfo
{
    public string RedfishId { get; set; } = string.Empty;

    [JsonPropertyName("@odata.id")]
    public string OdataId { get; set; } = string.Empty;

    public string? Description { get; set; }

    public string? FQDN { get; set; }

    public string? Hostname { get; set; }

    public bool? InterfaceEnabled { get; set; }

    public string MACAddress { get; set; } = string.Empty;

    public string? PermanentMACAddress { get; set; }
}

public sealed class PowerControlInfo
{
    [JsonPropertyName("@odata.id")]
    public string OdataId { get; set; } = string.Empty;

    public string MemberId { get; set; } = string.Empty;

    public string Name { get; set; } = string.Empty;

    public List<OdataReference>? RelatedItem { get; set; }
}

public sealed class OdataReference
{
    [JsonPropertyName("@odata.id")]
    public string OdataId { get; set; } = string.Empty;
}

/// <summary>A Redfish service (AccountService, EventService...) of an endpoint (spec/smd.md §3.3).</summary>
public sealed class ServiceEndpoint
{
    /// <summary>Storage key <c>&lt;RedfishType&gt;/&lt;RedfishEndpointID&gt;</c>; not on the wire.</summary>
    [JsonIgnore]
    public string Key { get; set; } = string.Empty;

    public string RedfishEndpointID { get; set; } = string.Empty;

    public string RedfishType { get; set; } = string.Empty;

    public string? RedfishSubtype { get; set; }

    public string UUID { get; set; } = string.Empty;

    public string OdataID { get; set; } = string.Empty;

    public string RedfishEndpointFQDN { get; set; } = string.Empty;

    public string RedfishURL { get; set; } = string.Empty;

    public static string KeyOf(string redfishType, string endpointId) => $"{redfishType}/{endpointId}";
}

public sealed record ComponentEndpointArray(IReadOnlyList<ComponentEndpoint> ComponentEndpoints);

public sealed record ServiceEndpointArray(IReadOnlyList<ServiceEndpoint> ServiceEndpoints);

/// <summary>Stored BMC secret, keyed by RFE ID. Only <see cref="Discovery.ICredentialStore"/> touches it.</summary>
public sealed class EndpointCredential
{
    public string ID { get; set; } = string.Empty;

    public string User { get; set; } = string.Empty;

    public string Secret { get; set; } = string.Empty;
}
