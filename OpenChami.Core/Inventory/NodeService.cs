using OpenChami.Core.Errors;
using OpenChami.Core.Model;
using OpenChami.Core.Storage;
using OpenChami.Core.Xnames;

namespace OpenChami.Core.Inventory;

/// <summary>
/// Nodes as operators think of them: a Node component with its NICs, groups and BMC, created,
/// changed and removed as one unit (one transaction each).
/// </summary>
public sealed class NodeService(IChamiStore store)
{
    public Node? Find(string xname)
    {
        if (!Xname.TryParse(xname, out var id, out var type) || type != HmsType.Node) return null;
        return store.Read(s => s.Collection<Component>().Get(id) is { } c ? ToNode(s, c) : null);
    }

    public Node Get(string xname) => Find(xname) ?? throw NodeNotFound(xname);

    public IReadOnlyList<Node> Query(NodeQuery query) => store.Read(s => Query(s, query));

    internal static IReadOnlyList<Node> Query(IStoreSession session, NodeQuery query)
    {
        var componentQuery = new ComponentQuery();
        componentQuery.Type.AddValue(HmsType.Node);
        componentQuery.Wildcards.AddRange(query.Xname.Select(Wildcard.XnamePattern));
        componentQuery.Nids.AddRange(query.Nid);
        foreach (var role in query.Role) componentQuery.Role.AddValue(HmsValues.ParseRole(role));
        foreach (var state in query.State) componentQuery.State.AddValue(state);
        componentQuery.Groups.AddRange(query.Group.Select(g => g.Trim().ToLowerInvariant()));
        if (query.MacAddress.Count > 0)
        {
            var owners = query.MacAddress
                .Select(m => session.Collection<EthernetInterface>().Get(MacAddress.ToId(MacAddress.Normalize(m)))?.ComponentID)
                .Where(id => !string.IsNullOrEmpty(id))
                .Distinct()
                .ToList();
            if (owners.Count == 0) return [];
            foreach (var owner in owners) componentQuery.Id.AddValue(owner!);
        }
        var components = ComponentService.Query(session, componentQuery);
        return ToNodes(session, components);
    }

    /// <summary>
    /// Node views for the given components: per component, its NICs (ComponentID index) and its groups (membership
    /// index). Each node costs the same at any cluster size; reading every NIC and every group (with all its members)
    /// for a 128-node answer made it cost the whole cluster.
    /// </summary>
    internal static IReadOnlyList<Node> ToNodes(IStoreSession session, IReadOnlyList<Component> components) =>
        components.Select(c => ToNode(session, c)).ToList();

    internal static Node ToNode(IStoreSession session, Component component) =>
        Build(component, EthernetInterfaceService.OfComponent(session, component.ID), GroupService.LabelsOf(session, component.ID),
            Hardware.HardwareInventoryService.SerialNumberOf(session, component.ID));

    private static Node Build(Component c, IReadOnlyList<EthernetInterface> nics, IReadOnlyList<string> groups, string? serialNumber) => new()
    {
        Xname = c.ID,
        Nid = c.NID,
        State = c.State,
        Flag = c.Flag,
        Enabled = c.Enabled ?? true,
        Role = c.Role,
        SubRole = c.SubRole,
        Arch = c.Arch,
        Class = c.Class,
        NetType = c.NetType,
        Bmc = Xname.GetNodeBmc(c.ID),
        MacAddress = nics.Select(n => n.MACAddress).ToList(),
        IPAddress = nics.SelectMany(n => n.IPAddresses).Select(ip => ip.IPAddress).ToList(),
        Groups = groups,
        Interfaces = nics,
        SerialNumber = serialNumber,
        Component = c,
    };

    /// <summary>Validates a request fully, without touching the store (so -WhatIf and imports can report errors early).</summary>
    public static (Component Component, IReadOnlyList<EthernetInterface> Interfaces, IReadOnlyList<string> Groups) Prepare(NewNodeRequest request)
    {
        var id = Xname.Parse(request.Xname, HmsType.Node);
        var component = ComponentRules.PrepareNew(new Component
        {
            ID = id,
            NID = request.Nid,
            Role = request.Role,
            SubRole = request.SubRole,
            Arch = request.Arch,
            State = request.State ?? HmsState.On,
            Enabled = request.Enabled,
        });
        var ips = request.IPAddress.Select(MacAddress.NormalizeIp).ToList();
        var macs = request.MacAddress.Select(MacAddress.Normalize).ToList();
        if (macs.Distinct().Count() != macs.Count)
        {
            throw ChamiException.Invalid("DuplicateMacAddress", $"node '{id}' lists the same MAC address twice", id);
        }
        if (ips.Count > 0 && macs.Count == 0)
        {
            throw ChamiException.Invalid("IPAddressWithoutMac", $"node '{id}' has IP addresses but no MAC address to attach them to", id);
        }
        var nics = macs.Select((mac, i) => EthernetInterfaceService.Prepare(new EthernetInterface
        {
            MACAddress = mac,
            ComponentID = id,
            Description = request.Description ?? $"Interface {i} for {id}",
            // One IP per MAC by position; with a single MAC it gets them all.
            IPAddresses = (macs.Count == 1 ? ips : ips.Skip(i).Take(1))
                .Select(ip => new IPAddressMapping { IPAddress = ip }).ToList(),
        })).ToList();
        var groups = request.Group.Select(g => GroupService.NormalizeLabel(g)).Distinct().ToList();
        return (component, nics, groups);
    }

    /// <summary>Registers a node: component, NICs and group memberships, all or nothing. Missing groups are created.</summary>
    public Node Create(NewNodeRequest request)
    {
        var prepared = Prepare(request);
        return store.Write(s => Create(s, prepared));
    }

    internal static Node Create(IStoreSession session, (Component Component, IReadOnlyList<EthernetInterface> Interfaces, IReadOnlyList<string> Groups) prepared)
    {
        var (component, nics, groups) = prepared;
        var components = session.Collection<Component>();
        if (components.Exists(component.ID))
        {
            throw ChamiException.Conflict("NodeExists", $"Node '{component.ID}' already exists", component.ID);
        }
        components.Insert(component);
        foreach (var nic in nics) EthernetInterfaceService.Create(session, nic);
        foreach (var label in groups)
        {
            if (!session.Collection<Group>().Exists(label)) GroupService.Create(session, new Group { Label = label });
            GroupService.AddMember(session, label, component.ID);
        }
        return ToNode(session, component);
    }

    /// <summary>Changes a node's component fields (NID, role, state...).</summary>
    public Node Update(string xname, ComponentPatch patch) => store.Write(s =>
    {
        var id = Xname.Parse(xname, HmsType.Node);
        if (!s.Collection<Component>().Exists(id)) throw NodeNotFound(id);
        var component = ComponentService.Update(s, id, patch);
        return ToNode(s, component);
    });

    /// <summary>Removes a node, its NICs and its memberships; returns the node as it was.</summary>
    public Node Remove(string xname) => store.Write(s =>
    {
        var id = Xname.Parse(xname, HmsType.Node);
        var component = s.Collection<Component>().Get(id) ?? throw NodeNotFound(id);
        var node = ToNode(s, component);
        s.Collection<EthernetInterface>().DeleteMany(e => e.ComponentID == id);
        ComponentService.Delete(s, id);
        return node;
    });

    internal static ChamiException NodeNotFound(string? xname) =>
        ChamiException.NotFound("NodeNotFound", $"Node '{xname}' was not found", xname);
}
