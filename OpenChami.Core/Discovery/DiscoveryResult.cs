namespace OpenChami.Core.Discovery;

/// <summary>What discovery did to the inventory for one BMC.</summary>
public enum BmcDiscoveryStatus
{
    /// <summary>The BMC was new: its endpoint (and nodes) were added.</summary>
    Added,

    /// <summary>The BMC was known and something about it changed.</summary>
    Updated,

    /// <summary>The BMC was known and nothing changed; nothing was written.</summary>
    Unchanged,

    /// <summary>The BMC could not be discovered; see <see cref="DiscoveryResult.Reason"/> and <see cref="DiscoveryResult.Error"/>.</summary>
    Failed,
}

/// <summary>One BMC's outcome (output of <c>Invoke-ChamiDiscovery</c>).</summary>
public sealed class DiscoveryResult
{
    public required string Address { get; init; }

    public required int Port { get; init; }

    public required string Scheme { get; init; }

    /// <summary>The BMC xname, or null when none could be assigned.</summary>
    public string? Xname { get; set; }

    public BmcDiscoveryStatus Status { get; set; }

    /// <summary>Why it failed; null unless <see cref="Status"/> is Failed.</summary>
    public DiscoveryFailure? Reason { get; set; }

    /// <summary>Where it failed: Connect, Probe, Auth, Walk, Map or Store.</summary>
    public string? Stage { get; set; }

    public int? HttpStatus { get; set; }

    /// <summary>The failure in words; null on success.</summary>
    public string? Error { get; set; }

    /// <summary>Number of Systems (nodes) found.</summary>
    public int Systems { get; set; }

    public int Managers { get; set; }

    /// <summary>Node xnames, in Systems order.</summary>
    public List<string> Nodes { get; set; } = [];

    /// <summary>Distinct System MACs found (lower case).</summary>
    public List<string> MacAddresses { get; set; } = [];

    /// <summary>The BMC's own MAC, when Redfish exposed it.</summary>
    public string? BmcMacAddress { get; set; }

    /// <summary>What could not be read or was left alone; the BMC was still discovered.</summary>
    public List<string> Warnings { get; set; } = [];

    /// <summary>What was (or, with -WhatIf, would be) written.</summary>
    public List<string> Changes { get; set; } = [];

    /// <summary>True when nothing was written (-WhatIf).</summary>
    public bool WhatIf { get; set; }

    public DateTimeOffset Started { get; set; }

    public DateTimeOffset Finished { get; set; }

    public TimeSpan Duration => Finished - Started;

    /// <summary>The SchemaVersion 1 record that was (or would be) stored; null when the walk failed.</summary>
    public OpenChami.Core.Model.RedfishEndpointInput? Record { get; set; }

    /// <summary>What the walk read; null when it failed before reading.</summary>
    public RedfishBmcInventory? Inventory { get; set; }

    public override string ToString() => $"{Address}:{Port} {Xname} {Status}{(Reason is null ? string.Empty : $" ({Reason})")}";
}

/// <summary>One run's totals: the line a scheduled script logs.</summary>
public sealed class DiscoverySummary
{
    public int Targets { get; set; }

    /// <summary>Targets that answered as Redfish.</summary>
    public int Found { get; set; }

    public int Added { get; set; }

    public int Updated { get; set; }

    public int Unchanged { get; set; }

    public int Failed { get; set; }

    /// <summary>Subnet addresses where nothing answered (not failures).</summary>
    public int Silent { get; set; }

    public int Warnings { get; set; }

    public bool WhatIf { get; set; }

    public bool Cancelled { get; set; }

    public DateTimeOffset Started { get; set; }

    public TimeSpan Duration { get; set; }

    /// <summary>Every reported BMC, sorted by address then port.</summary>
    public List<DiscoveryResult> Results { get; set; } = [];

    public override string ToString() =>
        $"discovery {(Cancelled ? "stopped" : "finished")}{(WhatIf ? " (WhatIf: nothing written)" : string.Empty)}: " +
        $"{Targets} targets, {Found} BMCs, {Added} added, {Updated} updated, {Unchanged} unchanged, {Failed} failed, " +
        $"{Silent} silent, {Warnings} warnings in {Duration.TotalSeconds:0.0} s";
}

/// <summary>Progress of a run, reported as targets finish.</summary>
public readonly record struct DiscoveryProgress(int Completed, int Total, int Found, int Failed, string Current);
