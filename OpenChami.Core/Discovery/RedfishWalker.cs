using System.Text.Json.Nodes;

namespace OpenChami.Core.Discovery;

/// <summary>
/// The authenticated walk of one BMC (spec/discovery-power.md §2.3): service root, Systems (with reset
/// actions, ActionInfo, EthernetInterfaces, NetworkInterfaces), Managers, Chassis. Links are followed as given;
/// a resource that can't be read becomes a warning, not a failed BMC. Only a refused credential, a timeout
/// of the whole BMC, or a walk that read nothing at all fails it.
/// </summary>
internal sealed partial class RedfishWalker(RedfishConnection connection, CancellationToken cancellationToken)
{
    /// <summary>Bound on collection pages (<c>Members@odata.nextLink</c>) so a looping BMC can't hold a worker.</summary>
    private const int MaxPages = 64;

    private readonly RedfishBmcInventory inventory = new() { Target = connection.Target };
    private int readFailures;
    private int? lastFailureStatus;

    public async Task<RedfishBmcInventory> WalkAsync()
    {
        // Unauthenticated first: it names the session service. A BMC that protects its root gets Basic auth.
        JsonObject? root = null;
        try
        {
            root = await GetAsync("/redfish/v1/", required: true).ConfigureAwait(false);
        }
        catch (RedfishRequestException e) when (e.Reason == DiscoveryFailure.AuthFailed)
        {
        }
        var sessions = RedfishJson.Link(root, "Links", "Sessions");
        if (sessions is null && RedfishJson.Link(root, "SessionService") is { } sessionService)
        {
            sessions = await SessionsOf(sessionService).ConfigureAwait(false);
        }
        await connection.LoginAsync(sessions, cancellationToken).ConfigureAwait(false);
        try
        {
            inventory.User = connection.User;
            inventory.AuthMethod = connection.AuthMethod;
            // Re-read the root authenticated (the public one may be trimmed); proves the credential first.
            root = await GetAsync("/redfish/v1/", required: true).ConfigureAwait(false);
            inventory.RedfishVersion = RedfishJson.Str(root, "RedfishVersion");
            inventory.UUID = Field(root, "/redfish/v1", RedfishValueKind.Uuid, "UUID");
            inventory.Vendor = RedfishJson.Str(root, "Vendor");
            inventory.Product = RedfishJson.Str(root, "Product");
            ReadServices(root);

            foreach (var path in await MembersAsync(LinkOf(root, "/redfish/v1", "Systems"), "Systems").ConfigureAwait(false))
            {
                await ReadSystemAsync(path).ConfigureAwait(false);
            }
            foreach (var path in await MembersAsync(LinkOf(root, "/redfish/v1", "Managers"), "Managers").ConfigureAwait(false))
            {
                await ReadManagerAsync(path).ConfigureAwait(false);
            }
            foreach (var path in await MembersAsync(LinkOf(root, "/redfish/v1", "Chassis"), "Chassis").ConfigureAwait(false))
            {
                await ReadChassisAsync(path).ConfigureAwait(false);
            }
            ApplyChassis();
            AssignChassisAdapters();
            FindBmcMac();
        }
        finally
        {
            await connection.LogoutAsync().ConfigureAwait(false);
        }

        if (inventory.Systems.Count == 0 && inventory.Managers.Count == 0 && readFailures > 0)
        {
            throw new RedfishRequestException(DiscoveryFailure.WalkFailed,
                $"nothing could be read: {string.Join("; ", inventory.Warnings.Take(3))}", lastFailureStatus);
        }
        if (inventory.Systems.Count == 0) inventory.Warnings.Add("the BMC lists no Systems");
        return inventory;
    }

    private async Task<string?> SessionsOf(string sessionServicePath)
    {
        try
        {
            return RedfishJson.Link(await GetAsync(sessionServicePath, required: false, quiet: true).ConfigureAwait(false), "Sessions");
        }
        catch (RedfishRequestException e) when (e.Reason == DiscoveryFailure.AuthFailed)
        {
            return null; // a protected SessionService (and no Links.Sessions in the root): Basic auth then
        }
    }

