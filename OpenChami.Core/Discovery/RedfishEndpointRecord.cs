using System.Text.Json.Serialization;

namespace OpenChami.Core.Discovery;

/// <summary>
/// The SchemaVersion 1 RedfishEndpoint record sent to SMD (spec/discovery-power.md §2.4). Wire names are
/// magellan's; <c>Password</c> is never part of it (credentials stay out of the inventory).
/// </summary>
public sealed class RedfishEndpointRecord
{
    public string ID { get; set; } = string.Empty;
    public string Type { get; set; } = "NodeBMC";
    public string Name { get; set; } = string.Empty;
    public string FQDN { get; set; } = string.Empty;
    public string IPAddress { get; set; } = string.Empty;
    public string? MACAddr { get; set; }
    public string? User { get; set; }
    public string? UUID { get; set; }
    public bool MACRequired { get; set; } = true;
    public bool RediscoverOnUpdate { get; set; }
    public int SchemaVersion { get; set; } = 1;
    public List<SystemRecord> Systems { get; set; } = [];
    public List<ManagerRecord> Managers { get; set; } = [];

    /// <summary>Ours: the probed port, so a BMC is found again by address AND port.</summary>
    public int Port { get; set; }

    /// <summary>Ours: RedfishVersion of the service root (SMD keeps it in DiscoveryInfo).</summary>
    public string? RedfishVersion { get; set; }
}

public sealed class SystemRecord
{
    [JsonPropertyName("uri")] public string Uri { get; set; } = string.Empty;
    [JsonPropertyName("uuid")] public string? UUID { get; set; }
    [JsonPropertyName("name")] public string? Name { get; set; }
    [JsonPropertyName("system_type")] public string? SystemType { get; set; }
    [JsonPropertyName("manufacturer")] public string? Manufacturer { get; set; }
    [JsonPropertyName("model")] public string? Model { get; set; }
    [JsonPropertyName("serial")] public string? Serial { get; set; }
    [JsonPropertyName("bios_version")] public string? BiosVersion { get; set; }
    [JsonPropertyName("power")] public PowerRecord Power { get; set; } = new();
    [JsonPropertyName("processor_count")] public int? ProcessorCount { get; set; }
    [JsonPropertyName("processor_type")] public string? ProcessorType { get; set; }
    [JsonPropertyName("memory_total")] public double? MemoryTotal { get; set; }
    [JsonPropertyName("trusted_modules")] public List<string> TrustedModules { get; set; } = [];
    [JsonPropertyName("serial_console")] public SerialConsoleRecord? SerialConsole { get; set; }
    [JsonPropertyName("ethernet_interfaces")] public List<NicRecord> EthernetInterfaces { get; set; } = [];
    [JsonPropertyName("network_interfaces")] public List<NetworkAdapterRecord> NetworkInterfaces { get; set; } = [];
    [JsonPropertyName("actions")] public List<string> Actions { get; set; } = [];

    /// <summary>Ours: the reset target as the BMC gave it (PCS posts there).</summary>
    [JsonPropertyName("reset_target")] public string? ResetTarget { get; set; }
    [JsonPropertyName("links")] public LinksRecord Links { get; set; } = new();
    [JsonPropertyName("chassis_sku")] public string? ChassisSku { get; set; }
    [JsonPropertyName("chassis_serial")] public string? ChassisSerial { get; set; }
    [JsonPropertyName("chassis_asset_tag")] public string? ChassisAssetTag { get; set; }
    [JsonPropertyName("chassis_manufacturer")] public string? ChassisManufacturer { get; set; }
    [JsonPropertyName("chassis_model")] public string? ChassisModel { get; set; }

    /// <summary>The node xname this System maps to.</summary>
    [JsonPropertyName("node_id")] public string? NodeId { get; set; }
}

public sealed class PowerRecord
{
    [JsonPropertyName("state")] public string? State { get; set; }
    [JsonPropertyName("power_control_ids")] public List<string> PowerControlIds { get; set; } = [];
}

public sealed class SerialConsoleRecord
{
    [JsonPropertyName("ipmi")] public bool Ipmi { get; set; }
    [JsonPropertyName("ssh")] public bool Ssh { get; set; }
    [JsonPropertyName("telnet")] public bool Telnet { get; set; }
}

public sealed class NicRecord
{
    [JsonPropertyName("uri")] public string Uri { get; set; } = string.Empty;
    [JsonPropertyName("mac")] public string? Mac { get; set; }
    [JsonPropertyName("ip")] public string? IP { get; set; }
    [JsonPropertyName("name")] public string? Name { get; set; }
    [JsonPropertyName("description")] public string? Description { get; set; }
    [JsonPropertyName("enabled")] public bool? Enabled { get; set; }
}

public sealed class NetworkAdapterRecord
{
    [JsonPropertyName("uri")] public string Uri { get; set; } = string.Empty;
    [JsonPropertyName("manufacturer")] public string? Manufacturer { get; set; }
    [JsonPropertyName("model")] public string? Model { get; set; }
    [JsonPropertyName("name")] public string? Name { get; set; }
    [JsonPropertyName("serial")] public string? Serial { get; set; }
}

