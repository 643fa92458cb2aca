namespace OpenChami.Core.Inventory;

/// <summary>
/// One object touched by an ingestion or import: <c>Component x1000c0s0b0n0 Added</c>. Discovery and
/// Import-ChamiInventory report these per object.
/// </summary>
public sealed class ImportResult
{
    /// <summary><c>Component</c>, <c>EthernetInterface</c>, <c>RedfishEndpoint</c>, <c>ComponentEndpoint</c>, <c>ServiceEndpoint</c>, <c>Group</c>, <c>Partition</c>.</summary>
    public string ObjectType { get; init; } = string.Empty;

    public string ID { get; init; } = string.Empty;

    public ChangeAction Action { get; set; }

    /// <summary>True when the change was only computed (-WhatIf) and not written.</summary>
    public bool WhatIf { get; set; }

    public override string ToString() => $"{ObjectType} {ID} {Action}";
}