    private async Task ReadSystemAsync(string path)
    {
        var body = await GetAsync(path).ConfigureAwait(false);
        if (body is null) return;
        var system = inventory.Systems.FirstOrDefault(s => s.Path == path) ?? new RedfishSystem { Path = path };
        if (!inventory.Systems.Contains(system)) inventory.Systems.Add(system);
        await ReadSystemHardwareAsync(path, body).ConfigureAwait(false);

        // Field-wise merge (non-empty wins) so a System met twice never loses what was read first.
        system.Id ??= RedfishJson.Str(body, "Id");
        system.UUID ??= Field(body, path, RedfishValueKind.Uuid, "UUID");
        system.Name ??= RedfishJson.Str(body, "Name");
        system.SystemType ??= RedfishJson.Str(body, "SystemType");
        system.Manufacturer ??= RedfishJson.Str(body, "Manufacturer");
        system.Model ??= RedfishJson.Str(body, "Model");
        system.SerialNumber ??= Field(body, path, RedfishValueKind.SerialNumber, "SerialNumber");
        system.BiosVersion ??= RedfishJson.Str(body, "BiosVersion");
        system.PowerState ??= RedfishJson.Str(body, "PowerState");
        system.PowerRestorePolicy ??= RedfishJson.Str(body, "PowerRestorePolicy");
        system.ProcessorCount ??= RedfishJson.Int(body, "ProcessorSummary", "Count");
        system.ProcessorModel ??= RedfishJson.Str(body, "ProcessorSummary", "Model");
        system.MemoryGiB ??= RedfishJson.Number(body, "MemorySummary", "TotalSystemMemoryGiB");
        if (system.TrustedModules.Count == 0 && RedfishJson.At(body, "TrustedModules") is JsonArray modules)
        {
            system.TrustedModules.AddRange(modules.Select(m => RedfishJson.Str(m, "InterfaceType")).OfType<string>());
        }
        if (system.SerialConsole.Count == 0) system.SerialConsole.AddRange(SerialConsoleOf(body));
        if (system.ChassisLinks.Count == 0) system.ChassisLinks.AddRange(RedfishJson.Links(body, "Links", "Chassis"));
        if (system.ManagerLinks.Count == 0) system.ManagerLinks.AddRange(RedfishJson.Links(body, "Links", "ManagedBy"));

        if (RedfishJson.At(body, "Actions", "#ComputerSystem.Reset") is JsonObject reset && system.ResetTarget is null)
        {
            system.ResetTarget = RedfishJson.Str(reset, "target");
            system.ResetActionInfo = RedfishJson.CleanPath(RedfishJson.Str(reset, "@Redfish.ActionInfo"));
            var (types, source) = await AllowedResetTypesAsync(reset).ConfigureAwait(false);
            system.ResetTypes.AddRange(types);
            system.ResetTypesSource = source;
            if (system.ResetTypes.Count == 0) inventory.Warnings.Add($"{path}: reset action lists no allowed ResetType values");
        }
        else if (system.ResetTarget is null)
        {
            inventory.Warnings.Add($"{path}: no #ComputerSystem.Reset action (power control will not work)");
        }

        if (system.EthernetInterfaces.Count == 0)
        {
            system.EthernetInterfaces.AddRange(await ReadNicsAsync(LinkOf(body, path, "EthernetInterfaces"), path).ConfigureAwait(false));
        }
        if (system.NetworkAdapters.Count == 0 && LinkOf(body, path, "NetworkInterfaces") is { } networkInterfaces)
        {
            foreach (var member in await MembersAsync(networkInterfaces, $"{path} NetworkInterfaces", optional: true).ConfigureAwait(false))
            {
                var adapterPath = LinkOf(await GetAsync(member).ConfigureAwait(false), member, "Links", "NetworkAdapter");
                if (adapterPath is null || await GetAsync(adapterPath).ConfigureAwait(false) is not { } adapter) continue;
                system.NetworkAdapters.Add(new RedfishNetworkAdapter
                {
                    Path = adapterPath,
                    Manufacturer = RedfishJson.Str(adapter, "Manufacturer"),
                    Model = RedfishJson.Str(adapter, "Model"),
                    Name = RedfishJson.Str(adapter, "Name"),
                    SerialNumber = Field(adapter, adapterPath, RedfishValueKind.SerialNumber, "SerialNumber"),
                });
            }
        }
    }

