using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using OpenChami.Core.Errors;
using OpenChami.Core.Inventory;
using OpenChami.Core.Model;
using OpenChami.Core.Storage;
using OpenChami.Core.Xnames;

namespace OpenChami.Core.CloudInit;

/// <summary>
/// The three documents a node fetches (spec/cloud-init.md §5), built from the store in one snapshot each, and the
/// explanation of where every meta-data value came from. Rendered documents are remembered by the store until
/// something they were built from changes. Reached through <see cref="CloudInitService"/>.
/// </summary>
internal sealed class CloudInitRenderer(IChamiStore store)
{
    /// <summary>Everything the three documents of one node are made of, read in one snapshot.</summary>
    private sealed record NodeView(
        string Xname,
        Component? Component,
        InstanceInfo? Instance,
        ClusterDefaults Defaults,
        IReadOnlyList<string> Groups,
        IReadOnlyDictionary<string, CloudInitGroupRecord> GroupData,
        string? FirstIp);

    private static NodeView ReadView(IStoreSession s, string xname, bool withAddress = true)
    {
        var component = s.Collection<Component>().Get(xname);
        // LiteDB returns a multi-key index match in no reliable order; SMD lists collections by key, so do we
        // (deterministic include order, which is the client's merge order).
        var groups = component is null ? [] : GroupService.LabelsOf(s, xname).Distinct().Order(StringComparer.Ordinal).ToList();
        var data = new Dictionary<string, CloudInitGroupRecord>(StringComparer.Ordinal);
        foreach (var label in groups)
        {
            if (s.Collection<CloudInitGroupRecord>().Get(label) is { } record) data[label] = record;
        }
        var firstIp = !withAddress ? null : EthernetInterfaceService.OfComponent(s, xname).SelectMany(n => n.IPAddresses).Select(a => a.IPAddress).FirstOrDefault(ip => !string.IsNullOrEmpty(ip));
        return new NodeView(xname, component, s.Collection<InstanceInfo>().Get(xname), CloudInitService.ReadDefaults(s), groups, data, firstIp);
    }

    /// <summary>
    /// The meta-data YAML of a node (spec §5.1). <paramref name="nodeIp"/> is the address the node was
    /// identified by (null: the node's first interface address). Creates the node's instance-id on first use.
    /// </summary>
    public string RenderMetaData(string xname, string? nodeIp = null) =>
        store.Remember($"meta-data\n{xname}\n{nodeIp}", () => Yaml(BuildMetaData(xname, nodeIp, null)));

    /// <summary>The meta-data values and the layer each came from (Get-ChamiCloudInitData -Explain).</summary>
    public IReadOnlyList<CloudInitValueSource> ExplainMetaData(string xname, string? nodeIp = null)
    {
        var sources = new List<CloudInitValueSource>();
        BuildMetaData(xname, nodeIp, sources);
        return sources;
    }

    private static string Yaml(JsonObject tree) => CloudInitYaml.Write(tree);

