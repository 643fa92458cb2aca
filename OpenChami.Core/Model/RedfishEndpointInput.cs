using System.Text.Json;
using System.Text.Json.Serialization;

namespace OpenChami.Core.Model;

/// <summary>
/// A RedfishEndpoint as clients send it (spec/smd.md §3.2 input keys), including the SchemaVersion 1
/// inventory (<see cref="Systems"/>, <see cref="Managers"/>) that magellan, <c>ochami discover static</c>
/// and OpenChami's own discovery send. Nullable members mean "not supplied" (PATCH uses that).
/// Hand it to <see cref="Inventory.RedfishEndpointService.Upsert(RedfishEndpointInput, Inventory.IngestOptions)"/>.
/// </summary>
public sealed class RedfishEndpointInput
{
    public string? ID { get; set; }

    public string? Type { get; set; }

    public string? Name { get; set; }

    public string? Hostname { get; set; }

    public string? Domain { get; set; }

    public string? FQDN { get; set; }

    public bool? Enabled { get; set; }

    public string? UUID { get; set; }

    public string? User { get; set; }

    /// <summary>Write-only: goes to the credential store, never back out.</summary>
    public string? Password { get; set; }

    public bool? UseSSDP { get; set; }

    public bool? MACRequired { get; set; }

    public string? MACAddr { get; set; }

    public string? IPAddress { get; set; }

    public bool? RediscoverOnUpdate { get; set; }

    public string? TemplateID { get; set; }

    /// <summary>Ours, not SMD's (never read from or written to the wire): see <see cref="RedfishEndpoint.SkipCertificateCheck"/>. Null keeps the stored choice.</summary>
    [JsonIgnore]
    public bool? SkipCertificateCheck { get; set; }

    /// <summary>1 when <see cref="Systems"/>/<see cref="Managers"/> carry an inventory to ingest (smd.md §7).</summary>
    public int? SchemaVersion { get; set; }

    public List<RedfishSystemRecord>? Systems { get; set; }

    public List<RedfishManagerRecord>? Managers { get; set; }

    /// <summary>Redfish version of the service root, recorded in DiscoveryInfo (OpenChami extension).</summary>
    public string? RedfishVersion { get; set; }

    public RedfishEndpointInput Clone() => (RedfishEndpointInput)MemberwiseClone();

    public override string ToString() => ID ?? Hostname ?? string.Empty;
}

/// <summary>One ComputerSystem of a SchemaVersion 1 record (snake_case keys, as magellan writes them).</summary>
public sealed class RedfishSystemRecord
{
    /// <summary>Absolute or path URI of the System (<c>https://bmc/redfish/v1/Systems/1</c>); only the path is kept.</summary>
    [JsonPropertyName("uri")] public string? Uri { get; set; }

    [JsonPropertyName("uuid")] public string? Uuid { get; set; }

    [JsonPropertyName("name")] public string? Name { get; set; }

    [JsonPropertyName("manufacturer")] public string? Manufacturer { get; set; }

    [JsonPropertyName("system_type")] public string? SystemType { get; set; }

    [JsonPropertyName("model")] public string? Model { get; set; }

    [JsonPropertyName("serial")] public string? Serial { get; set; }

    [JsonPropertyName("bios_version")] public string? BiosVersion { get; set; }

    [JsonPropertyName("ethernet_interfaces")] public List<RedfishInterfaceRecord>? EthernetInterfaces { get; set; }

    [JsonPropertyName("network_interfaces")] public JsonElement? NetworkInterfaces { get; set; }

    [JsonPropertyName("power")] public RedfishPowerRecord? Power { get; set; }

    [JsonPropertyName("processor_count")] public JsonElement? ProcessorCount { get; set; }

    [JsonPropertyName("processor_type")] public string? ProcessorType { get; set; }

    [JsonPropertyName("memory_total")] public JsonElement? MemoryTotal { get; set; }

    [JsonPropertyName("trusted_modules")] public JsonElement? TrustedModules { get; set; }

    [JsonPropertyName("serial_console")] public JsonElement? SerialConsole { get; set; }