    // One rule for every reset action (systems and managers): inline AllowableValues, else the ActionInfo resource.
    private async Task<(List<string> Types, string? Source)> AllowedResetTypesAsync(JsonObject reset)
    {
        var inline = RedfishJson.Strings(reset, "ResetType@Redfish.AllowableValues");
        if (inline.Count > 0) return (inline, "Inline");
        if (RedfishJson.CleanPath(RedfishJson.Str(reset, "@Redfish.ActionInfo")) is not { } actionInfoPath) return ([], null);
        var fromInfo = await ActionInfoResetTypesAsync(actionInfoPath).ConfigureAwait(false);
        return (fromInfo, fromInfo.Count > 0 ? "ActionInfo" : null);
    }

    private async Task<List<string>> ActionInfoResetTypesAsync(string actionInfoPath)
    {
        var info = await GetAsync(actionInfoPath).ConfigureAwait(false);
        if (RedfishJson.At(info, "Parameters") is not JsonArray parameters) return [];
        var resetType = parameters.FirstOrDefault(p => RedfishJson.Str(p, "Name") == "ResetType");
        return RedfishJson.Strings(resetType, "AllowableValues");
    }

    private async Task ReadManagerAsync(string path)
    {
        var body = await GetAsync(path).ConfigureAwait(false);
        if (body is null) return;
        var manager = new RedfishManager
        {
            Path = path,
            Id = RedfishJson.Str(body, "Id"),
            UUID = Field(body, path, RedfishValueKind.Uuid, "UUID"),
            Name = RedfishJson.Str(body, "Name"),
            Description = RedfishJson.Str(body, "Description"),
            Model = RedfishJson.Str(body, "Model"),
            ManagerType = RedfishJson.Str(body, "ManagerType"),
            FirmwareVersion = RedfishJson.Str(body, "FirmwareVersion"),
        };
        manager.CommandShell.AddRange(RedfishJson.Strings(body, "CommandShell", "ConnectTypesSupported"));
        manager.SerialConsole.AddRange(SerialConsoleOf(body));
        if (RedfishJson.At(body, "Actions", "#Manager.Reset") is JsonObject reset)
        {
            manager.ResetTarget = RedfishJson.Str(reset, "target");
            manager.ResetTypes.AddRange((await AllowedResetTypesAsync(reset).ConfigureAwait(false)).Types);
        }
        manager.EthernetInterfaces.AddRange(await ReadNicsAsync(LinkOf(body, path, "EthernetInterfaces"), path).ConfigureAwait(false));
        inventory.Managers.Add(manager);
    }

    private async Task ReadChassisAsync(string path)
    {
        var body = await GetAsync(path).ConfigureAwait(false);
        if (body is null) return;
        var chassis = new RedfishChassis
        {
            Path = path,
            Id = RedfishJson.Str(body, "Id"),
            ChassisType = RedfishJson.Str(body, "ChassisType"),
            SKU = RedfishJson.Str(body, "SKU"),
            SerialNumber = Field(body, path, RedfishValueKind.SerialNumber, "SerialNumber"),
            AssetTag = RedfishJson.Str(body, "AssetTag"),
            Manufacturer = RedfishJson.Str(body, "Manufacturer"),
            Model = RedfishJson.Str(body, "Model"),
        };
        chassis.ComputerSystems.AddRange(RedfishJson.Links(body, "Links", "ComputerSystems"));
        if (RedfishJson.Link(body, "Power") is { } powerPath && await GetAsync(powerPath, required: false, quiet: true).ConfigureAwait(false) is { } power)
        {
            chassis.PowerControlIds.AddRange(RedfishJson.Links(power, "PowerControl"));
        }
        inventory.Chassis.Add(chassis);
        await ReadChassisHardwareAsync(path, body).ConfigureAwait(false);

        // Systems reachable only through a chassis (some vendors) are nodes too; merged by path, never replaced.
        foreach (var systemPath in chassis.ComputerSystems.Where(p => inventory.Systems.All(s => s.Path != p)))
        {
            await ReadSystemAsync(systemPath).ConfigureAwait(false);
        }
    }

