using System.Text;
using System.Text.Json.Nodes;
using OpenChami.Core.CloudInit;
using OpenChami.Core.Errors;
using OpenChami.Core.Inventory;
using OpenChami.Core.Resources;
using OpenChami.Core.Serialization;
using OpenChami.Core.Storage;

namespace OpenChami.Core.MetadataService;

/// <summary><c>/clusterdefaultss</c> over cloud-init's one cluster defaults record (spec/metadata-service.md §2).</summary>
public sealed class ClusterDefaultsResourceService(IChamiStore store, CloudInitService cloudInit, TimeProvider time)
    : ModelResourceService<ClusterDefaultsSpec>(store, MetadataKinds.ClusterDefaults, time)
{
    private const string Key = ClusterDefaultsRecord.SingletonId;

    protected override IReadOnlyList<string> Keys(IStoreSession session) => Exists(session) ? [Key] : [];

    private static bool Exists(IStoreSession session) => session.Collection<ClusterDefaultsRecord>().Exists(Key);

    protected override string DefaultName(string key) => "default";

    /// <summary>
    /// OpenChami always has cluster defaults (empty until set): a create sets them, keeping the uid they have, rather
    /// than failing because /cloud-init or Set-ChamiCloudInitDefaults wrote them first.
    /// </summary>
    protected override bool CreateConflicts(IStoreSession session, string key) => false;

    protected override string KeyFor(ResourceMetadata metadata, ClusterDefaultsSpec spec) => Key;

    protected override ClusterDefaultsSpec? Read(IStoreSession session, string key, JsonObject extras)
    {
        if (!Exists(session)) return null;
        var d = cloudInit.GetDefaults();
        return new ClusterDefaultsSpec
        {
            BaseUrl = d.BaseUrl, ClusterName = d.ClusterName, ShortName = d.ShortName, NidLength = d.NidLength, PublicKeys = d.PublicKeys,
            CloudProvider = d.CloudProvider, Region = d.Region, AvailabilityZone = d.AvailabilityZone,
            Description = extras["description"]?.GetValue<string>(),
            Networks = FromJson<List<NetworkSpec>>(extras["networks"]),
        };
    }

    protected override JsonObject Write(IStoreSession session, string key, ClusterDefaultsSpec spec, bool create)
    {
        var current = cloudInit.GetDefaults();
        cloudInit.ReplaceDefaults(new ClusterDefaults
        {
            BaseUrl = spec.BaseUrl, ClusterName = spec.ClusterName, ShortName = spec.ShortName, NidLength = spec.NidLength, PublicKeys = spec.PublicKeys,
            CloudProvider = spec.CloudProvider, Region = spec.Region, AvailabilityZone = spec.AvailabilityZone,
            // Not part of this spec: kept as /cloud-init and Set-ChamiCloudInitDefaults set them.
            BootSubnet = current.BootSubnet, WgSubnet = current.WgSubnet,
        });
        var extras = new JsonObject();
        if (!string.IsNullOrEmpty(spec.Description)) extras["description"] = spec.Description;
        if (spec.Networks is { Count: > 0 }) extras["networks"] = JsonNode.Parse(ChamiJson.Serialize(spec.Networks));
        return extras;
    }

    protected override void CheckName(ResourceMetadata metadata, StoredResource sidecar, string key, ClusterDefaultsSpec spec)
    {
        // One record per cluster: its name is only a label, so a replace may change it.
    }

    protected override void Remove(IStoreSession session, string key) => session.Collection<ClusterDefaultsRecord>().Delete(Key);

    /// <summary>The networks of the cluster (network-config), read in <paramref name="session"/>.</summary>
    internal static IReadOnlyList<NetworkSpec> Networks(IStoreSession session)
    {
        var kindName = StoredResource.KeyOf(MetadataKinds.ClusterDefaults.Name, Key);
        var sidecar = session.Collection<StoredResource>().FindOne(r => r.KindName == kindName);
        return sidecar is not null && JsonNode.Parse(sidecar.Spec)?["networks"] is { } networks ? FromJson<List<NetworkSpec>>(networks) ?? [] : [];
    }
}

