using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using OpenChami.Core.Errors;
using OpenChami.Core.Inventory;
using OpenChami.Core.Model;
using OpenChami.Core.Storage;
using OpenChami.Core.Xnames;

namespace OpenChami.Core.CloudInit;

/// <summary>
/// The cloud-init metadata server's data (spec/cloud-init.md): groups, cluster defaults, per-node
/// instance-info, and the three documents a node fetches. Node identity (source IP or seed token)
/// is settled by the caller; every method here takes the node xname.
/// </summary>
public sealed class CloudInitService(IChamiStore store)
{
    public const string EmptyCloudConfig = "#cloud-config";
    public const int DefaultNidLength = 4;

    // ---------------------------------------------------------------- groups

    public IReadOnlyList<CloudInitGroup> GetGroups() =>
        store.Read(s => s.Collection<CloudInitGroupRecord>().All()).OrderBy(g => g.Name, StringComparer.Ordinal).Select(ToModel).ToList();

    public CloudInitGroup? FindGroup(string name) =>
        store.Read(s => s.Collection<CloudInitGroupRecord>().Get(SafeName(name))) is { } record ? ToModel(record) : null;

    public CloudInitGroup GetGroup(string name) => FindGroup(name) ?? throw GroupNotFound(name);

    /// <summary>Creates a group; <c>CloudInitGroupExists</c> (Conflict) when the name is taken.</summary>
    public CloudInitGroup CreateGroup(CloudInitGroup input)
    {
        var record = Prepare(input);
        return store.Write(s =>
        {
            var groups = s.Collection<CloudInitGroupRecord>();
            if (groups.Exists(record.Name))
            {
                throw ChamiException.Conflict("CloudInitGroupExists", $"cloud-init group {record.Name} already exists", record.Name);
            }
            groups.Insert(record);
            return ToModel(record);
        });
    }

    /// <summary>Creates or replaces a group; true in <paramref name="created"/> when it was new.</summary>
    public CloudInitGroup SetGroup(CloudInitGroup input, out bool created)
    {
        var record = Prepare(input);
        created = store.Write(s => s.Collection<CloudInitGroupRecord>().Upsert(record));
        return ToModel(record);
    }

    /// <summary>
    /// Read-modify-write of one group in one transaction (Set-ChamiCloudInitGroup): <paramref name="change"/>
    /// receives a copy of the stored group (a new one named <paramref name="name"/> when missing) and edits it.
    /// </summary>
    public CloudInitGroup UpdateGroup(string name, Action<CloudInitGroup> change, out bool created)
    {
        var label = GroupService.NormalizeLabel(name, "cloud-init group name");
        var (group, isNew) = store.Write(s =>
        {
            var groups = s.Collection<CloudInitGroupRecord>();
            var existing = groups.Get(label);
            var model = existing is null ? new CloudInitGroup { Name = label } : ToModel(existing);
            change(model);
            model.Name = label;
            var record = Prepare(model);
            groups.Upsert(record);
            return (ToModel(record), existing is null);
        });
        created = isNew;
        return group;
    }

    public void RemoveGroup(string name) => store.Write(s =>
    {
        if (!s.Collection<CloudInitGroupRecord>().Delete(SafeName(name))) throw GroupNotFound(name);
    });

    /// <summary>Validates and normalizes a group for storage; content stays verbatim.</summary>
    public static CloudInitGroup Normalize(CloudInitGroup input) => ToModel(Prepare(input));

    private static CloudInitGroupRecord Prepare(CloudInitGroup input)
    {
        if (string.IsNullOrWhiteSpace(input.Name)) throw ChamiException.Invalid("CloudInitGroupNameRequired", "name is required");
        var name = GroupService.NormalizeLabel(input.Name, "cloud-init group name");
        CloudInitFile? file = null;
        if (input.File is { } given)
        {
            var encoding = string.IsNullOrEmpty(given.Encoding) ? CloudInitEncodings.Plain : given.Encoding.Trim().ToLowerInvariant();
            if (encoding is not (CloudInitEncodings.Plain or CloudInitEncodings.Base64))
            {
                throw ChamiException.Invalid("InvalidCloudConfigEncoding", $"file encoding '{given.Encoding}' is not supported (plain or base64)", name);
            }
            var content = given.Content ?? string.Empty;
            if (encoding == CloudInitEncodings.Base64 && !IsBase64(content))
            {
                throw ChamiException.Invalid("InvalidCloudConfigEncoding", $"file content of group {name} is not valid base64", name);
            }
            file = new CloudInitFile { Content = content, Filename = given.Filename ?? string.Empty, Encoding = encoding };
        }
        return new CloudInitGroupRecord
        {
            Name = name,
            Description = string.IsNullOrEmpty(input.Description) ? null : input.Description,
            MetaDataJson = input.MetaData is { Count: > 0 } meta ? meta.ToJsonString() : null,
            File = file,
            Versions = input.Versions is { Count: > 0 } versions ? new Dictionary<string, string>(versions) : null,
        };
    }