    /// <summary>Copies chassis facts onto the systems they hold (system's own Links.Chassis first, then the chassis' links).</summary>
    private void ApplyChassis()
    {
        foreach (var system in inventory.Systems)
        {
            var chassis = system.ChassisLinks.Select(l => inventory.Chassis.FirstOrDefault(c => c.Path == l)).FirstOrDefault(c => c is not null)
                ?? inventory.Chassis.FirstOrDefault(c => c.ComputerSystems.Contains(system.Path));
            if (chassis is null) continue;
            system.ChassisSku ??= chassis.SKU;
            system.ChassisSerial ??= chassis.SerialNumber;
            system.ChassisAssetTag ??= chassis.AssetTag;
            system.ChassisManufacturer ??= chassis.Manufacturer;
            system.ChassisModel ??= chassis.Model;
            if (system.PowerControlIds.Count == 0) system.PowerControlIds.AddRange(chassis.PowerControlIds);
        }
    }

    /// <summary>The BMC's own MAC: the manager NIC carrying the probed address, else the only manager NIC (§2.8).</summary>
    private void FindBmcMac()
    {
        var nics = inventory.Managers.SelectMany(m => m.EthernetInterfaces).Where(n => n.MACAddress is not null).ToList();
        var host = inventory.Target.Host;
        var match = nics.FirstOrDefault(n => n.IPv4Address == host || n.IPv4StaticAddresses.Contains(host))
            ?? (nics.Select(n => n.MACAddress).Distinct().Count() == 1 ? nics[0] : null);
        inventory.BmcMacAddress = match?.MACAddress;
        if (match is null)
        {
            inventory.Warnings.Add(nics.Count == 0
                ? "the BMC's own MAC is not exposed over Redfish (no manager EthernetInterfaces); left empty"
                : $"no manager interface carries {host}; the BMC's own MAC is left empty");
        }
    }

    private async Task<List<RedfishNic>> ReadNicsAsync(string? collectionPath, string owner)
    {
        var nics = new List<RedfishNic>();
        if (collectionPath is null) return nics;
        foreach (var path in await MembersAsync(collectionPath, $"{owner} EthernetInterfaces").ConfigureAwait(false))
        {
            var body = await GetAsync(path).ConfigureAwait(false);
            if (body is null) continue;
            var nic = new RedfishNic
            {
                Path = path,
                Id = RedfishJson.Str(body, "Id"),
                // MACAddress, else PermanentMACAddress; a placeholder in either is skipped (and said), never invented.
                MACAddress = Field(body, path, RedfishValueKind.MacAddress, "MACAddress") ?? Field(body, path, RedfishValueKind.MacAddress, "PermanentMACAddress"),
                IPv4Address = Addresses(body, path, "IPv4Addresses").FirstOrDefault(),
                Name = RedfishJson.Str(body, "Name"),
                Description = RedfishJson.Str(body, "Description"),
                Enabled = RedfishJson.Bool(body, "InterfaceEnabled"),
            };
            nic.IPv4StaticAddresses.AddRange(Addresses(body, path, "IPv4StaticAddresses"));
            if (nic.MACAddress is null && RedfishJson.Raw(body, "MACAddress") is null && RedfishJson.Raw(body, "PermanentMACAddress") is null)
            {
                inventory.Warnings.Add($"{path}: no MAC given; interface recorded without one");
            }
            nics.Add(nic);
        }
        return nics;
    }

    /// <summary>
    /// An address, MAC, UUID or serial through <see cref="RedfishValues.Check"/>: a placeholder or invalid value is
    /// left out and recorded in <see cref="RedfishBmcInventory.Skipped"/> (it never fails the BMC).
    /// </summary>
    private string? Field(JsonNode? body, string resource, RedfishValueKind kind, params string[] path)
    {
        var raw = RedfishJson.Raw(body, path);
        var value = RedfishValues.Check(raw, kind, out var reason);
        if (reason is not null) inventory.Skipped.Add(new SkippedField(resource, string.Join('.', path), raw!, reason));
        return value;
    }

