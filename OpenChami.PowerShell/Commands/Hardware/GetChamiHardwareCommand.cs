using System.Management.Automation;
using OpenChami.Core.Inventory;
using OpenChami.Core.Inventory.Hardware;
using OpenChami.Core.Xnames;
using OpenChami.PowerShell.Infrastructure;

namespace OpenChami.PowerShell.Commands.Hardware;

/// <summary>
/// Lists the hardware inventory discovery found (SMD's HWInvByLoc with its FRU): nodes, processors, accelerators, DIMMs,
/// drives, HSN NICs, node enclosures and power supplies, with manufacturer, model, part and serial number.
/// </summary>
[Cmdlet(VerbsCommon.Get, "ChamiHardware")]
[OutputType(typeof(HardwareItem))]
public sealed class GetChamiHardwareCommand : XnameFilterCmdletBase
{
    /// <summary>Only locations of these HMS types (Node, Processor, Memory, Drive, NodeAccel, NodeHsnNic, NodeEnclosure, NodeEnclosurePowerSupply).</summary>
    [Parameter]
    public HmsType[]? Type { get; set; }

    /// <summary>Only parts with one of these serial numbers (exact, case-sensitive).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string[]? SerialNumber { get; set; }

    /// <summary>Only locations holding one of these FRUs.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string[]? FruId { get; set; }

    protected override void ProcessRecord()
    {
        var query = new HardwareQuery();
        query.Types.AddRange(Type ?? []);
        query.SerialNumbers.AddRange(SerialNumber ?? []);
        query.FruIds.AddRange(FruId ?? []);
        var patterns = XnamePatterns;
        if (patterns.Count > 0 && patterns.All(p => !Wildcard.HasWildcard(p))) query.Ids.AddRange(patterns); // key reads
        else if (patterns.Count > 0) query.XnameMatch = x => patterns.Any(p => Wildcard.IsMatch(x, p));
        IReadOnlyList<HardwareItem> found = [];
        if (!TryItem(() => found = Services.Hardware.Query(query))) return;
        foreach (var item in found) WriteObject(item);
        WriteXnamesNotFound(found.Select(i => i.Xname), "Hardware");
    }
}