    private static bool IsBase64(string content)
    {
        var buffer = new byte[(content.Length * 3 / 4) + 3];
        return Convert.TryFromBase64String(content, buffer, out _);
    }

    private static CloudInitGroup ToModel(CloudInitGroupRecord record) => new()
    {
        Name = record.Name,
        Description = record.Description,
        MetaData = record.MetaDataJson is null ? null : JsonNode.Parse(record.MetaDataJson) as JsonObject,
        File = record.File is null ? null : new CloudInitFile { Content = record.File.Content, Filename = record.File.Filename, Encoding = record.File.Encoding },
        Versions = record.Versions is null ? null : new Dictionary<string, string>(record.Versions),
    };

    private static string SafeName(string? name) => (name ?? string.Empty).Trim().ToLowerInvariant();

    internal static ChamiException GroupNotFound(string? name) =>
        ChamiException.NotFound("CloudInitGroupNotFound", $"cloud-init group {name} not found", name);

    // ---------------------------------------------------------------- cluster defaults

    public ClusterDefaults GetDefaults() => store.Read(ReadDefaults);

    private static ClusterDefaults ReadDefaults(IStoreSession s) =>
        s.Collection<ClusterDefaultsRecord>().Get(ClusterDefaultsRecord.SingletonId)?.Defaults ?? new ClusterDefaults();

    /// <summary>POST semantics (spec §6.2): only non-empty fields overwrite.</summary>
    public ClusterDefaults MergeDefaults(ClusterDefaults input)
    {
        var patch = Clean(input);
        return store.Write(s =>
        {
            var current = ReadDefaults(s);
            var merged = new ClusterDefaults
            {
                CloudProvider = patch.CloudProvider ?? current.CloudProvider,
                Region = patch.Region ?? current.Region,
                AvailabilityZone = patch.AvailabilityZone ?? current.AvailabilityZone,
                ClusterName = patch.ClusterName ?? current.ClusterName,
                PublicKeys = patch.PublicKeys ?? current.PublicKeys,
                BaseUrl = patch.BaseUrl ?? current.BaseUrl,
                BootSubnet = patch.BootSubnet ?? current.BootSubnet,
                WgSubnet = patch.WgSubnet ?? current.WgSubnet,
                ShortName = patch.ShortName ?? current.ShortName,
                NidLength = patch.NidLength ?? current.NidLength,
            };
            s.Collection<ClusterDefaultsRecord>().Upsert(new ClusterDefaultsRecord { Defaults = merged });
            return merged;
        });
    }

    /// <summary>PUT semantics: full replace (the only way to clear a field).</summary>
    public ClusterDefaults ReplaceDefaults(ClusterDefaults input)
    {
        var clean = Clean(input);
        store.Write(s => s.Collection<ClusterDefaultsRecord>().Upsert(new ClusterDefaultsRecord { Defaults = clean }));
        return clean;
    }

    private static ClusterDefaults Clean(ClusterDefaults input)
    {
        if (input.NidLength is < 0 or > 18)
        {
            throw ChamiException.Invalid("InvalidNidLength", $"nid-length {input.NidLength} is out of range (1-18)");
        }
        return new ClusterDefaults
        {
            CloudProvider = Empty(input.CloudProvider),
            Region = Empty(input.Region),
            AvailabilityZone = Empty(input.AvailabilityZone),
            ClusterName = Empty(input.ClusterName),
            PublicKeys = CleanKeys(input.PublicKeys),
            BaseUrl = CleanUrl(input.BaseUrl, "base-url"),
            BootSubnet = Empty(input.BootSubnet),
            WgSubnet = Empty(input.WgSubnet),
            ShortName = Empty(input.ShortName),
            NidLength = input.NidLength is null or 0 ? null : input.NidLength,
        };
    }

    private static string? Empty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static List<string>? CleanKeys(IEnumerable<string>? keys)
    {
        var list = keys?.Where(k => !string.IsNullOrWhiteSpace(k)).Select(k => k.Trim()).ToList();
        if (list is null || list.Count == 0) return null;
        if (list.FirstOrDefault(k => k.Contains('\n') || k.Contains('\r')) is { } bad)
        {
            throw ChamiException.Invalid("InvalidPublicKey", "a public key must be one line");
        }
        return list;
    }

