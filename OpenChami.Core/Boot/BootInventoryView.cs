using System.Text.Json.Serialization;
using OpenChami.Core.Model;
using OpenChami.Core.Resources;
using OpenChami.Core.Storage;
using OpenChami.Core.Xnames;

namespace OpenChami.Core.Boot;

/// <summary><c>Node.spec</c> of <c>/boot-service/nodes</c>: what the inventory knows that boot selection uses.</summary>
public sealed class BootNodeSpec
{
    [JsonPropertyName("xname")] public string Xname { get; init; } = string.Empty;
    [JsonPropertyName("nid")] public long? Nid { get; init; }
    [JsonPropertyName("macs")] public IReadOnlyList<string> Macs { get; init; } = [];
    [JsonPropertyName("groups")] public IReadOnlyList<string> Groups { get; init; } = [];
    [JsonPropertyName("role")] public string? Role { get; init; }
    [JsonPropertyName("arch")] public string? Arch { get; init; }
    [JsonPropertyName("state")] public string? State { get; init; }
}

/// <summary><c>BMC.spec</c> of <c>/boot-service/bmcs</c>: a Redfish endpoint of the inventory.</summary>
public sealed class BootBmcSpec
{
    [JsonPropertyName("xname")] public string Xname { get; init; } = string.Empty;
    [JsonPropertyName("fqdn")] public string? Fqdn { get; init; }
    [JsonPropertyName("ip")] public string? IPAddress { get; init; }
    [JsonPropertyName("mac")] public string? MacAddress { get; init; }
    [JsonPropertyName("enabled")] public bool Enabled { get; init; }
}

/// <summary>
/// <c>/boot-service/nodes</c> and <c>/bmcs</c> (spec/boot-service.md §3) as views over OpenChami's one inventory (SMD):
/// nothing is stored twice, so a node added through <c>/hsm/v2</c> or New-ChamiNode is listed on the next request.
/// A view's uid is the xname (stable, and the key the inventory reads by).
/// </summary>
public sealed class BootInventoryView(IChamiStore store)
{
    public static readonly ResourceKind NodeKind = new("Node", "boot.openchami.io/v1", "nodes");
    public static readonly ResourceKind BmcKind = new("BMC", "boot.openchami.io/v1", "bmcs");

    public IReadOnlyList<Resource<BootNodeSpec>> Nodes() => store.Read(s =>
    {
        var macs = s.Collection<EthernetInterface>().All().Where(e => e.ComponentID.Length > 0).ToLookup(e => e.ComponentID, e => e.MACAddress);
        var labels = s.Collection<GroupMembership>().All().ToDictionary(m => m.ID, m => (IReadOnlyList<string>)m.Labels, StringComparer.Ordinal);
        return s.Collection<Component>().Find(c => c.Type == HmsType.Node).OrderBy(c => c.ID, XnameComparer.Instance)
            .Select(c => NodeResource(c, macs[c.ID].ToList(), labels.GetValueOrDefault(c.ID) ?? [])).ToList();
    });

    public Resource<BootNodeSpec>? Node(string xname) => store.Read(s =>
    {
        if (!Xname.TryParse(xname, out var id, out var type) || type != HmsType.Node || s.Collection<Component>().Get(id) is not { } c) return null;
        var macs = s.Collection<EthernetInterface>().Find(e => e.ComponentID == id).Select(e => e.MACAddress).ToList();
        return NodeResource(c, macs, Inventory.GroupService.LabelsOf(s, id));
    });

    public IReadOnlyList<Resource<BootBmcSpec>> Bmcs() =>
        store.Read(s => s.Collection<RedfishEndpoint>().All()).OrderBy(r => r.ID, XnameComparer.Instance).Select(BmcResource).ToList();

    public Resource<BootBmcSpec>? Bmc(string xname) =>
        Xname.TryParse(xname, out var id, out _) && store.Read(s => s.Collection<RedfishEndpoint>().Get(id)) is { } r ? BmcResource(r) : null;

    private static Resource<BootNodeSpec> NodeResource(Component c, IReadOnlyList<string> macs, IReadOnlyList<string> groups) => new()
    {
        ApiVersion = NodeKind.ApiVersion, Kind = NodeKind.Name,
        Metadata = new ResourceMetadata { Name = c.ID, Uid = c.ID },
        Spec = new BootNodeSpec
        {
            Xname = c.ID, Nid = c.NID, Macs = macs, Groups = groups, Role = c.Role,
            Arch = BootArch.FromSmd(c.Arch), State = c.State?.ToString(),
        },
    };

    private static Resource<BootBmcSpec> BmcResource(RedfishEndpoint r) => new()
    {
        ApiVersion = BmcKind.ApiVersion, Kind = BmcKind.Name,
        Metadata = new ResourceMetadata { Name = r.ID, Uid = r.ID },
        Spec = new BootBmcSpec { Xname = r.ID, Fqdn = r.FQDN.Length == 0 ? null : r.FQDN, IPAddress = r.IPAddress, MacAddress = r.MACAddr, Enabled = r.Enabled },
    };
}
