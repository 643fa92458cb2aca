using System.Security.Cryptography;
using System.Text.Json.Nodes;
using OpenChami.Core.Errors;
using OpenChami.Core.Inventory;
using OpenChami.Core.Storage;
using OpenChami.Core.Xnames;

namespace OpenChami.Core.CloudInit;

/// <summary>
/// The cloud-init metadata server's data (spec/cloud-init.md): groups, cluster defaults, per-node
/// instance-info, and the three documents a node fetches (built by <see cref="CloudInitRenderer"/>). Node identity
/// (source IP or seed token) is settled by the caller; every method here takes the node xname.
/// </summary>
public sealed class CloudInitService(IChamiStore store)
{
    public const string EmptyCloudConfig = "#cloud-config";
    public const int DefaultNidLength = 4;

    // One per service: it batches the instance-ids of nodes fetching meta-data for the first time.
    private readonly CloudInitRenderer renderer = new(store);

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

    internal static string SafeName(string? name) => (name ?? string.Empty).Trim().ToLowerInvariant();

    internal static ChamiException GroupNotFound(string? name) =>
        ChamiException.NotFound("CloudInitGroupNotFound", $"cloud-init group {name} not found", name);

    // ---------------------------------------------------------------- cluster defaults

    public ClusterDefaults GetDefaults() => store.Read(ReadDefaults);

    internal static ClusterDefaults ReadDefaults(IStoreSession s) =>
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

    // ---------------------------------------------------------------- node documents (built by CloudInitRenderer)

    /// <inheritdoc cref="CloudInitRenderer.RenderMetaData"/>
    public string RenderMetaData(string xname, string? nodeIp = null) => renderer.RenderMetaData(xname, nodeIp);

    /// <summary>The meta-data tree before it is written as YAML (metadata-service builds its document on it).</summary>
    internal JsonObject BuildMetaData(string xname, string? nodeIp) => renderer.BuildMetaData(xname, nodeIp, null);

    /// <inheritdoc cref="CloudInitRenderer.ExplainMetaData"/>
    public IReadOnlyList<CloudInitValueSource> ExplainMetaData(string xname, string? nodeIp = null) => renderer.ExplainMetaData(xname, nodeIp);

    /// <inheritdoc cref="CloudInitRenderer.RenderVendorData"/>
    public string RenderVendorData(string xname, string requestBaseUrl, string? seedSuffix = null) =>
        renderer.RenderVendorData(xname, requestBaseUrl, seedSuffix);

    /// <inheritdoc cref="CloudInitRenderer.RenderGroupConfig"/>
    public byte[] RenderGroupConfig(string xname, string group) => renderer.RenderGroupConfig(xname, group);

    /// <inheritdoc cref="CloudInitRenderer.Render"/>
    public CloudInitData Render(string xname, CloudInitDataKind kind, string requestBaseUrl, string? seedSuffix = null, string? seedUrl = null) =>
        renderer.Render(xname, kind, requestBaseUrl, seedSuffix, seedUrl);
}
