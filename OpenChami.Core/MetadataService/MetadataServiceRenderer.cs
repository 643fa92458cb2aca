using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using OpenChami.Core.CloudInit;
using OpenChami.Core.Inventory;
using OpenChami.Core.Model;
using OpenChami.Core.Resources;
using OpenChami.Core.Storage;

namespace OpenChami.Core.MetadataService;

/// <summary>
/// The documents a node fetches from metadata-service (spec/metadata-service.md §3). meta-data is cloud-init's
/// (<see cref="CloudInitService.BuildMetaData"/>: same instance-id, hostname and keys) with what metadata-service adds:
/// <c>nid</c>, <c>role</c>, <c>mac</c>, lower-case group <c>description</c>, and the meta-data of the group's active
/// profiles. Answers are remembered like cloud-init's (until something they were built from changes), except while a
/// profile that applies will expire: those are built per request so expiry takes effect on time.
/// </summary>
public sealed class MetadataServiceRenderer(IChamiStore store, CloudInitService cloudInit, TimeProvider time)
{
    public const string UserData = "#cloud-config\n";

    private sealed record Rendered(string Content, DateTime? ValidUntil);

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    /// <summary>The meta-data YAML of <paramref name="xname"/>; <paramref name="nodeIp"/> is the address it was identified by.</summary>
    public string MetaData(string xname, string? nodeIp = null)
    {
        var id = Xnames.Xname.Parse(xname);
        return Remember($"metadata-service meta-data\n{id}\n{nodeIp}", () => BuildMetaData(id, nodeIp));
    }

    /// <summary>meta-data as a tree (for templates checks and tests); see <see cref="MetaData"/>.</summary>
    public JsonObject MetaDataTree(string xname, string? nodeIp = null) => BuildTree(Xnames.Xname.Parse(xname), nodeIp).Tree;

    private Rendered BuildMetaData(string id, string? nodeIp)
    {
        var (tree, until) = BuildTree(id, nodeIp);
        return new Rendered(CloudInitYaml.Write(tree), until);
    }

    private (JsonObject Tree, DateTime? ValidUntil) BuildTree(string id, string? nodeIp)
    {
        var root = cloudInit.BuildMetaData(id, nodeIp);
        var now = Now;
        var (component, nics, profiles, until) = store.Read(s =>
        {
            var node = s.Collection<Component>().Get(id);
            var interfaces = EthernetInterfaceService.OfComponent(s, id);
            var byGroup = new Dictionary<string, IReadOnlyList<EffectiveProfile>>(StringComparer.Ordinal);
            DateTime? validUntil = null;
            foreach (var label in GroupService.LabelsOf(s, id).Distinct())
            {
                var (active, groupUntil) = ProfileService.ActiveFor(s, label, now);
                byGroup[label] = active;
                if (groupUntil is { } u && (validUntil is null || u < validUntil)) validUntil = u;
            }
            return (node, interfaces, byGroup, validUntil);
        });

        var v1 = (JsonObject)root["instance_data"]!["v1"]!;
        var old = (JsonObject)v1["vendor_data"]!;
        var vendor = new JsonObject();
        foreach (var key in new[] { "version", "cloud_init_base_url", "cluster_name" })
        {
            if (old[key] is { } value) vendor[key] = value.DeepClone();
        }
        if (component?.NID is { } nid) vendor["nid"] = nid;
        if (!string.IsNullOrEmpty(component?.Role)) vendor["role"] = component.Role;
        if (PrimaryNic(nics, nodeIp ?? (string?)v1["local_ipv4"]) is { } primary) vendor["mac"] = primary.MACAddress;
        var groups = new JsonObject();
        foreach (var (label, node) in (JsonObject)old["groups"]!)
        {
            var entry = new JsonObject();
            foreach (var (key, value) in (JsonObject)node!) entry[key == "Description" ? "description" : key] = value?.DeepClone();
            if (profiles.TryGetValue(label, out var applying))
            {
                foreach (var profile in applying) entry = (JsonObject)JsonPatch.Merge(entry, profile.MetaData)!;
            }
            groups[label] = entry;
        }
        vendor["groups"] = groups;
        v1["vendor_data"] = vendor;
        return (root, until);
    }

