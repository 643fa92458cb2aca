using System.Management.Automation;
using OpenChami.Core.Inventory;
using OpenChami.Core.Inventory.Hardware;
using OpenChami.PowerShell.Completers;
using OpenChami.PowerShell.Infrastructure;

namespace OpenChami.PowerShell.Commands.Hardware;

/// <summary>
/// Lists hardware history events, oldest first: a FRU Added at a location, Removed from it, or Scanned there again by a
/// rediscovery. Follows a part (-FruId) across locations or a location (-Xname) across parts.
/// </summary>
[Cmdlet(VerbsCommon.Get, "ChamiHardwareHistory")]
[OutputType(typeof(HardwareHistoryEntry))]
public sealed class GetChamiHardwareHistoryCommand : ChamiCmdletBase
{
    /// <summary>Only events at these locations (xnames or wildcard patterns).</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("ID")]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(XnameCompleter))]
    public string[]? Xname { get; set; }

    /// <summary>Only events of these FRUs.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string[]? FruId { get; set; }

    /// <summary>Only events of these types.</summary>
    [Parameter]
    [ValidateSet(HardwareEventType.Added, HardwareEventType.Removed, HardwareEventType.Scanned, HardwareEventType.Detected)]
    public string[]? EventType { get; set; }

    /// <summary>Only events at or after this time.</summary>
    [Parameter]
    public DateTime? Since { get; set; }

    /// <summary>Only events at or before this time.</summary>
    [Parameter]
    public DateTime? Until { get; set; }

    protected override void ProcessRecord()
    {
        var query = new HardwareHistoryQuery { StartTime = Since?.ToUniversalTime(), EndTime = Until?.ToUniversalTime() };
        var patterns = (Xname ?? []).Select(Wildcard.XnamePattern).ToList();
        if (patterns.Count > 0 && patterns.All(p => !Wildcard.HasWildcard(p))) query.Ids.AddRange(patterns); // index reads
        else if (patterns.Count > 0) query.XnameMatch = x => patterns.Any(p => Wildcard.IsMatch(x, p));
        query.FruIds.AddRange(FruId ?? []);
        query.EventTypes.AddRange((EventType ?? []).Select(e => HardwareEventType.Canonical(e)!));
        IReadOnlyList<HardwareHistoryEntry> events = [];
        if (!TryItem(() => events = Services.Hardware.History(query))) return;
        foreach (var entry in events) WriteObject(entry);
    }
}
