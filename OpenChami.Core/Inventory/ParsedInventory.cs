using OpenChami.Core.Inventory.Import;

namespace OpenChami.Core.Inventory;

/// <summary>A parsed inventory file, ready to apply: problems first, so callers can report them all before writing.</summary>
public sealed class ParsedInventory
{
    public string Path { get; init; } = string.Empty;

    public InventoryFileFormat Format { get; init; }

    public NodesFile? Nodes { get; init; }

    public InventoryDocument? Document { get; init; }

    public List<ImportProblem> Problems { get; init; } = [];

    internal NodesPlan? Plan { get; init; }

    /// <summary>True when a problem prevents importing anything (syntax error, unknown top-level key...).</summary>
    public bool HasFatalProblems => Problems.Any(p => p.Fatal);
}
