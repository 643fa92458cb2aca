namespace OpenChami.PowerShell.Commands.Inventory;

/// <summary>How many documents of one collection Copy-ChamiInventory copied.</summary>
public sealed class InventoryCopyCount
{
    public required string Collection { get; init; }

    public int Count { get; init; }

    /// <summary>Source location (a file path, or a PostgreSQL location without password).</summary>
    public required string From { get; init; }

    public required string To { get; init; }
}