    internal JsonObject BuildMetaData(string xname, string? nodeIp, List<CloudInitValueSource>? explain)
    {
        var id = Xname.Parse(xname);
        var view = store.Read(s => ReadView(s, id, withAddress: nodeIp is null));
        if (view.Component is null)
        {
            throw ChamiException.NotFound("NodeNotFound", $"node {id} not found in SMD", id);
        }
        var instance = view.Instance;
        var instanceIdLayer = CloudInitLayer.InstanceInfo;
        if (instance?.InstanceId is null)
        {
            instance = EnsureInstanceId(id);
            instanceIdLayer = CloudInitLayer.Generated;
        }
        var defaults = view.Defaults;

        void Note(string path, string? value, CloudInitLayer layer, string? detail = null)
        {
            if (value is not null) explain?.Add(new CloudInitValueSource { Xname = id, Path = path, Value = value, Layer = layer, Detail = detail });
        }

        var (generated, generatedLayer) = GeneratedHostname(defaults, view.Component.NID);
        var localHostname = instance.LocalHostname ?? generated;
        var hostname = instance.Hostname ?? generated;
        var root = new JsonObject
        {
            ["instance-id"] = instance.InstanceId,
            ["local-hostname"] = localHostname,
            ["hostname"] = hostname,
            ["cluster-name"] = defaults.ClusterName ?? string.Empty,
        };
        Note("instance-id", instance.InstanceId, instanceIdLayer);
        Note("local-hostname", localHostname, instance.LocalHostname is null ? generatedLayer : CloudInitLayer.InstanceInfo);
        Note("hostname", hostname, instance.Hostname is null ? generatedLayer : CloudInitLayer.InstanceInfo);
        Note("cluster-name", defaults.ClusterName ?? string.Empty, defaults.ClusterName is null ? CloudInitLayer.BuiltIn : CloudInitLayer.ClusterDefaults);

        var v1 = new JsonObject();
        void Put(string key, string? value, CloudInitLayer layer)
        {
            if (string.IsNullOrEmpty(value)) return;
            v1[key] = value;
            Note("instance_data.v1." + key, value, layer);
        }
        Put("availability_zone", defaults.AvailabilityZone, CloudInitLayer.ClusterDefaults);
        Put("instance_id", instance.InstanceId, instanceIdLayer);
        Put("instance_type", instance.InstanceType, CloudInitLayer.InstanceInfo);
        Put("region", defaults.Region, CloudInitLayer.ClusterDefaults);
        Put("local_ipv4", nodeIp ?? view.FirstIp, CloudInitLayer.Smd);
        Put("cloud_provider", defaults.CloudProvider, CloudInitLayer.ClusterDefaults);
        var keys = new JsonArray();
        foreach (var key in defaults.PublicKeys ?? [])
        {
            Note($"instance_data.v1.public_keys[{keys.Count}]", key, CloudInitLayer.ClusterDefaults);
            keys.Add(key);
        }
        foreach (var key in instance.PublicKeys ?? [])
        {
            Note($"instance_data.v1.public_keys[{keys.Count}]", key, CloudInitLayer.InstanceInfo);
            keys.Add(key);
        }
        if (keys.Count > 0) v1["public_keys"] = keys;

        var vendor = new JsonObject { ["version"] = "1.0" };
        Note("instance_data.v1.vendor_data.version", "1.0", CloudInitLayer.BuiltIn);
        var baseUrl = instance.CloudInitBaseUrl ?? defaults.BaseUrl;
        if (baseUrl is not null)
        {
            vendor["cloud_init_base_url"] = baseUrl;
            Note("instance_data.v1.vendor_data.cloud_init_base_url", baseUrl, instance.CloudInitBaseUrl is null ? CloudInitLayer.ClusterDefaults : CloudInitLayer.InstanceInfo);
        }
        if (defaults.ClusterName is not null)
        {
            vendor["cluster_name"] = defaults.ClusterName;
            Note("instance_data.v1.vendor_data.cluster_name", defaults.ClusterName, CloudInitLayer.ClusterDefaults);
        }
        var groups = new JsonObject();
        foreach (var label in view.Groups.Distinct().OrderBy(g => g, StringComparer.Ordinal))
        {
            view.GroupData.TryGetValue(label, out var record);
            var entry = new SortedDictionary<string, JsonNode?>(StringComparer.Ordinal)
            {
                ["Description"] = string.IsNullOrEmpty(record?.Description) ? "No description Found" : record.Description,
            };
            if (record?.MetaDataJson is not null && JsonNode.Parse(record.MetaDataJson) is JsonObject meta)
            {
                foreach (var (key, value) in meta) entry[key] = SortKeys(value);
            }
            var node = new JsonObject();
            foreach (var (key, value) in entry)
            {
                node[key] = value;
                Note($"instance_data.v1.vendor_data.groups.{label}.{key}", value is JsonValue ? value.ToString() : value?.ToJsonString() ?? "null",
                    key == "Description" && string.IsNullOrEmpty(record?.Description) ? CloudInitLayer.BuiltIn : CloudInitLayer.Group, label);
            }
            groups[label] = node;
        }
        vendor["groups"] = groups;
        v1["vendor_data"] = vendor;
        root["instance_data"] = new JsonObject { ["v1"] = v1 };
        return root;
    }