    private static EthernetInterface? PrimaryNic(IReadOnlyList<EthernetInterface> nics, string? ip) =>
        nics.FirstOrDefault(n => ip is not null && n.IPAddresses.Any(a => a.IPAddress == ip))
        ?? nics.FirstOrDefault(n => n.MACAddress.Length > 0); // OfComponent lists them by ID

    /// <summary>
    /// <c>#include</c> and one <c>&lt;base_url&gt;/&lt;group&gt;.yaml</c> per group of the node that has a template (its
    /// own, or an active profile's). The base is instance-info's, else the cluster defaults' <c>base_url</c>, else this
    /// server as the node reached it; <paramref name="seedSuffix"/> keeps token-identified nodes on their token URLs.
    /// </summary>
    public string VendorData(string xname, string requestBaseUrl, string? seedSuffix = null)
    {
        var id = Xnames.Xname.Parse(xname);
        return Remember($"metadata-service vendor-data\n{id}\n{requestBaseUrl}\n{seedSuffix}", () =>
        {
            var now = Now;
            return store.Read(s =>
            {
                DateTime? until = null;
                var baseUrl = (s.Collection<InstanceInfo>().Get(id)?.CloudInitBaseUrl
                    ?? s.Collection<ClusterDefaultsRecord>().Get(ClusterDefaultsRecord.SingletonId)?.Defaults.BaseUrl
                    ?? requestBaseUrl).TrimEnd('/') + (seedSuffix ?? string.Empty);
                var text = new StringBuilder("#include\n");
                IEnumerable<string> labels = s.Collection<Component>().Exists(id) ? GroupService.LabelsOf(s, id).Distinct().Order(StringComparer.Ordinal) : [];
                foreach (var label in labels)
                {
                    var (active, groupUntil) = ProfileService.ActiveFor(s, label, now);
                    if (groupUntil is { } u && (until is null || u < until)) until = u;
                    var hasTemplate = s.Collection<CloudInitGroupRecord>().Get(label)?.File is { Content.Length: > 0 } || active.Any(p => p.Template is not null);
                    if (hasTemplate) text.Append(baseUrl).Append('/').Append(label).Append(".yaml\n");
                }
                return new Rendered(text.ToString(), until);
            });
        });
    }

    /// <summary>The template a member node receives for <paramref name="group"/>: the last active profile's (name order) with one, else the group's. NotFound for a non-member.</summary>
    public byte[] GroupTemplate(string xname, string group)
    {
        var id = Xnames.Xname.Parse(xname);
        var own = cloudInit.RenderGroupConfig(id, group); // checks membership (NotAGroupMember → 404)
        var label = group.Trim().ToLowerInvariant();
        var (active, _) = store.Read(s => ProfileService.ActiveFor(s, label, Now));
        return active.LastOrDefault(p => p.Template is not null) is { Template: { } template } ? Encoding.UTF8.GetBytes(template) : own;
    }

