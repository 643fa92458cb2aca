using OpenChami.Core.Errors;

namespace OpenChami.Core.Inventory.Import;

/// <summary>Input formats <c>Import-ChamiInventory</c> understands.</summary>
public enum InventoryFileFormat
{
    /// <summary>Pick by extension: .yaml/.yml → NodesYaml, .csv → Csv, .json → our export or a nodes file in JSON.</summary>
    Auto,

    /// <summary>ochami's nodes.yaml (current bmcs/nodes format or the older per-node bmc_mac/bmc_ip format), YAML or JSON.</summary>
    NodesYaml,

    /// <summary>One node per row: xname, name, nid, mac, ip, network, groups, bmc_mac, bmc_ip, bmc_fqdn (';' separates several values).</summary>
    Csv,

    /// <summary>OpenChami's own <c>Export-ChamiInventory</c> JSON.</summary>
    Json,
}

public enum ImportProblemSeverity
{
    Warning,
    Error,
}

/// <summary>
/// One problem found in an inventory file, with a stable <see cref="Id"/> (<c>InvalidXname</c>, <c>BmcNotFound</c>...)
/// and its position. <see cref="Fatal"/> problems (syntax, unknown top-level key) stop the whole import; other errors
/// skip only their element, as ochami does (spec/discovery-power.md §3.3).
/// </summary>
public sealed class ImportProblem
{
    public string Id { get; init; } = string.Empty;

    public ImportProblemSeverity Severity { get; init; }

    public bool Fatal { get; init; }

    public string Message { get; init; } = string.Empty;

    public string? Target { get; init; }

    public string File { get; init; } = string.Empty;

    /// <summary>1-based line (0 when unknown).</summary>
    public long Line { get; init; }

    public long Column { get; init; }

    public string Position => Line > 0 ? $"{File}:{Line}:{Column}" : File;

    public override string ToString() => $"{Position}: {Message}";

    public ChamiException ToException() => ChamiException.Invalid(Id, ToString(), Target);
}

/// <summary>A BMC of a nodes file (current format <c>bmcs[]</c>, or derived from the old per-node keys).</summary>
public sealed class BmcEntry
{
    public string Xname { get; set; } = string.Empty;

    public string Mac { get; set; } = string.Empty;

    public string Ip { get; set; } = string.Empty;

    public string? Name { get; set; }

    public string? Fqdn { get; set; }

    public long Line { get; set; }
}

/// <summary>A node of a nodes file.</summary>
public sealed class NodeEntry
{
    public string Name { get; set; } = string.Empty;

    public long Nid { get; set; }

    public string Xname { get; set; } = string.Empty;

    /// <summary>Current format: reference to a BMC's mac, name or xname.</summary>
    public string? Bmc { get; set; }

    /// <summary>Old format.</summary>
    public string? BmcMac { get; set; }

    public string? BmcIp { get; set; }

    public string? BmcFqdn { get; set; }

    public List<string> Groups { get; } = [];

    public List<NicEntry> Interfaces { get; } = [];

    public long Line { get; set; }

    public long Column { get; set; }
}

public sealed class NicEntry
{
    public string Mac { get; set; } = string.Empty;

    public List<(string Ip, string? Network)> Addresses { get; } = [];
}

/// <summary>A parsed nodes file: what survived validation, and every problem found.</summary>
public sealed class NodesFile
{
    public string Path { get; init; } = string.Empty;

    public bool LegacyFormat { get; set; }

    public List<BmcEntry> Bmcs { get; } = [];

    public List<NodeEntry> Nodes { get; } = [];

    public List<ImportProblem> Problems { get; } = [];
}