    // Group meta-data maps are emitted with sorted keys at every level (go-yaml marshals maps sorted).
    private static JsonNode? SortKeys(JsonNode? node) => node switch
    {
        JsonObject map => new JsonObject(map.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, SortKeys(p.Value)))),
        JsonArray list => new JsonArray(list.Select(SortKeys).ToArray()),
        null => null,
        _ => node.DeepClone(),
    };

    private readonly object firstFetchGate = new();
    private Dictionary<string, TaskCompletionSource<InstanceInfo>>? firstFetches;

    /// <summary>
    /// The node's instance-id, created on its first meta-data request (spec §4.4). When thousands of nodes boot at
    /// once their first requests share transactions (group commit): the first caller writes every id asked for
    /// while it waited for the write lock, the others wait for that commit instead of queueing one write each.
    /// </summary>
    private InstanceInfo EnsureInstanceId(string id)
    {
        TaskCompletionSource<InstanceInfo>? mine;
        bool leader;
        lock (firstFetchGate)
        {
            leader = firstFetches is null;
            firstFetches ??= new Dictionary<string, TaskCompletionSource<InstanceInfo>>(StringComparer.Ordinal);
            if (!firstFetches.TryGetValue(id, out mine)) firstFetches[id] = mine = new TaskCompletionSource<InstanceInfo>(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        if (leader) WriteFirstFetches();
        return mine.Task.GetAwaiter().GetResult();
    }

    private void WriteFirstFetches()
    {
        Dictionary<string, TaskCompletionSource<InstanceInfo>>? batch = null;
        try
        {
            var written = store.Write(s =>
            {
                // Inside the write lock: everything queued while we waited for it goes into this one commit.
                lock (firstFetchGate)
                {
                    batch = firstFetches!;
                    firstFetches = null;
                }
                var instances = s.Collection<InstanceInfo>();
                var result = new Dictionary<string, InstanceInfo>(StringComparer.Ordinal);
                foreach (var id in batch.Keys)
                {
                    var info = instances.Get(id) ?? new InstanceInfo { Id = id };
                    if (info.InstanceId is null)
                    {
                        info.InstanceId = CloudInitService.NewInstanceId();
                        instances.Upsert(info);
                    }
                    result[id] = info;
                }
                return result;
            });
            foreach (var (id, waiter) in batch!) waiter.TrySetResult(written[id]);
        }
        catch (Exception ex)
        {
            lock (firstFetchGate)
            {
                // The batch never left the queue if the write failed before taking it: fail those callers too.
                batch ??= firstFetches;
                if (ReferenceEquals(batch, firstFetches)) firstFetches = null;
            }
            if (batch is null) throw;
            foreach (var waiter in batch.Values) waiter.TrySetException(ex);
        }
    }

    /// <summary><c>short-name</c> (else the first 2 characters of <c>cluster-name</c>) + the NID zero-padded (spec §5.1).</summary>
    private static (string Name, CloudInitLayer Layer) GeneratedHostname(ClusterDefaults defaults, long? nid)
    {
        var prefix = defaults.ShortName ?? (defaults.ClusterName is { } cluster ? cluster[..Math.Min(2, cluster.Length)] : string.Empty);
        var width = defaults.NidLength ?? CloudInitService.DefaultNidLength;
        var layer = defaults.ShortName is not null || defaults.ClusterName is not null || defaults.NidLength is not null ? CloudInitLayer.ClusterDefaults : CloudInitLayer.BuiltIn;
        return (prefix + (nid ?? 0).ToString(CultureInfo.InvariantCulture).PadLeft(width, '0'), layer);
    }

    /// <summary>
    /// The vendor-data of a node (spec §5.3): <c>#include</c> and one URL per SMD group in membership order.
    /// <paramref name="requestBaseUrl"/> is the server's cloud-init base as the node reached it (used when
    /// neither instance-info nor cluster defaults name one); <paramref name="seedSuffix"/> (<c>/n/&lt;token&gt;</c>)
    /// keeps token-identified nodes on their token URLs.
    /// </summary>
    public string RenderVendorData(string xname, string requestBaseUrl, string? seedSuffix = null) =>
        store.Remember($"vendor-data\n{xname}\n{requestBaseUrl}\n{seedSuffix}", () => BuildVendorData(xname, requestBaseUrl, seedSuffix));

    private string BuildVendorData(string xname, string requestBaseUrl, string? seedSuffix)
    {
        var id = Xname.Parse(xname);
        var view = store.Read(s => ReadView(s, id, withAddress: false));
        var baseUrl = (view.Instance?.CloudInitBaseUrl ?? view.Defaults.BaseUrl ?? requestBaseUrl).TrimEnd('/') + (seedSuffix ?? string.Empty);
        var text = new StringBuilder("#include\n");
        foreach (var label in view.Groups.Distinct()) text.Append(baseUrl).Append('/').Append(label).Append(".yaml\n");
        return text.ToString();
    }

    /// <summary>The cloud-config a member node receives for <paramref name="group"/> (spec §5.4), as bytes.</summary>
    public byte[] RenderGroupConfig(string xname, string group)
    {
        var id = Xname.Parse(xname);
        var label = CloudInitService.SafeName(group);
        var (isMember, record) = store.Read(s =>
        {
            var member = s.Collection<Component>().Exists(id) && GroupService.LabelsOf(s, id).Contains(label, StringComparer.Ordinal);
            return (member, member ? s.Collection<CloudInitGroupRecord>().Get(label) : null);
        });
        if (!isMember)
        {
            throw ChamiException.NotFound("NotAGroupMember", $"node {id} is not a member of group {group} (node and/or group may not exist in SMD)", id);
        }
        if (record?.File is not { Content.Length: > 0 } file) return Encoding.UTF8.GetBytes(CloudInitService.EmptyCloudConfig);
        if (file.Encoding != CloudInitEncodings.Base64) return Encoding.UTF8.GetBytes(file.Content);
        try
        {
            return Convert.FromBase64String(file.Content);
        }
        catch (FormatException ex)
        {
            throw new ChamiException(ChamiErrorKind.Internal, "InvalidCloudConfigEncoding", $"failed to base64-decode cloud-config: {ex.Message}", label, ex);
        }
    }

    /// <summary>What <paramref name="xname"/> receives for one document, exactly as served (node-identified routes).</summary>
    public CloudInitData Render(string xname, CloudInitDataKind kind, string requestBaseUrl, string? seedSuffix = null, string? seedUrl = null)
    {
        var id = Xname.Parse(xname);
        var content = kind switch
        {
            CloudInitDataKind.MetaData => RenderMetaData(id),
            CloudInitDataKind.UserData => CloudInitService.EmptyCloudConfig,
            _ => RenderVendorData(id, requestBaseUrl, seedSuffix),
        };
        return new CloudInitData { Xname = id, Kind = kind, Content = content, SeedUrl = seedUrl };
    }
}
