using System.Text.Json.Nodes;
using OpenChami.Core.Errors;
using OpenChami.Core.Inventory;
using OpenChami.Core.Resources;
using OpenChami.Core.Storage;

namespace OpenChami.Core.MetadataService;

/// <summary>A stored profile (collection <c>metadata_profiles</c>, indexed by group and name).</summary>
public sealed class CloudInitProfile
{
    public string Uid { get; set; } = string.Empty;

    public string Name { get; set; } = string.Empty;

    /// <summary>The name in lower case: names are unique, found with one seek.</summary>
    public string NameKey { get; set; } = string.Empty;

    public string Group { get; set; } = string.Empty;

    public string? Parent { get; set; }

    public string? Template { get; set; }

    public string? MetaDataJson { get; set; }

    /// <summary>When it stops applying (UTC); from <c>expires_at</c>, or the write time plus <see cref="TtlSeconds"/>.</summary>
    public DateTime? ExpiresAt { get; set; }

    public long? TtlSeconds { get; set; }

    public Dictionary<string, string>? Labels { get; set; }

    public Dictionary<string, string>? Annotations { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }

    public string? Status { get; set; }

    public bool IsActive(DateTime now) => ExpiresAt is not { } expires || expires > now;

    public override string ToString() => Name;
}

/// <summary>
/// <c>/profiles</c> (spec/metadata-service.md §2) and what node documents need of them: the active profiles of a
/// group, each merged over its parent chain. Expiry is judged on the injected clock; an expired profile stays stored.
/// </summary>
public sealed class ProfileService(IChamiStore store, TimeProvider time) : IResourceService<ProfileSpec>
{
    private const int MaxParentDepth = 16;

    public ResourceKind Kind => MetadataKinds.Profile;

    public TimeProvider Time => time;

    public IReadOnlyList<Resource<ProfileSpec>> List() =>
        store.Read(s => s.Collection<CloudInitProfile>().All()).OrderBy(p => p.Name, StringComparer.Ordinal).Select(ToResource).ToList();

    public Resource<ProfileSpec>? Get(string uid) => store.Read(s => s.Collection<CloudInitProfile>().Get(uid)) is { } p ? ToResource(p) : null;

    /// <summary>The profile named <paramref name="name"/> (any case), or null.</summary>
    public Resource<ProfileSpec>? FindByName(string name) => store.Read(s => ByName(s, name)) is { } p ? ToResource(p) : null;

    public Resource<ProfileSpec> Create(ResourceMetadata metadata, ProfileSpec spec)
    {
        if (metadata.Name.Length == 0) throw ChamiException.Invalid("NameRequired", "a Profile needs metadata.name");
        var name = GroupService.NormalizeLabel(metadata.Name, "profile name");
        spec.Validate();
        return ToResource(store.Write(s =>
        {
            var profiles = s.Collection<CloudInitProfile>();
            if (ByName(s, name) is not null) throw ChamiException.Conflict("ResourceExists", $"a Profile named '{name}' exists", name);
            var now = time.GetUtcNow().UtcDateTime;
            string uid;
            do uid = Kind.NewUid(); while (profiles.Exists(uid));
            var profile = new CloudInitProfile
            {
                Uid = uid, Name = name, NameKey = name.ToLowerInvariant(), CreatedAt = now,
                Labels = ResourceMetadata.CopyMap(metadata.Labels), Annotations = ResourceMetadata.CopyMap(metadata.Annotations),
            };
            Apply(s, profile, spec, now);
            profiles.Insert(profile);
            return profile;
        }));
    }

    public Resource<ProfileSpec> Replace(string uid, ResourceMetadata metadata, ProfileSpec spec)
    {
        spec.Validate();
        return ToResource(Change(uid, (s, profile, now) =>
        {
            if (metadata.Name.Length > 0 && !string.Equals(metadata.Name, profile.Name, StringComparison.OrdinalIgnoreCase))
            {
                var name = GroupService.NormalizeLabel(metadata.Name, "profile name");
                if (ByName(s, name) is not null) throw ChamiException.Conflict("ResourceExists", $"a Profile named '{name}' exists", name);
                if (s.Collection<CloudInitProfile>().FindOne(p => p.Parent == profile.NameKey) is { } child)
                {
                    throw ChamiException.Conflict("ProfileInUse", $"profile {profile.Name} is the parent of {child.Name}: it can't be renamed", profile.Name);
                }
                profile.Name = name;
                profile.NameKey = name.ToLowerInvariant();
            }
            if (metadata.Labels is not null) profile.Labels = ResourceMetadata.CopyMap(metadata.Labels);
            if (metadata.Annotations is not null) profile.Annotations = ResourceMetadata.CopyMap(metadata.Annotations);
            Apply(s, profile, spec, now);
        }));
    }

