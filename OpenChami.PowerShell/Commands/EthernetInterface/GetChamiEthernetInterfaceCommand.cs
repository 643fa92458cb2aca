using System.Management.Automation;
using OpenChami.Core.Errors;
using OpenChami.Core.Inventory;
using OpenChami.Core.Model;
using OpenChami.PowerShell.Completers;
using OpenChami.PowerShell.Infrastructure;
using CoreEthernetInterface = OpenChami.Core.Model.EthernetInterface;

namespace OpenChami.PowerShell.Commands.EthernetInterface;

/// <summary>
/// Lists NICs known to SMD, filtered like <c>GET /Inventory/EthernetInterfaces</c>. Filters are AND-ed; values of
/// one filter are OR-ed. Asking for an exact MAC that isn't there is an error.
/// </summary>
[Cmdlet(VerbsCommon.Get, "ChamiEthernetInterface")]
[OutputType(typeof(CoreEthernetInterface))]
public sealed class GetChamiEthernetInterfaceCommand : ChamiCmdletBase
{
    /// <summary>MAC addresses in any spelling (52:54:00:be:ef:01, 52-54-00-BE-EF-01, 525400beef01).</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("MAC")]
    public string[]? MacAddress { get; set; }

    /// <summary>Xnames of the components the NICs belong to.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("ComponentID")]
    [ArgumentCompleter(typeof(XnameCompleter))]
    public string[]? Xname { get; set; }

    [Parameter]
    [Alias("IP")]
    public string[]? IPAddress { get; set; }

    /// <summary>Network name of any address of the NIC (e.g. management, HMN).</summary>
    [Parameter]
    public string[]? Network { get; set; }

    protected override void ProcessRecord()
    {
        var query = new EthernetInterfaceQuery();
        if (!TryItem(() =>
        {
            foreach (var mac in MacAddress ?? []) query.MacAddress.AddValue(Core.Model.MacAddress.Normalize(mac));
            foreach (var x in Xname ?? []) query.ComponentId.AddValue(Core.Xnames.Xname.Parse(x));
            foreach (var ip in IPAddress ?? []) query.IPAddress.AddValue(Core.Model.MacAddress.NormalizeIp(ip));
            foreach (var network in Network ?? []) query.Network.AddValue(network);
        })) return;
        var found = Services.EthernetInterfaces.Query(query);
        foreach (var nic in found) WriteObject(nic);
        WriteNotFound(query.MacAddress.Include, mac => found.Any(n => n.MACAddress == mac),
            mac => ChamiException.NotFound("EthernetInterfaceNotFound", $"No ethernet interface has MAC address {mac}", mac));
    }
}
