using System.Management.Automation;
using OpenChami.Core.Inventory;
using OpenChami.Core.Xnames;
using OpenChami.PowerShell.Infrastructure;
using CoreEndpoint = OpenChami.Core.Model.RedfishEndpoint;

namespace OpenChami.PowerShell.Commands.RedfishEndpoint;

/// <summary>
/// Lists RedfishEndpoints (BMCs, PDU controllers, switches). The output never carries the BMC password:
/// its Password property is always empty; the secret stays in the credential store.
/// </summary>
[Cmdlet(VerbsCommon.Get, "ChamiRedfishEndpoint")]
[OutputType(typeof(CoreEndpoint))]
public sealed class GetChamiRedfishEndpointCommand : XnameFilterCmdletBase
{
    [Parameter]
    public HmsType[]? Type { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("MACAddr")]
    public string[]? MacAddress { get; set; }

    [Parameter]
    public string[]? IPAddress { get; set; }

    [Parameter]
    public string[]? Fqdn { get; set; }

    protected override void ProcessRecord()
    {
        var query = new RedfishEndpointQuery();
        foreach (var t in Type ?? []) query.Type.AddValue(t);
        if (!TryItem(() =>
        {
            foreach (var mac in MacAddress ?? []) query.MacAddr.AddValue(Core.Model.MacAddress.Normalize(mac));
            foreach (var ip in IPAddress ?? []) query.IPAddress.AddValue(Core.Model.MacAddress.NormalizeIp(ip));
        })) return;
        foreach (var fqdn in Fqdn ?? []) query.Fqdn.AddValue(fqdn.Trim());
        var patterns = XnamePatterns;
        var found = Services.RedfishEndpoints.Query(query)
            .Where(r => patterns.Count == 0 || patterns.Any(p => Wildcard.IsMatch(r.ID, p)))
            .ToList();
        foreach (var endpoint in found) WriteObject(endpoint);
        WriteXnamesNotFound(found.Select(r => r.ID), "RedfishEndpoint");
    }
}
