using OpenChami.Core.Model;
using OpenChami.Core.Storage;
using OpenChami.Core.Xnames;

namespace OpenChami.Core.Inventory.Import;

/// <summary>Restores an <see cref="InventoryDocument"/> (Export-ChamiInventory's JSON) object by object, inside the caller's transaction.</summary>
internal static class InventoryDocumentImporter
{
    public static InventoryChangeSet Apply(IStoreSession session, InventoryDocument document, CancellationToken cancellation)
    {
        var changes = new InventoryChangeSet();
        var components = session.Collection<Component>();
        foreach (var input in document.Components)
        {
            cancellation.ThrowIfCancellationRequested();
            var c = input.Clone();
            c.ID = ComponentRules.ParseId(input.ID);
            c.Type = Xname.GetHmsType(c.ID);
            changes.Record(InventoryObjectTypes.Component, c.ID, components.WriteIfChanged(components.Get(c.ID), c));
        }
        var nics = session.Collection<EthernetInterface>();
        foreach (var input in document.EthernetInterfaces)
        {
            var nic = EthernetInterfaceService.Prepare(input);
            nic.LastUpdate = input.LastUpdate == default ? nic.LastUpdate : input.LastUpdate.ToUniversalTime();
            changes.Record(InventoryObjectTypes.EthernetInterface, nic.ID, nics.WriteIfChanged(nics.Get(nic.ID), nic));
        }
        var groups = session.Collection<Group>();
        foreach (var input in document.Groups)
        {
            var group = new Group
            {
                Label = GroupService.NormalizeLabel(input.Label),
                Description = input.Description ?? string.Empty,
                ExclusiveGroup = string.IsNullOrEmpty(input.ExclusiveGroup) ? null : GroupService.NormalizeLabel(input.ExclusiveGroup, "exclusive group"),
                Tags = input.Tags is { Count: > 0 } ? input.Tags.Select(t => GroupService.NormalizeLabel(t, "tag")).ToList() : null,
            };
            var action = WriteWithMembers(groups, group.Label, group, input.Members, ids => GroupService.SetMembers(session, group.Label, ids));
            changes.Record(InventoryObjectTypes.Group, group.Label, action);
        }
        var partitions = session.Collection<Partition>();
        foreach (var input in document.Partitions)
        {
            var partition = new Partition
            {
                Name = input.Name.Trim().ToLowerInvariant(),
                Description = input.Description,
                Tags = input.Tags,
            };
            var action = WriteWithMembers(partitions, partition.Name, partition, input.Members, ids => PartitionService.SetMembers(session, partition.Name, ids));
            changes.Record(InventoryObjectTypes.Partition, partition.Name, action);
        }
        var rfes = session.Collection<RedfishEndpoint>();
        foreach (var input in document.RedfishEndpoints)
        {
            var endpoint = RedfishEndpointService.Prepare(new RedfishEndpointInput
            {
                ID = input.ID, Name = input.Name, Hostname = input.Hostname, Domain = input.Domain, FQDN = input.FQDN,
                Enabled = input.Enabled, UUID = input.UUID, User = input.User, UseSSDP = input.UseSSDP, MACRequired = input.MACRequired,
                MACAddr = input.MACAddr, IPAddress = input.IPAddress, RediscoverOnUpdate = input.RediscoverOnUpdate, TemplateID = input.TemplateID,
            });
            endpoint.DiscoveryInfo = input.DiscoveryInfo ?? new DiscoveryInfo();
            if (endpoint.DiscoveryInfo.LastDiscoveryAttempt is { } at) endpoint.DiscoveryInfo.LastDiscoveryAttempt = at.ToUniversalTime();
            changes.Record(InventoryObjectTypes.RedfishEndpoint, endpoint.ID, rfes.WriteIfChanged(rfes.Get(endpoint.ID), endpoint));
        }
        var ces = session.Collection<ComponentEndpoint>();
        foreach (var ce in document.ComponentEndpoints)
        {
            ce.ID = Xname.Parse(ce.ID);
            ce.Type = Xname.GetHmsType(ce.ID);
            ce.RedfishEndpointID = Xname.Parse(ce.RedfishEndpointID);
            changes.Record(InventoryObjectTypes.ComponentEndpoint, ce.ID, ces.WriteIfChanged(ces.Get(ce.ID), ce));
        }
        var ses = session.Collection<ServiceEndpoint>();
        foreach (var se in document.ServiceEndpoints)
        {
            se.RedfishEndpointID = Xname.Parse(se.RedfishEndpointID);
            se.Key = ServiceEndpoint.KeyOf(se.RedfishType, se.RedfishEndpointID);
            changes.Record(InventoryObjectTypes.ServiceEndpoint, se.Key, ses.WriteIfChanged(ses.Get(se.Key), se));
        }
        return changes;
    }

    /// <summary>A group or partition: members are their own documents, so only the difference is written.</summary>
    private static ChangeAction WriteWithMembers<T>(IDocumentCollection<T> collection, string key, T wanted, MemberList members, Func<IReadOnlyList<string>, bool> setMembers) where T : class
    {
        var ids = members.Ids.Select(id => Xname.Parse(id)).Distinct().ToList();
        var action = collection.WriteIfChanged(collection.Get(key), wanted);
        return setMembers(ids) && action == ChangeAction.Unchanged ? ChangeAction.Updated : action;
    }
}