    private static string? CleanUrl(string? url, string what)
    {
        var value = Empty(url)?.TrimEnd('/');
        if (value is null) return null;
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw ChamiException.Invalid("InvalidBaseUrl", $"{what} '{url}' is not an absolute http(s) URL", url);
        }
        return value;
    }

    // ---------------------------------------------------------------- instance-info

    public IReadOnlyList<InstanceInfo> GetInstances() =>
        store.Read(s => s.Collection<InstanceInfo>().All()).OrderBy(i => i.Id, XnameComparer.Instance).ToList();

    public InstanceInfo? FindInstance(string xname) => store.Read(s => s.Collection<InstanceInfo>().Get(SafeXname(xname)));

    public InstanceInfo GetInstance(string xname) => FindInstance(xname) ?? throw InstanceNotFound(xname);

    /// <summary>
    /// PUT semantics (spec §6.3): the stored object is replaced; the node keeps its existing instance-id,
    /// and gets one (the body's, else a new one) when it has none yet.
    /// </summary>
    public InstanceInfo SetInstance(string xname, InstanceInfo input)
    {
        var id = Xname.Parse(xname);
        var requestedId = Empty(input.InstanceId);
        if (requestedId is not null && (requestedId.Length > 128 || requestedId.Any(c => char.IsControl(c) || char.IsWhiteSpace(c))))
        {
            throw ChamiException.Invalid("InvalidInstanceId", $"instance-id '{requestedId}' must be one word", id);
        }
        var info = new InstanceInfo
        {
            Id = id,
            LocalHostname = CleanHostname(input.LocalHostname, "local-hostname"),
            Hostname = CleanHostname(input.Hostname, "hostname"),
            ClusterName = Empty(input.ClusterName),
            Region = Empty(input.Region),
            AvailabilityZone = Empty(input.AvailabilityZone),
            CloudProvider = Empty(input.CloudProvider),
            InstanceType = Empty(input.InstanceType),
            CloudInitBaseUrl = CleanUrl(input.CloudInitBaseUrl, "cloud-init-base-url"),
            PublicKeys = CleanKeys(input.PublicKeys),
        };
        return store.Write(s =>
        {
            var instances = s.Collection<InstanceInfo>();
            info.InstanceId = instances.Get(id)?.InstanceId ?? requestedId ?? NewInstanceId();
            instances.Upsert(info);
            return info;
        });
    }

    /// <summary>Changes some fields of a node's instance-info in one transaction (Set-ChamiCloudInitNode); others are kept.</summary>
    public InstanceInfo UpdateInstance(string xname, Action<InstanceInfo> change)
    {
        var id = Xname.Parse(xname);
        return store.Write(s =>
        {
            var current = s.Collection<InstanceInfo>().Get(id) ?? new InstanceInfo { Id = id };
            change(current);
            return SetInstance(id, current);
        });
    }

    public void RemoveInstance(string xname) => store.Write(s =>
    {
        if (!s.Collection<InstanceInfo>().Delete(SafeXname(xname))) throw InstanceNotFound(xname);
    });

    private static string? CleanHostname(string? name, string what)
    {
        var value = Empty(name);
        if (value is not null && (value.Length > 253 || value.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_'))))
        {
            throw ChamiException.Invalid("InvalidHostname", $"{what} '{name}' is not a valid host name", name);
        }
        return value;
    }

    /// <summary><c>i-</c> + 8 lower-case hex digits (spec §4.4).</summary>
    public static string NewInstanceId() => "i-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));

    private static string SafeXname(string? xname) => Xname.TryParse(xname, out var id, out _) ? id : (xname ?? string.Empty);

    internal static ChamiException InstanceNotFound(string? xname) =>
        ChamiException.NotFound("CloudInitNodeNotFound", $"no instance-info for node {xname}", xname);

    // ---------------------------------------------------------------- phone-home

    public void RecordPhoneHome(CloudInitPhoneHome report)
    {
        report.Id = Xname.TryParse(report.Id, out var id, out _) ? id : throw ChamiException.Invalid("InvalidXname", $"'{report.Id}' is not a valid xname", report.Id);
        report.Received = DateTime.UtcNow;
        store.Write(s => s.Collection<CloudInitPhoneHome>().Upsert(report));
    }

    public CloudInitPhoneHome? FindPhoneHome(string xname) => store.Read(s => s.Collection<CloudInitPhoneHome>().Get(SafeXname(xname)));

    // ---------------------------------------------------------------- node documents

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
        return new NodeView(xname, component, s.Collection<InstanceInfo>().Get(xname), ReadDefaults(s), groups, data, firstIp);
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

    public JsonObject BuildMetaData(string xname, string? nodeIp, List<CloudInitValueSource>? explain)
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
                        info.InstanceId = NewInstanceId();
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
        var width = defaults.NidLength ?? DefaultNidLength;
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
        var label = SafeName(group);
        var (isMember, record) = store.Read(s =>
        {
            var member = s.Collection<Component>().Exists(id) && GroupService.LabelsOf(s, id).Contains(label, StringComparer.Ordinal);
            return (member, member ? s.Collection<CloudInitGroupRecord>().Get(label) : null);
        });
        if (!isMember)
        {
            throw ChamiException.NotFound("NotAGroupMember", $"node {id} is not a member of group {group} (node and/or group may not exist in SMD)", id);
        }
        if (record?.File is not { Content.Length: > 0 } file) return Encoding.UTF8.GetBytes(EmptyCloudConfig);
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
            CloudInitDataKind.UserData => EmptyCloudConfig,
            _ => RenderVendorData(id, requestBaseUrl, seedSuffix),
        };
        return new CloudInitData { Xname = id, Kind = kind, Content = content, SeedUrl = seedUrl };
    }
}
