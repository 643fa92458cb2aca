namespace OpenChami.Core.Inventory;

/// <summary>What a write did to one object.</summary>
public enum ChangeAction
{
    Unchanged,
    Updated,
    Added,
    Deleted,
}

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

/// <summary>The per-object changes of one transaction, in the order they were made (one entry per object).</summary>
public sealed class InventoryChangeSet
{
    private readonly List<ImportResult> items = [];
    private readonly Dictionary<(string, string), ImportResult> byKey = [];

    public IReadOnlyList<ImportResult> Items => items;

    public int Added => items.Count(i => i.Action == ChangeAction.Added);

    public int Updated => items.Count(i => i.Action == ChangeAction.Updated);

    public int Unchanged => items.Count(i => i.Action == ChangeAction.Unchanged);

    public int Deleted => items.Count(i => i.Action == ChangeAction.Deleted);

    /// <summary>Records a change; an object touched twice keeps its strongest action (Added over Updated over Unchanged).</summary>
    public void Record(string objectType, string id, ChangeAction action)
    {
        if (byKey.TryGetValue((objectType, id), out var existing))
        {
            if (action > existing.Action) existing.Action = action;
            return;
        }
        var item = new ImportResult { ObjectType = objectType, ID = id, Action = action };
        byKey[(objectType, id)] = item;
        items.Add(item);
    }

    public IEnumerable<ImportResult> OfType(string objectType) => items.Where(i => i.ObjectType == objectType);

    public override string ToString() => $"{Added} added, {Updated} updated, {Unchanged} unchanged, {Deleted} deleted";
}

public static class InventoryObjectTypes
{
    public const string Component = "Component";
    public const string EthernetInterface = "EthernetInterface";
    public const string RedfishEndpoint = "RedfishEndpoint";
    public const string ComponentEndpoint = "ComponentEndpoint";
    public const string ServiceEndpoint = "ServiceEndpoint";
    public const string Group = "Group";
    public const string Partition = "Partition";
}
