namespace OpenChami.Core.Inventory;

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
