namespace OpenChami.Core.Discovery;

/// <summary>What one authenticated Redfish walk read from a BMC (spec/discovery-power.md §2.3). Absent = null.</summary>
public sealed class RedfishBmcInventory
{
    public required DiscoveryTarget Target { get; init; }

    public string? RedfishVersion { get; set; }

    public string? UUID { get; set; }

    public string? Vendor { get; set; }

    public string? Product { get; set; }

    /// <summary>User the walk authenticated as (never the password).</summary>
    public string? User { get; set; }

    /// <summary><c>Session</c>, <c>Basic</c> or <c>None</c>.</summary>
    public string AuthMethod { get; set; } = "None";

    /// <summary>Systems in Systems-collection member order (then any found only via Chassis links).</summary>
    public List<RedfishSystem> Systems { get; } = [];

    public List<RedfishManager> Managers { get; } = [];

    public List<RedfishChassis> Chassis { get; } = [];

    /// <summary>Hardware inventory parts (spec/discovery-power.md §2.9), in walk order.</summary>
    public List<RedfishHardwarePart> Hardware { get; } = [];

    /// <summary>Redfish services the service root links (<c>AccountService</c> → its path), for SMD's ServiceEndpoints.</summary>
    public Dictionary<string, string> Services { get; } = [];

    /// <summary>What could not be read; the walk carried on without it.</summary>
    public List<string> Warnings { get; } = [];

    /// <summary>Values left out because they were placeholders or invalid (addresses, MACs, UUIDs, serials, links).</summary>
    public List<SkippedField> Skipped { get; } = [];

    /// <summary>MAC of the manager NIC carrying the probed address (lower case), or null (never invented).</summary>
    public string? BmcMacAddress { get; set; }
}

public sealed class RedfishSystem
{
    /// <summary>The resource path (<c>/redfish/v1/Systems/Node0</c>): what identifies a node, not UUID or serial.</summary>
    public required string Path { get; init; }

    public string? Id { get; set; }
    public string? UUID { get; set; }
    public string? Name { get; set; }
    public string? SystemType { get; set; }
    public string? Manufacturer { get; set; }
    public string? Model { get; set; }
    public string? SerialNumber { get; set; }
    public string? BiosVersion { get; set; }
    public string? PowerState { get; set; }
    public string? PowerRestorePolicy { get; set; }
    public int? ProcessorCount { get; set; }
    public string? ProcessorModel { get; set; }
    public double? MemoryGiB { get; set; }
    public List<string> TrustedModules { get; } = [];
    public List<string> SerialConsole { get; } = [];
    public string? ResetTarget { get; set; }

    /// <summary>Allowed ResetType values, inline or from <c>@Redfish.ActionInfo</c>.</summary>
    public List<string> ResetTypes { get; } = [];

    /// <summary>The reset action's <c>@Redfish.ActionInfo</c> link, when it has one.</summary>
    public string? ResetActionInfo { get; set; }

    /// <summary><c>Inline</c>, <c>ActionInfo</c> or null when the System has no reset action.</summary>
    public string? ResetTypesSource { get; set; }

    public List<RedfishNic> EthernetInterfaces { get; } = [];
    public List<RedfishNetworkAdapter> NetworkAdapters { get; } = [];
    public List<string> ChassisLinks { get; } = [];
    public List<string> ManagerLinks { get; } = [];
    public string? ChassisSku { get; set; }
    public string? ChassisSerial { get; set; }
    public string? ChassisAssetTag { get; set; }
    public string? ChassisManufacturer { get; set; }
    public string? ChassisModel { get; set; }
    public List<string> PowerControlIds { get; } = [];

    /// <summary>Distinct valid MACs of this System's interfaces, lower case, in interface order.</summary>
    public IEnumerable<string> MacAddresses => EthernetInterfaces.Where(n => n.MACAddress is not null).Select(n => n.MACAddress!).Distinct();

    public override string ToString() => Path;
}

public sealed class RedfishManager
{
    public required string Path { get; init; }
    public string? Id { get; set; }
    public string? UUID { get; set; }
    public string? Name { get; set; }
    public string? Description { get; set; }
    public string? Model { get; set; }
    public string? ManagerType { get; set; }
    public string? FirmwareVersion { get; set; }
    public List<string> CommandShell { get; } = [];
    public List<string> SerialConsole { get; } = [];
    public string? ResetTarget { get; set; }
    public List<string> ResetTypes { get; } = [];
    public List<RedfishNic> EthernetInterfaces { get; } = [];

    public IEnumerable<string> MacAddresses => EthernetInterfaces.Where(n => n.MACAddress is not null).Select(n => n.MACAddress!).Distinct();

    public override string ToString() => Path;
}

public sealed class RedfishChassis
{
    public required string Path { get; init; }
    public string? Id { get; set; }
    public string? ChassisType { get; set; }
    public string? SKU { get; set; }
    public string? SerialNumber { get; set; }
    public string? AssetTag { get; set; }
    public string? Manufacturer { get; set; }
    public string? Model { get; set; }
    public List<string> ComputerSystems { get; } = [];
    public List<string> PowerControlIds { get; } = [];

    public override string ToString() => Path;
}

/// <summary>One EthernetInterface resource. <see cref="MACAddress"/> is null when the BMC gave no valid MAC.</summary>
public sealed class RedfishNic
{
    public required string Path { get; init; }
    public string? Id { get; set; }
    public string? MACAddress { get; set; }
    public string? IPv4Address { get; set; }
    public List<string> IPv4StaticAddresses { get; } = [];
    public string? Name { get; set; }
    public string? Description { get; set; }
    public bool? Enabled { get; set; }

    public override string ToString() => $"{Path} {MACAddress}";
}

public sealed class RedfishNetworkAdapter
{
    public required string Path { get; init; }
    public string? Manufacturer { get; set; }
    public string? Model { get; set; }
    public string? Name { get; set; }
    public string? SerialNumber { get; set; }
}