    /// <summary>The valid <c>Address</c> of every entry of an IPv4 address array; the others are skipped fields.</summary>
    private List<string> Addresses(JsonNode body, string resource, string array)
    {
        if (RedfishJson.At(body, array) is not JsonArray entries) return [];
        var addresses = new List<string>();
        for (var i = 0; i < entries.Count; i++)
        {
            var raw = RedfishJson.Raw(entries[i], "Address");
            if (RedfishValues.Check(raw, RedfishValueKind.IPAddress, out var reason) is { } address) addresses.Add(address);
            else if (reason is not null) inventory.Skipped.Add(new SkippedField(resource, $"{array}[{i}].Address", raw!, reason));
        }
        return addresses;
    }

    /// <summary>The <c>@odata.id</c> of a link object; one that is not a path (a placeholder, garbage) is a skipped field.</summary>
    private string? LinkOf(JsonNode? body, string resource, params string[] path) =>
        FollowableLink(RedfishJson.At(body, path), resource, $"{string.Join('.', path)}.@odata.id");

    private string? FollowableLink(JsonNode? link, string resource, string field)
    {
        var raw = RedfishJson.Raw(link, "@odata.id");
        var path = RedfishJson.CleanPath(raw);
        if (raw is not null && path is null)
        {
            inventory.Skipped.Add(new SkippedField(resource, field, raw, RedfishValues.IsPlaceholder(raw) ? "placeholder" : "not a link"));
        }
        return path;
    }

    private static IEnumerable<string> SerialConsoleOf(JsonNode body)
    {
        if (RedfishJson.At(body, "SerialConsole") is not JsonObject console) return [];
        return console.Where(p => p.Value is JsonObject o && RedfishJson.Bool(o, "ServiceEnabled") == true).Select(p => p.Key.ToLowerInvariant());
    }

    /// <summary>Member paths of a collection, every page; an unreadable collection is a warning and no members.</summary>
    private async Task<List<string>> MembersAsync(string? collectionPath, string what, bool optional = false)
    {
        var members = new List<string>();
        var next = collectionPath;
        for (var page = 0; next is not null && page < MaxPages; page++)
        {
            var body = await GetAsync(next, required: false, quiet: optional).ConfigureAwait(false);
            if (body is null) break;
            if (RedfishJson.At(body, "Members") is not JsonArray)
            {
                inventory.Warnings.Add($"{next}: collection has no Members");
                break;
            }
            var listed = (JsonArray)RedfishJson.At(body, "Members")!;
            for (var i = 0; i < listed.Count; i++)
            {
                if (FollowableLink(listed[i], next, $"Members[{i}].@odata.id") is { } member && !members.Contains(member)) members.Add(member);
            }
            next = RedfishJson.CleanPath(RedfishJson.Str(body, "Members@odata.nextLink"));
        }
        if (collectionPath is null && !optional) inventory.Warnings.Add($"the service root has no {what} link");
        return members;
    }

    /// <summary>
    /// GET that turns failures into warnings. Auth failures and the BMC-wide timeout propagate (the BMC fails);
    /// <paramref name="required"/> makes any failure propagate. 404/501 on optional resources are quiet when asked.
    /// </summary>
    private async Task<JsonObject?> GetAsync(string path, bool required = false, bool quiet = false)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            var response = await connection.GetAsync(path, cancellationToken).ConfigureAwait(false);
            if (response.Body is not null) return response.Body;
            var message = response.Status is >= 200 and <= 299 ? $"{path}: answer is not a JSON object" : $"{path}: HTTP {response.Status}";
            if (required) throw new RedfishRequestException(response.Status >= 500 ? DiscoveryFailure.WalkFailed : DiscoveryFailure.NotRedfish, message, response.Status);
            if (!(quiet && response.Status is 404 or 501))
            {
                readFailures++;
                lastFailureStatus = response.Status;
                inventory.Warnings.Add(message);
            }
            return null;
        }
        catch (RedfishRequestException e) when (!required && e.Reason is DiscoveryFailure.Timeout or DiscoveryFailure.WalkFailed)
        {
            readFailures++;
            inventory.Warnings.Add(e.Message);
            return null;
        }
    }
}