public sealed class LinksRecord
{
    [JsonPropertyName("chassis")] public List<string> Chassis { get; set; } = [];
    [JsonPropertyName("managers")] public List<string> Managers { get; set; } = [];
}

public sealed class ManagerRecord
{
    [JsonPropertyName("uri")] public string Uri { get; set; } = string.Empty;
    [JsonPropertyName("uuid")] public string? UUID { get; set; }
    [JsonPropertyName("name")] public string? Name { get; set; }
    [JsonPropertyName("description")] public string? Description { get; set; }
    [JsonPropertyName("model")] public string? Model { get; set; }
    [JsonPropertyName("type")] public string? Type { get; set; }
    [JsonPropertyName("firmware_version")] public string? FirmwareVersion { get; set; }
    [JsonPropertyName("ethernet_interfaces")] public List<NicRecord> EthernetInterfaces { get; set; } = [];
    [JsonPropertyName("actions")] public List<string> Actions { get; set; } = [];
    [JsonPropertyName("reset_target")] public string? ResetTarget { get; set; }
    [JsonPropertyName("command_shell")] public List<string> CommandShell { get; set; } = [];
    [JsonPropertyName("serial_console")] public SerialConsoleRecord? SerialConsole { get; set; }
}

/// <summary>Inventory → SchemaVersion 1 record (the mapping of spec/discovery-power.md §2.4).</summary>
public static class RedfishEndpointRecordMapper
{
    /// <param name="inventory">What the walk read.</param>
    /// <param name="bmcXname">The BMC's xname.</param>
    /// <param name="nodeXnames">Node xname per System, in <see cref="RedfishBmcInventory.Systems"/> order.</param>
    public static RedfishEndpointRecord ToRecord(RedfishBmcInventory inventory, string bmcXname, IReadOnlyList<string> nodeXnames)
    {
        var target = inventory.Target;
        string Absolute(string path) => path.StartsWith("http", StringComparison.OrdinalIgnoreCase) ? path : target.BaseUrl + path;
        NicRecord Nic(RedfishNic n) => new()
        {
            Uri = Absolute(n.Path), Mac = n.MACAddress, IP = n.IPv4Address, Name = n.Name, Description = n.Description, Enabled = n.Enabled,
        };
        SerialConsoleRecord? Console(List<string> kinds) => kinds.Count == 0 ? null : new SerialConsoleRecord
        {
            Ipmi = kinds.Contains("ipmi") || kinds.Contains("impi"), Ssh = kinds.Contains("ssh"), Telnet = kinds.Contains("telnet"),
        };

        return new RedfishEndpointRecord
        {
            ID = bmcXname,
            Type = Xnames.Xname.GetHmsType(bmcXname).ToString(),
            Name = string.Empty,
            FQDN = target.HostWithPort,
            IPAddress = target.Host,
            Port = target.Port,
            MACAddr = inventory.BmcMacAddress,
            User = inventory.User,
            UUID = inventory.UUID,
            RedfishVersion = inventory.RedfishVersion,
            Systems = inventory.Systems.Select((s, i) => new SystemRecord
            {
                Uri = Absolute(s.Path),
                UUID = s.UUID,
                Name = s.Name,
                SystemType = s.SystemType,
                Manufacturer = s.Manufacturer,
                Model = s.Model,
                Serial = s.SerialNumber,
                BiosVersion = s.BiosVersion,
                Power = new PowerRecord { State = s.PowerState, PowerControlIds = [.. s.PowerControlIds] },
                ProcessorCount = s.ProcessorCount,
                ProcessorType = s.ProcessorModel,
                MemoryTotal = s.MemoryGiB,
                TrustedModules = [.. s.TrustedModules],
                SerialConsole = Console(s.SerialConsole),
                EthernetInterfaces = s.EthernetInterfaces.Select(Nic).ToList(),
                NetworkInterfaces = s.NetworkAdapters.Select(a => new NetworkAdapterRecord
                {
                    Uri = Absolute(a.Path), Manufacturer = a.Manufacturer, Model = a.Model, Name = a.Name, Serial = a.SerialNumber,
                }).ToList(),
                Actions = [.. s.ResetTypes],
                ResetTarget = s.ResetTarget,
                Links = new LinksRecord { Chassis = [.. s.ChassisLinks], Managers = [.. s.ManagerLinks] },
                ChassisSku = s.ChassisSku,
                ChassisSerial = s.ChassisSerial,
                ChassisAssetTag = s.ChassisAssetTag,
                ChassisManufacturer = s.ChassisManufacturer,
                ChassisModel = s.ChassisModel,
                NodeId = i < nodeXnames.Count ? nodeXnames[i] : null,
            }).ToList(),
            Managers = inventory.Managers.Select(m => new ManagerRecord
            {
                Uri = Absolute(m.Path),
                UUID = m.UUID,
                Name = m.Name,
                Description = m.Description,
                Model = m.Model,
                Type = m.ManagerType,
                FirmwareVersion = m.FirmwareVersion,
                EthernetInterfaces = m.EthernetInterfaces.Select(Nic).ToList(),
                Actions = [.. m.ResetTypes],
                ResetTarget = m.ResetTarget,
                CommandShell = [.. m.CommandShell],
                SerialConsole = Console(m.SerialConsole),
            }).ToList(),
        };
    }
}