    public Resource<ProfileSpec> SetStatus(string uid, JsonNode? status) => ToResource(Change(uid, (_, profile, _) => profile.Status = status?.ToJsonString()));

    public bool Delete(string uid) => store.Write(s =>
    {
        var profiles = s.Collection<CloudInitProfile>();
        if (profiles.Get(uid) is not { } profile) return false;
        if (profiles.FindOne(p => p.Parent == profile.NameKey) is { } child)
        {
            throw ChamiException.Conflict("ProfileInUse", $"profile {profile.Name} is the parent of {child.Name}: delete or re-parent that first", profile.Name);
        }
        return profiles.Delete(uid);
    });

    // ---------------------------------------------------------------- cmdlets (by name)

    /// <summary>Every profile as the cmdlets show it, in name order.</summary>
    public IReadOnlyList<CloudInitProfileInfo> GetProfiles()
    {
        var now = time.GetUtcNow().UtcDateTime;
        return store.Read(s => s.Collection<CloudInitProfile>().All()).OrderBy(p => p.Name, StringComparer.Ordinal).Select(p => Info(p, now)).ToList();
    }

    public CloudInitProfileInfo GetProfile(string name) =>
        store.Read(s => ByName(s, name)) is { } p ? Info(p, time.GetUtcNow().UtcDateTime) : throw ProfileNotFound(name);

    /// <summary>
    /// Read-modify-write of one profile by name (Set-ChamiCloudInitProfile): <paramref name="change"/> edits a copy of the
    /// stored spec (a new one when missing), which is then validated and written like a PUT of /profiles.
    /// </summary>
    public CloudInitProfileInfo SetProfile(string name, Action<ProfileSpec> change, out bool created)
    {
        var label = GroupService.NormalizeLabel(name, "profile name");
        var (resource, isNew) = store.Write(s =>
        {
            if (ByName(s, label) is { } existing)
            {
                var spec = ToResource(existing).Spec;
                change(spec);
                return (Replace(existing.Uid, new ResourceMetadata(), spec), false);
            }
            var fresh = new ProfileSpec();
            change(fresh);
            return (Create(new ResourceMetadata { Name = label }, fresh), true);
        });
        created = isNew;
        return GetProfile(resource.Metadata.Name);
    }

    public void RemoveProfile(string name)
    {
        var uid = store.Read(s => ByName(s, name))?.Uid ?? throw ProfileNotFound(name);
        Delete(uid);
    }

    private static ChamiException ProfileNotFound(string? name) => ChamiException.NotFound("CloudInitProfileNotFound", $"cloud-init profile {name} not found", name);

    private static CloudInitProfileInfo Info(CloudInitProfile p, DateTime now) => new()
    {
        Name = p.Name, Uid = p.Uid, Group = p.Group, Parent = p.Parent, Template = p.Template,
        MetaData = p.MetaDataJson is null ? null : JsonNode.Parse(p.MetaDataJson) as JsonObject,
        ExpiresAt = p.ExpiresAt is { } e ? DateTime.SpecifyKind(e, DateTimeKind.Utc) : null,
        Active = p.IsActive(now),
        Created = DateTime.SpecifyKind(p.CreatedAt, DateTimeKind.Utc),
        Updated = DateTime.SpecifyKind(p.UpdatedAt, DateTimeKind.Utc),
    };

    /// <summary>
    /// The profiles of <paramref name="group"/> that apply at <paramref name="now"/>, in name order, each with its meta-data and
    /// template merged over its parent chain (an expired ancestor contributes nothing); and the earliest expiry among them.
    /// </summary>
    internal static (IReadOnlyList<EffectiveProfile> Profiles, DateTime? ValidUntil) ActiveFor(IStoreSession s, string group, DateTime now)
    {
        var profiles = s.Collection<CloudInitProfile>().Find(p => p.Group == group);
        var result = new List<EffectiveProfile>();
        DateTime? until = null;
        foreach (var profile in profiles.OrderBy(p => p.NameKey, StringComparer.Ordinal))
        {
            if (profile.ExpiresAt is { } own && own > now) until = Min(until, own);
            if (!profile.IsActive(now)) continue;
            var chain = new List<CloudInitProfile> { profile };
            for (var parent = profile.Parent; parent is not null && chain.Count < MaxParentDepth;)
            {
                if (ByKey(s, parent) is not { } found) break;
                chain.Add(found);
                parent = found.Parent;
            }
            JsonObject meta = [];
            string? template = null;
            foreach (var link in Enumerable.Reverse(chain))
            {
                if (link.ExpiresAt is { } expires && expires > now) until = Min(until, expires);
                if (!link.IsActive(now)) continue;
                if (link.MetaDataJson is not null) meta = (JsonObject)JsonPatch.Merge(meta, JsonNode.Parse(link.MetaDataJson))!;
                template = link.Template ?? template;
            }
            result.Add(new EffectiveProfile(profile.Name, meta, template));
        }
        return (result, until);
    }