    /// <summary>
    /// A network configuration version 2 with every NIC the inventory has for the node, matched by MAC. Addresses inside
    /// a network of the cluster defaults (or its boot subnet) are static with that prefix, gateway (a default route;
    /// metrics keep several apart) and DNS; a NIC with no address the cluster knows the prefix of uses DHCP.
    /// </summary>
    public string NetworkConfig(string xname)
    {
        var id = Xnames.Xname.Parse(xname);
        return Remember($"metadata-service network-config\n{id}", () => store.Read(s =>
        {
            if (!s.Collection<Component>().Exists(id)) throw Errors.ChamiException.NotFound("NodeNotFound", $"node {id} not found in SMD", id);
            var networks = ClusterDefaultsResourceService.Networks(s).ToList();
            if (s.Collection<ClusterDefaultsRecord>().Get(ClusterDefaultsRecord.SingletonId)?.Defaults.BootSubnet is { } boot && IPNetwork.TryParse(boot, out _))
            {
                networks.Add(new NetworkSpec { Name = "boot-subnet", Cidr = boot });
            }
            var ethernets = new JsonObject();
            var index = 0;
            var routes = 0;
            foreach (var nic in EthernetInterfaceService.OfComponent(s, id).Where(n => n.MACAddress.Length > 0))
            {
                var entry = new JsonObject { ["match"] = new JsonObject { ["macaddress"] = nic.MACAddress.ToLowerInvariant() } };
                var addresses = new JsonArray();
                var dns = new JsonArray();
                var search = new JsonArray();
                var routeList = new JsonArray();
                bool v4Static = false, v6Static = false, v4Unknown = false, v6Unknown = false;
                int? mtu = null;
                foreach (var mapping in nic.IPAddresses.Where(a => IPAddress.TryParse(a.IPAddress, out _)))
                {
                    var address = IPAddress.Parse(mapping.IPAddress);
                    var v6 = address.AddressFamily == AddressFamily.InterNetworkV6;
                    var network = networks.FirstOrDefault(n => n.Name is not null && n.Name == mapping.Network && Contains(n, address))
                        ?? networks.FirstOrDefault(n => Contains(n, address));
                    if (network is null)
                    {
                        if (v6) v6Unknown = true; else v4Unknown = true;
                        continue;
                    }
                    if (v6) v6Static = true; else v4Static = true;
                    addresses.Add($"{mapping.IPAddress}/{IPNetwork.Parse(network.Cidr).PrefixLength.ToString(CultureInfo.InvariantCulture)}");
                    if (network.Gateway is { } gateway && !routeList.Any(r => (string?)r!["via"] == gateway))
                    {
                        routeList.Add(new JsonObject { ["to"] = v6 ? "::/0" : "0.0.0.0/0", ["via"] = gateway, ["metric"] = 100 + routes++ });
                    }
                    foreach (var server in network.Dns ?? []) if (!dns.Any(d => (string?)d == server)) dns.Add(server);
                    foreach (var domain in network.Search ?? []) if (!search.Any(d => (string?)d == domain)) search.Add(domain);
                    mtu ??= network.Mtu;
                }
                entry["dhcp4"] = !v4Static && (v4Unknown || !v6Static);
                if (v6Unknown && !v6Static) entry["dhcp6"] = true;
                if (addresses.Count > 0) entry["addresses"] = addresses;
                if (routeList.Count > 0) entry["routes"] = routeList;
                if (dns.Count > 0 || search.Count > 0)
                {
                    var nameservers = new JsonObject();
                    if (search.Count > 0) nameservers["search"] = search;
                    if (dns.Count > 0) nameservers["addresses"] = dns;
                    entry["nameservers"] = nameservers;
                }
                if (mtu is { } m) entry["mtu"] = m;
                if (nic.IPAddresses.Count == 0) entry["optional"] = true; // an unaddressed NIC must not hold up the boot
                ethernets[$"nic{index++}"] = entry;
            }
            var root = new JsonObject { ["version"] = 2, ["ethernets"] = ethernets };
            return new Rendered(CloudInitYaml.Write(root), null);
        }));
    }

    private static bool Contains(NetworkSpec network, IPAddress address) => IPNetwork.TryParse(network.Cidr, out var n) && n.Contains(address);

    private string Remember(string key, Func<Rendered> build)
    {
        var rendered = store.Remember(key, build, keep: r => r.ValidUntil is null);
        // A remembered answer is time-independent; one built now holds until its first profile expiry.
        return rendered.Content;
    }
}