/// <summary><c>/groups</c> over cloud-init groups: the template is the group's cloud-config, <c>osVersion</c> its <c>versions.osVersion</c>.</summary>
public sealed class GroupResourceService(IChamiStore store, CloudInitService cloudInit, TimeProvider time)
    : ModelResourceService<GroupSpec>(store, MetadataKinds.Group, time)
{
    public const string OsVersionKey = "osVersion";

    protected override IReadOnlyList<string> Keys(IStoreSession session) => cloudInit.GetGroups().Select(g => g.Name).ToList();

    protected override string KeyFor(ResourceMetadata metadata, GroupSpec spec) =>
        metadata.Name.Length > 0 ? GroupService.NormalizeLabel(metadata.Name, "group name") : throw ChamiException.Invalid("NameRequired", "a Group needs metadata.name");

    protected override GroupSpec? Read(IStoreSession session, string key, JsonObject extras) =>
        cloudInit.FindGroup(key) is { } group ? ToSpec(group) : null;

    public static GroupSpec ToSpec(CloudInitGroup group) => new()
    {
        Template = group.File is not { } file ? string.Empty
            : file.Encoding == CloudInitEncodings.Base64 ? Encoding.UTF8.GetString(Convert.FromBase64String(file.Content)) : file.Content,
        Description = group.Description,
        MetaData = group.MetaData,
        OsVersion = group.Versions?.GetValueOrDefault(OsVersionKey),
    };

    protected override JsonObject Write(IStoreSession session, string key, GroupSpec spec, bool create)
    {
        var current = cloudInit.FindGroup(key);
        var versions = WithOsVersion(current?.Versions, spec.OsVersion);
        var group = new CloudInitGroup
        {
            Name = key,
            Description = spec.Description,
            MetaData = spec.MetaData,
            File = new CloudInitFile { Content = spec.Template ?? string.Empty, Filename = current?.File?.Filename ?? string.Empty, Encoding = CloudInitEncodings.Plain },
            Versions = versions,
        };
        if (create) cloudInit.CreateGroup(group);
        else cloudInit.SetGroup(group, out _);
        return [];
    }

    protected override void Remove(IStoreSession session, string key) => cloudInit.RemoveGroup(key);

    /// <summary>A copy of a group's versions with <c>osVersion</c> set (or removed when empty); the other entries stay.</summary>
    public static Dictionary<string, string>? WithOsVersion(IReadOnlyDictionary<string, string>? versions, string? osVersion)
    {
        var copy = versions is null ? [] : new Dictionary<string, string>(versions);
        if (string.IsNullOrEmpty(osVersion)) copy.Remove(OsVersionKey);
        else copy[OsVersionKey] = osVersion;
        return copy.Count > 0 ? copy : null;
    }
}

/// <summary><c>/instanceinfos</c> over cloud-init's per-node instance-info, one per node xname.</summary>
public sealed class InstanceInfoResourceService(IChamiStore store, CloudInitService cloudInit, TimeProvider time)
    : ModelResourceService<InstanceInfoSpec>(store, MetadataKinds.InstanceInfo, time)
{
    protected override IReadOnlyList<string> Keys(IStoreSession session) => cloudInit.GetInstances().Select(i => i.Id).ToList();

    /// <summary>A node gets an instance-info holding only its instance-id on its first meta-data fetch: that is no override yet.</summary>
    protected override bool CreateConflicts(IStoreSession session, string key) =>
        cloudInit.FindInstance(key) is { } i && ((i.LocalHostname ?? i.Hostname ?? i.ClusterName ?? i.Region ?? i.AvailabilityZone ?? i.CloudProvider
            ?? i.InstanceType ?? i.CloudInitBaseUrl) is not null || i.PublicKeys is { Count: > 0 });

    protected override string KeyFor(ResourceMetadata metadata, InstanceInfoSpec spec) =>
        Xnames.Xname.Parse(spec.Xname ?? (metadata.Name.Length > 0 ? metadata.Name : throw ChamiException.Invalid("XnameRequired", "an InstanceInfo needs spec.xname or an xname as metadata.name")));

    protected override InstanceInfoSpec? Read(IStoreSession session, string key, JsonObject extras) =>
        cloudInit.FindInstance(key) is { } i ? new InstanceInfoSpec
        {
            Xname = i.Id, InstanceId = i.InstanceId, LocalHostname = i.LocalHostname, Hostname = i.Hostname, ClusterName = i.ClusterName,
            Region = i.Region, AvailabilityZone = i.AvailabilityZone, CloudProvider = i.CloudProvider, InstanceType = i.InstanceType,
            CloudInitBaseUrl = i.CloudInitBaseUrl, PublicKeys = i.PublicKeys,
        } : null;

    protected override JsonObject Write(IStoreSession session, string key, InstanceInfoSpec spec, bool create)
    {
        if (spec.Xname is not null && Xnames.Xname.Parse(spec.Xname) != key)
        {
            throw ChamiException.Invalid("XnameMismatch", $"spec.xname {spec.Xname} is not this InstanceInfo's node ({key})", spec.Xname);
        }
        cloudInit.SetInstance(key, new InstanceInfo
        {
            InstanceId = spec.InstanceId, LocalHostname = spec.LocalHostname, Hostname = spec.Hostname, ClusterName = spec.ClusterName,
            Region = spec.Region, AvailabilityZone = spec.AvailabilityZone, CloudProvider = spec.CloudProvider, InstanceType = spec.InstanceType,
            CloudInitBaseUrl = spec.CloudInitBaseUrl, PublicKeys = spec.PublicKeys,
        });
        return [];
    }

    protected override void CheckName(ResourceMetadata metadata, StoredResource sidecar, string key, InstanceInfoSpec spec)
    {
        if (metadata.Name.Length > 0 && metadata.Name != sidecar.Name && !(Xnames.Xname.TryParse(metadata.Name, out var id, out _) && id == key))
        {
            throw ChamiException.Invalid("RenameNotSupported", $"an InstanceInfo belongs to its node ({key}): create one for the other node instead");
        }
    }

    protected override void Remove(IStoreSession session, string key) => cloudInit.RemoveInstance(key);
}