    private static DateTime Min(DateTime? a, DateTime b) => a is { } x && x < b ? x : b;

    private static CloudInitProfile? ByName(IStoreSession s, string name) => ByKey(s, name.Trim().ToLowerInvariant());

    private static CloudInitProfile? ByKey(IStoreSession s, string key) => s.Collection<CloudInitProfile>().FindOne(p => p.NameKey == key);

    private static void Apply(IStoreSession s, CloudInitProfile profile, ProfileSpec spec, DateTime now)
    {
        profile.Group = GroupService.NormalizeLabel(spec.Group, "spec.group");
        profile.Parent = null;
        if (!string.IsNullOrWhiteSpace(spec.Parent))
        {
            var parentKey = spec.Parent.Trim().ToLowerInvariant();
            if (parentKey == profile.NameKey) throw ChamiException.Invalid("ProfileCycle", $"profile {profile.Name} can't be its own parent");
            var seen = new HashSet<string>(StringComparer.Ordinal) { profile.NameKey };
            for (var key = parentKey; key is not null;)
            {
                if (!seen.Add(key)) throw ChamiException.Invalid("ProfileCycle", $"parent {spec.Parent} would make a cycle through {profile.Name}");
                if (seen.Count > MaxParentDepth) throw ChamiException.Invalid("ProfileTooDeep", $"profiles nest at most {MaxParentDepth} deep");
                key = (ByKey(s, key) ?? throw ChamiException.Invalid("ParentNotFound", $"parent profile '{spec.Parent}' does not exist", spec.Parent)).Parent;
            }
            profile.Parent = parentKey;
        }
        profile.Template = spec.Template;
        profile.MetaDataJson = spec.MetaData is { Count: > 0 } meta ? meta.ToJsonString() : null;
        profile.TtlSeconds = spec.TtlSeconds;
        profile.ExpiresAt = spec.ExpiresAt?.UtcDateTime ?? (spec.TtlSeconds is { } ttl ? now.AddSeconds(ttl) : null);
        profile.UpdatedAt = now;
    }

    private CloudInitProfile Change(string uid, Action<IStoreSession, CloudInitProfile, DateTime> change) => store.Write(s =>
    {
        var profiles = s.Collection<CloudInitProfile>();
        var profile = profiles.Get(uid) ?? throw ChamiException.NotFound("ResourceNotFound", $"Profile '{uid}' not found", uid);
        var now = time.GetUtcNow().UtcDateTime;
        change(s, profile, now);
        profile.UpdatedAt = now;
        profiles.Update(profile);
        return profile;
    });

    private Resource<ProfileSpec> ToResource(CloudInitProfile p) => new()
    {
        ApiVersion = Kind.ApiVersion,
        Kind = Kind.Name,
        Metadata = ResourceMetadata.Stored(p.Name, p.Uid, p.Labels, p.Annotations, p.CreatedAt, p.UpdatedAt),
        Spec = new ProfileSpec
        {
            Group = p.Group, Parent = p.Parent, Template = p.Template,
            MetaData = p.MetaDataJson is null ? null : JsonNode.Parse(p.MetaDataJson) as JsonObject,
            ExpiresAt = p.ExpiresAt is { } e ? new DateTimeOffset(DateTime.SpecifyKind(e, DateTimeKind.Utc)) : null,
            TtlSeconds = p.TtlSeconds,
        },
        Status = p.Status is null ? null : JsonNode.Parse(p.Status),
    };

}

/// <summary>A profile as Get/Set-ChamiCloudInitProfile show it.</summary>
public sealed class CloudInitProfileInfo
{
    public required string Name { get; init; }

    public required string Uid { get; init; }

    public required string Group { get; init; }

    public string? Parent { get; init; }

    public string? Template { get; init; }

    public JsonObject? MetaData { get; init; }

    /// <summary>UTC; null = never expires.</summary>
    public DateTime? ExpiresAt { get; init; }

    /// <summary>False once <see cref="ExpiresAt"/> has passed: the profile no longer applies (it stays stored).</summary>
    public bool Active { get; init; }

    public DateTime Created { get; init; }

    public DateTime Updated { get; init; }

    public override string ToString() => Name;
}

/// <summary>A profile as it applies to a node: meta-data and template merged over its active ancestors.</summary>
internal sealed record EffectiveProfile(string Name, JsonObject MetaData, string? Template);
