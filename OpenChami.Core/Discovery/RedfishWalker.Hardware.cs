using System.Text.Json;
using System.Text.Json.Nodes;
using OpenChami.Core.Xnames;

namespace OpenChami.Core.Discovery;

/// <summary>
/// The hardware part of the walk (spec/discovery-power.md §2.9): per System its Processors, Memory and
/// Storage/Drives; per Chassis the node enclosure, its power supplies and the network adapters of a node's chassis;
/// the Redfish services the root links. Links are followed only where present; a member that can't be read or is
/// not a JSON object loses that part (a warning), never the BMC.
/// </summary>
internal sealed partial class RedfishWalker
{
    /// <summary>The services SMD keeps as ServiceEndpoints (spec/smd.md §2.5), with the root property that links each.</summary>
    private static readonly (string Service, string[] RootNames)[] ServiceLinks =
    [
        ("AccountService", ["AccountService"]),
        ("EventService", ["EventService"]),
        ("SessionService", ["SessionService"]),
        ("TaskService", ["Tasks", "TaskService"]),
        ("UpdateService", ["UpdateService"]),
    ];

    /// <summary>Chassis types that are a node enclosure (a server's box or a blade's enclosure), not a node or a card.</summary>
    private static readonly HashSet<string> EnclosureTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        "RackMount", "Enclosure", "StandAlone", "Sled", "Shelf", "Drawer",
    };

    /// <summary>Processor types that upstream SMD files as NodeAccel (GPUs and other accelerators), not Processor.</summary>
    private static readonly HashSet<string> AcceleratorTypes = new(StringComparer.OrdinalIgnoreCase) { "GPU", "FPGA", "Accelerator", "OEM" };

    private static readonly string[] NodeLocationFields = ["Id", "Name", "Description", "HostName", "ProcessorSummary", "MemorySummary"];
    private static readonly string[] NodeFruFields = ["AssetTag", "BiosVersion", "Model", "Manufacturer", "PartNumber", "SerialNumber", "SKU", "SystemType", "UUID"];
    private static readonly string[] ProcessorFruFields =
        ["InstructionSet", "Manufacturer", "MaxSpeedMHz", "Model", "PartNumber", "ProcessorArchitecture", "ProcessorId", "ProcessorType", "SerialNumber", "TotalCores", "TotalThreads"];
    private static readonly string[] MemoryFruFields =
        ["BaseModuleType", "BusWidthBits", "CapacityMiB", "DataWidthBits", "ErrorCorrection", "Manufacturer", "MemoryType", "MemoryDeviceType", "OperatingSpeedMhz", "PartNumber", "RankCount", "SerialNumber"];
    private static readonly string[] DriveFruFields =
        ["Manufacturer", "SerialNumber", "PartNumber", "Model", "SKU", "CapacityBytes", "Protocol", "MediaType", "RotationSpeedRPM", "BlockSizeBytes", "CapableSpeedGbs", "NegotiatedSpeedGbs", "EncryptionAbility", "EncryptionStatus"];
    private static readonly string[] ChassisFruFields = ["AssetTag", "ChassisType", "Model", "Manufacturer", "PartNumber", "SerialNumber", "SKU"];
    private static readonly string[] PowerSupplyFruFields =
        ["Manufacturer", "SerialNumber", "Model", "PartNumber", "PowerCapacityWatts", "PowerInputWatts", "PowerOutputWatts", "PowerSupplyType", "FirmwareVersion"];
    private static readonly string[] AdapterFruFields = ["Manufacturer", "Model", "PartNumber", "SKU", "SerialNumber"];

    /// <summary>Network adapters read from a Chassis, waiting to learn which System (node) the Chassis is.</summary>
    private readonly List<RedfishHardwarePart> chassisAdapters = [];

    private void ReadServices(JsonObject? root)
    {
        foreach (var (service, names) in ServiceLinks)
        {
            if (names.Select(n => RedfishJson.Link(root, n)).FirstOrDefault(l => l is not null) is { } path) inventory.Services[service] = path;
        }
    }

    private async Task ReadSystemHardwareAsync(string path, JsonObject body)
    {
        if (inventory.Hardware.Any(p => p.Owner == path)) return; // a System met twice is read once
        var node = Part(path, HmsType.Node, path, body, NodeLocationFields, NodeFruFields);
        node.Subtype = RedfishJson.Str(body, "SystemType") ?? string.Empty;
        inventory.Hardware.Add(node);

        foreach (var member in await MembersAsync(LinkOf(body, path, "Processors"), $"{path} Processors", optional: true).ConfigureAwait(false))
        {
            await ReadPartAsync(member, path, resource =>
            {
                var processorType = RedfishJson.Str(resource, "ProcessorType");
                var type = processorType is not null && AcceleratorTypes.Contains(processorType) ? HmsType.NodeAccel : HmsType.Processor;
                var part = Part(member, type, path, resource, ["Id", "Name", "Description", "Socket"], ProcessorFruFields);
                part.Subtype = processorType ?? string.Empty;
                return part;
            }).ConfigureAwait(false);
        }
        foreach (var member in await MembersAsync(LinkOf(body, path, "Memory"), $"{path} Memory", optional: true).ConfigureAwait(false))
        {
            await ReadPartAsync(member, path, resource =>
            {
                var part = Part(member, HmsType.Memory, path, resource, ["Id", "Name", "Description", "MemoryLocation"], MemoryFruFields);
                part.Subtype = RedfishJson.Str(resource, "MemoryDeviceType") ?? string.Empty;
                return part;
            }).ConfigureAwait(false);
        }
        var storages = await MembersAsync(LinkOf(body, path, "Storage"), $"{path} Storage", optional: true).ConfigureAwait(false);
        for (var group = 0; group < storages.Count; group++)
        {
            if (await GetAsync(storages[group]).ConfigureAwait(false) is not { } storage) continue;
            var drives = RedfishJson.At(storage, "Drives") is JsonArray listed
                ? listed.Select((d, i) => FollowableLink(d, storages[group], $"Drives[{i}].@odata.id")).OfType<string>().Distinct().ToList()
                : await MembersAsync(LinkOf(storage, storages[group], "Drives"), $"{storages[group]} Drives", optional: true).ConfigureAwait(false);
            foreach (var drive in drives)
            {
                var storageGroup = group;
                await ReadPartAsync(drive, path, resource =>
                {
                    var part = Part(drive, HmsType.Drive, path, resource, ["Id", "Name", "Description"], DriveFruFields);
                    part.Group = storageGroup;
                    part.Subtype = RedfishJson.Str(resource, "MediaType") ?? string.Empty;
                    return part;
                }).ConfigureAwait(false);
            }
        }
    }

    private async Task ReadChassisHardwareAsync(string path, JsonObject body)
    {
        if (RedfishJson.Str(body, "ChassisType") is { } chassisType && EnclosureTypes.Contains(chassisType))
        {
            inventory.Hardware.Add(Part(path, HmsType.NodeEnclosure, path, body, ["Id", "Name", "Description"], ChassisFruFields));
            // PowerSubsystem (current schema) first; the deprecated Power resource's PowerSupplies array otherwise.
            List<string> supplies = [];
            if (LinkOf(body, path, "PowerSubsystem") is { } subsystemPath && await GetAsync(subsystemPath, quiet: true).ConfigureAwait(false) is { } subsystem)
            {
                supplies = await MembersAsync(LinkOf(subsystem, subsystemPath, "PowerSupplies"), $"{subsystemPath} PowerSupplies", optional: true).ConfigureAwait(false);
            }
            if (supplies.Count > 0)
            {
                foreach (var supply in supplies)
                {
                    await ReadPartAsync(supply, path, resource => Part(supply, HmsType.NodeEnclosurePowerSupply, path, resource, ["Id", "Name", "Description"], PowerSupplyFruFields))
                        .ConfigureAwait(false);
                }
            }
            else if (LinkOf(body, path, "Power") is { } powerPath && await GetAsync(powerPath, quiet: true).ConfigureAwait(false) is { } power
                && RedfishJson.At(power, "PowerSupplies") is JsonArray inline)
            {
                for (var i = 0; i < inline.Count; i++)
                {
                    if (inline[i] is not JsonObject supply)
                    {
                        inventory.Warnings.Add($"{powerPath}: PowerSupplies[{i}] is not an object; left out");
                        continue;
                    }
                    AddPart(Part($"{powerPath}#/PowerSupplies/{i}", HmsType.NodeEnclosurePowerSupply, path, supply, ["MemberId", "Name"], PowerSupplyFruFields));
                }
            }
        }
        foreach (var member in await MembersAsync(LinkOf(body, path, "NetworkAdapters"), $"{path} NetworkAdapters", optional: true).ConfigureAwait(false))
        {
            if (await GetAsync(member).ConfigureAwait(false) is not { } resource) continue;
            chassisAdapters.Add(Part(member, HmsType.NodeHsnNic, path, resource, ["Id", "Name", "Description"], AdapterFruFields));
        }
    }

    /// <summary>
    /// A Chassis' network adapters belong to the one node that Chassis is: the System linking it (or linked by it), or the
    /// System with the Chassis' Id (blades name both <c>Node0</c>). Adapters of a Chassis that is no single node's are left out.
    /// </summary>
    private void AssignChassisAdapters()
    {
        foreach (var group in chassisAdapters.GroupBy(a => a.Owner))
        {
            var chassis = inventory.Chassis.FirstOrDefault(c => c.Path == group.Key);
            var systems = inventory.Systems.Where(s => s.ChassisLinks.Contains(group.Key) || (chassis?.ComputerSystems.Contains(s.Path) ?? false)
                || (chassis?.Id is { } id && s.Id == id)).Distinct().ToList();
            if (systems.Count != 1) continue;
            var ordinal = inventory.Hardware.Count(p => p.Owner == systems[0].Path && p.Type == HmsType.NodeHsnNic);
            foreach (var adapter in group)
            {
                if (inventory.Hardware.Any(p => p.Path == adapter.Path)) continue;
                inventory.Hardware.Add(new RedfishHardwarePart
                {
                    Path = adapter.Path, Type = adapter.Type, Owner = systems[0].Path, Ordinal = ordinal++,
                    Manufacturer = adapter.Manufacturer, Model = adapter.Model, PartNumber = adapter.PartNumber, SerialNumber = adapter.SerialNumber,
                    Absent = adapter.Absent, LocationInfo = adapter.LocationInfo, FruInfo = adapter.FruInfo,
                });
            }
        }
    }

    /// <summary>Reads one member and adds the part <paramref name="build"/> makes of it; anything wrong with it costs that part only.</summary>
    private async Task ReadPartAsync(string path, string owner, Func<JsonObject, RedfishHardwarePart> build)
    {
        if (await GetAsync(path).ConfigureAwait(false) is not { } resource) return;
        try
        {
            AddPart(build(resource));
        }
        catch (Exception e) when (e is InvalidOperationException or JsonException or FormatException or ArgumentException)
        {
            inventory.Warnings.Add($"{path}: unreadable hardware ({e.Message}); left out of {owner}'s inventory");
        }
    }

    private void AddPart(RedfishHardwarePart part)
    {
        part.Ordinal = inventory.Hardware.Count(p => p.Owner == part.Owner && p.Type == part.Type);
        inventory.Hardware.Add(part);
    }

    private RedfishHardwarePart Part(string path, HmsType type, string owner, JsonObject resource, string[] locationFields, string[] fruFields) => new()
    {
        Path = path,
        Type = type,
        Owner = owner,
        Absent = string.Equals(RedfishJson.Str(resource, "Status", "State"), "Absent", StringComparison.OrdinalIgnoreCase),
        Manufacturer = RedfishJson.Str(resource, "Manufacturer"),
        Model = RedfishJson.Str(resource, "Model"),
        PartNumber = RedfishJson.Str(resource, "PartNumber"),
        SerialNumber = Field(resource, path, RedfishValueKind.SerialNumber, "SerialNumber"),
        LocationInfo = Pick(resource, locationFields),
        FruInfo = Pick(resource, fruFields),
    };

    /// <summary>The named properties that carry a value: strings (placeholders left out), numbers, booleans, and objects (copied).</summary>
    private static JsonObject Pick(JsonObject resource, string[] names)
    {
        var picked = new JsonObject();
        foreach (var name in names)
        {
            switch (RedfishJson.At(resource, name))
            {
                case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                    if (RedfishJson.Str(resource, name) is { } text) picked[name] = text;
                    break;
                case JsonValue value when value.GetValueKind() is JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False:
                    picked[name] = value.DeepClone();
                    break;
                case JsonObject inner when inner.Count > 0:
                    picked[name] = inner.DeepClone();
                    break;
            }
        }
        return picked;
    }
}