    [JsonPropertyName("chassis_sku")] public string? ChassisSku { get; set; }

    [JsonPropertyName("chassis_serial")] public string? ChassisSerial { get; set; }

    [JsonPropertyName("chassis_asset_tag")] public string? ChassisAssetTag { get; set; }

    [JsonPropertyName("chassis_manufacturer")] public string? ChassisManufacturer { get; set; }

    [JsonPropertyName("chassis_model")] public string? ChassisModel { get; set; }

    /// <summary>Allowed ResetType values (inline AllowableValues, or the ResetActionInfo parameter values).</summary>
    [JsonPropertyName("actions")] public List<string>? Actions { get; set; }

    /// <summary>OpenChami extension: the reset target as the BMC advertises it; default <c>&lt;path&gt;/Actions/ComputerSystem.Reset</c>.</summary>
    [JsonPropertyName("reset_target")] public string? ResetTarget { get; set; }

    /// <summary>OpenChami extension: the <c>@Redfish.ActionInfo</c> path; default <c>&lt;path&gt;/ResetActionInfo</c>.</summary>
    [JsonPropertyName("reset_action_info")] public string? ResetActionInfo { get; set; }

    [JsonPropertyName("links")] public RedfishLinksRecord? Links { get; set; }

    [JsonPropertyName("node_id")] public JsonElement? NodeId { get; set; }
}

/// <summary>One Manager (BMC) of a SchemaVersion 1 record.</summary>
public sealed class RedfishManagerRecord
{
    [JsonPropertyName("uri")] public string? Uri { get; set; }

    [JsonPropertyName("uuid")] public string? Uuid { get; set; }

    [JsonPropertyName("name")] public string? Name { get; set; }

    [JsonPropertyName("description")] public string? Description { get; set; }

    [JsonPropertyName("model")] public string? Model { get; set; }

    /// <summary>Redfish ManagerType (<c>BMC</c>, <c>EnclosureManager</c>...).</summary>
    [JsonPropertyName("type")] public string? Type { get; set; }

    [JsonPropertyName("firmware_version")] public string? FirmwareVersion { get; set; }

    [JsonPropertyName("ethernet_interfaces")] public List<RedfishInterfaceRecord>? EthernetInterfaces { get; set; }

    [JsonPropertyName("actions")] public List<string>? Actions { get; set; }

    /// <summary>OpenChami extension: the reset target; default <c>&lt;path&gt;/Actions/Manager.Reset</c>.</summary>
    [JsonPropertyName("reset_target")] public string? ResetTarget { get; set; }

    [JsonPropertyName("command_shell")] public JsonElement? CommandShell { get; set; }

    [JsonPropertyName("serial_console")] public JsonElement? SerialConsole { get; set; }
}

public sealed class RedfishInterfaceRecord
{
    [JsonPropertyName("uri")] public string? Uri { get; set; }

    /// <summary>MAC as reported; anything that is not a MAC ("Not Available", "") is skipped.</summary>
    [JsonPropertyName("mac")] public string? Mac { get; set; }

    [JsonPropertyName("ip")] public string? Ip { get; set; }

    [JsonPropertyName("name")] public string? Name { get; set; }

    [JsonPropertyName("description")] public string? Description { get; set; }

    [JsonPropertyName("enabled")] public bool? Enabled { get; set; }

    /// <summary>OpenChami extension: network label of <see cref="Ip"/> (the interface's <c>Network</c>).</summary>
    [JsonPropertyName("network")] public string? Network { get; set; }

    /// <summary>OpenChami extension: further addresses (static import keeps all IPs of a NIC).</summary>
    [JsonPropertyName("ip_addresses")] public List<IPAddressMapping>? IPAddresses { get; set; }
}

public sealed class RedfishPowerRecord
{
    [JsonPropertyName("state")] public string? State { get; set; }

    [JsonPropertyName("power_control_ids")] public List<string>? PowerControlIds { get; set; }
}

public sealed class RedfishLinksRecord
{
    [JsonPropertyName("chassis")] public List<string>? Chassis { get; set; }

    [JsonPropertyName("managers")] public List<string>? Managers { get; set; }
}
