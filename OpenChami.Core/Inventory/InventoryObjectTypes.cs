namespace OpenChami.Core.Inventory;

/// <summary>The <see cref="ImportResult.ObjectType"/> names.</summary>
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
