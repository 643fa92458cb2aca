namespace OpenChami.Core.Inventory;

/// <summary>What a write did to one object.</summary>
public enum ChangeAction
{
    Unchanged,
    Updated,
    Added,
    Deleted,
}
