using System.Text.Json;
using OpenChami.Core.Model;
using OpenChami.Core.Serialization;

namespace OpenChami.Core.Discovery;

/// <summary>
/// Walked inventory → the SchemaVersion 1 RedfishEndpoint record of spec/discovery-power.md §2.4, in the shape
/// the SMD ingestion (<see cref="Inventory.RedfishEndpointService"/>) takes, so discovery and POST
/// /Inventory/RedfishEndpoints store through the same code. The password is never part of it.
/// </summary>
public static class RedfishEndpointInputMapper
{
    /// <param name="inventory">What the walk read.</param>
    /// <param name="bmcXname">The BMC's xname.</param>
    /// <param name="nodeXnames">Node xname per System (Systems order), written as <c>node_id</c>.</param>
    /// <param name="keepMac">Which NIC MACs to send (discovery leaves MACs owned elsewhere out); null = all.</param>
    /// <param name="skipCertificateCheck">The run's TLS choice, remembered on the endpoint for HTTPS BMCs (power uses it).</param>
    public static RedfishEndpointInput ToInput(RedfishBmcInventory inventory, string bmcXname, IReadOnlyList<string> nodeXnames,
        Func<string, string, bool>? keepMac = null, bool skipCertificateCheck = false)
    {
        var target = inventory.Target;
        string Absolute(string path) => path.StartsWith("http", StringComparison.OrdinalIgnoreCase) ? path : target.BaseUrl + path;
        List<RedfishInterfaceRecord> Nics(IEnumerable<RedfishNic> nics, string owner) => nics
            .Where(n => n.MACAddress is null || keepMac is null || keepMac(n.MACAddress, owner))
            .Select(n => new RedfishInterfaceRecord
            {
                Uri = Absolute(n.Path), Mac = n.MACAddress, Ip = n.IPv4Address, Name = n.Name, Description = n.Description, Enabled = n.Enabled,
            }).ToList();
        JsonElement? Element<T>(T? value) => value is null ? null : JsonSerializer.SerializeToElement(value, ChamiJson.Options);
        JsonElement? Console(List<string> kinds) => kinds.Count == 0 ? null : Element(new Dictionary<string, bool>
        {
            ["ipmi"] = kinds.Contains("ipmi") || kinds.Contains("impi"), ["ssh"] = kinds.Contains("ssh"), ["telnet"] = kinds.Contains("telnet"),
        });

        return new RedfishEndpointInput
        {
            ID = bmcXname,
            Type = Xnames.Xname.GetHmsType(bmcXname).ToString(),
            FQDN = target.HostWithPort,
            IPAddress = System.Net.IPAddress.TryParse(target.Host, out _) ? target.Host : null,
            MACAddr = inventory.BmcMacAddress,
            User = inventory.User,
            UUID = inventory.UUID,
            MACRequired = true,
            RediscoverOnUpdate = false,
            SchemaVersion = 1,
            RedfishVersion = inventory.RedfishVersion,
            // Over HTTP there is no certificate to check: the stored choice stays as it was.
            SkipCertificateCheck = target.Scheme.Equals("https", StringComparison.OrdinalIgnoreCase) ? skipCertificateCheck : null,
            Systems = inventory.Systems.Select((s, i) => new RedfishSystemRecord
            {
                Uri = Absolute(s.Path),
                Uuid = s.UUID,
                Name = s.Name,
                SystemType = s.SystemType,
                Manufacturer = s.Manufacturer,
                Model = s.Model,
                Serial = s.SerialNumber,
                BiosVersion = s.BiosVersion,
                Power = new RedfishPowerRecord { State = s.PowerState, PowerControlIds = [.. s.PowerControlIds] },
                ProcessorCount = Element(s.ProcessorCount),
                ProcessorType = s.ProcessorModel,
                MemoryTotal = Element(s.MemoryGiB),
                TrustedModules = s.TrustedModules.Count == 0 ? null : Element(s.TrustedModules),
                SerialConsole = Console(s.SerialConsole),
                EthernetInterfaces = Nics(s.EthernetInterfaces, i < nodeXnames.Count ? nodeXnames[i] : string.Empty),
                NetworkInterfaces = s.NetworkAdapters.Count == 0 ? null : Element(s.NetworkAdapters.Select(a => new
                {
                    uri = Absolute(a.Path), manufacturer = a.Manufacturer, model = a.Model, name = a.Name, serial = a.SerialNumber,
                }).ToList()),
                Actions = [.. s.ResetTypes],
                ResetTarget = s.ResetTarget,
                ResetActionInfo = s.ResetActionInfo,
                Links = new RedfishLinksRecord { Chassis = [.. s.ChassisLinks], Managers = [.. s.ManagerLinks] },
                ChassisSku = s.ChassisSku,
                ChassisSerial = s.ChassisSerial,
                ChassisAssetTag = s.ChassisAssetTag,
                ChassisManufacturer = s.ChassisManufacturer,
                ChassisModel = s.ChassisModel,
                NodeId = i < nodeXnames.Count ? Element(nodeXnames[i]) : null,
            }).ToList(),
            Managers = inventory.Managers.Select(m => new RedfishManagerRecord
            {
                Uri = Absolute(m.Path),
                Uuid = m.UUID,
                Name = m.Name,
                Description = m.Description,
                Model = m.Model,
                Type = m.ManagerType,
                FirmwareVersion = m.FirmwareVersion,
                EthernetInterfaces = Nics(m.EthernetInterfaces, bmcXname),
                Actions = [.. m.ResetTypes],
                ResetTarget = m.ResetTarget,
                CommandShell = m.CommandShell.Count == 0 ? null : Element(m.CommandShell),
                SerialConsole = Console(m.SerialConsole),
            }).ToList(),
        };
    }
}
