using System.Text.Json.Nodes;
using OpenChami.Core.Errors;
using OpenChami.Core.Resources;
using OpenChami.Core.Serialization;
using OpenChami.Core.Storage;

namespace OpenChami.Core.MetadataService;

/// <summary>
/// A resource kind whose spec lives in an existing cloud-init record (cluster defaults, groups, instance-info): the
/// record stays the one model every API and cmdlet reads; what the envelope adds (uid, name, labels, annotations,
/// times, status, and spec fields the record has no place for) is kept beside it as a <see cref="StoredResource"/>
/// of the same kind, found by uid or by <c>kind/key</c> (both indexed). A record written only through /cloud-init or a
/// cmdlet gets its envelope when it is first listed or read by key.
/// </summary>
public abstract class ModelResourceService<TSpec>(IChamiStore store, ResourceKind kind, TimeProvider time) : IResourceService<TSpec>
    where TSpec : class
{
    protected IChamiStore Store { get; } = store;

    protected TimeProvider Time { get; } = time;

    public ResourceKind Kind => kind;

    /// <summary>The keys of every record of this kind, in list order.</summary>
    protected abstract IReadOnlyList<string> Keys(IStoreSession session);

    /// <summary>The record's spec (with <paramref name="extras"/> folded in), or null when the record doesn't exist.</summary>
    protected abstract TSpec? Read(IStoreSession session, string key, JsonObject extras);

    /// <summary>The record's key for a create (from the name and spec); Invalid when none can be made.</summary>
    protected abstract string KeyFor(ResourceMetadata metadata, TSpec spec);

    /// <summary>Writes the record; returns the spec fields the record has no place for (kept in the envelope).</summary>
    protected abstract JsonObject Write(IStoreSession session, string key, TSpec spec, bool create);

    protected abstract void Remove(IStoreSession session, string key);

    /// <summary>The resource name a record gets when its envelope is made for it (the key, unless a kind says otherwise).</summary>
    protected virtual string DefaultName(string key) => key;

    public IReadOnlyList<Resource<TSpec>> List()
    {
        var keys = Store.Read(Keys);
        var missing = Store.Read(s => keys.Where(k => Sidecar(s, k) is null).ToList());
        if (missing.Count > 0) Store.Write(s => { foreach (var key in missing) Ensure(s, key); });
        return Store.Read(s => keys.Select(k => Sidecar(s, k) is { } sidecar ? ToResource(s, sidecar) : null).OfType<Resource<TSpec>>().ToList());
    }

    public Resource<TSpec>? Get(string uid) => Store.Read(s => s.Collection<StoredResource>().Get(uid) is { } sidecar && sidecar.Kind == kind.Name ? ToResource(s, sidecar) : null);

    /// <summary>The resource of the record <paramref name="key"/> (its envelope made if it has none), or null.</summary>
    public Resource<TSpec>? GetByKey(string key) => Store.Write(s => Ensure(s, key) is { } sidecar ? ToResource(s, sidecar) : null);

    public Resource<TSpec> Create(ResourceMetadata metadata, TSpec spec)
    {
        if (spec is IValidatedSpec validated) validated.Validate();
        var key = KeyFor(metadata, spec);
        return Store.Write(s =>
        {
            if (CreateConflicts(s, key))
            {
                throw ChamiException.Conflict("ResourceExists", $"a {kind.Name} for '{key}' exists", key);
            }
            var extras = Write(s, key, spec, create: true);
            var now = Time.GetUtcNow().UtcDateTime;
            var sidecars = s.Collection<StoredResource>();
            var stale = Sidecar(s, key);
            var sidecar = stale ?? new StoredResource { Uid = NewUid(sidecars), Kind = kind.Name, KindName = StoredResource.KeyOf(kind.Name, key) };
            sidecar.Name = metadata.Name.Length > 0 ? metadata.Name : DefaultName(key);
            sidecar.Labels = ResourceMetadata.CopyMap(metadata.Labels);
            sidecar.Annotations = ResourceMetadata.CopyMap(metadata.Annotations);
            sidecar.CreatedAt = now;
            sidecar.UpdatedAt = now;
            sidecar.Spec = extras.ToJsonString();
            sidecar.Status = null;
            sidecars.Upsert(sidecar);
            return ToResource(s, sidecar) ?? throw new InvalidOperationException($"{kind.Name} {key} was not written");
        });
    }

    public Resource<TSpec> Replace(string uid, ResourceMetadata metadata, TSpec spec)
    {
        if (spec is IValidatedSpec validated) validated.Validate();
        return Change(uid, (s, sidecar, key) =>
        {
            CheckName(metadata, sidecar, key, spec);
            sidecar.Spec = Write(s, key, spec, create: false).ToJsonString();
            if (metadata.Name.Length > 0) sidecar.Name = metadata.Name;
            if (metadata.Labels is not null) sidecar.Labels = ResourceMetadata.CopyMap(metadata.Labels);
            if (metadata.Annotations is not null) sidecar.Annotations = ResourceMetadata.CopyMap(metadata.Annotations);
        });
    }

    /// <summary>Whether a create of <paramref name="key"/> is refused (409) because the record already exists.</summary>
    protected virtual bool CreateConflicts(IStoreSession session, string key) => Read(session, key, []) is not null;

    /// <summary>A record's key is its identity (a group label, a node xname): a replace can't move it to another one.</summary>
    protected virtual void CheckName(ResourceMetadata metadata, StoredResource sidecar, string key, TSpec spec)
    {
        if (metadata.Name.Length > 0 && !string.Equals(metadata.Name, sidecar.Name, StringComparison.Ordinal))
        {
            throw ChamiException.Invalid("RenameNotSupported", $"a {kind.Name} can't be renamed ('{sidecar.Name}' to '{metadata.Name}'): create a new one");
        }
    }

    public Resource<TSpec> SetStatus(string uid, JsonNode? status) => Change(uid, (_, sidecar, _) => sidecar.Status = status?.ToJsonString());

    public bool Delete(string uid) => Store.Write(s =>
    {
        var sidecars = s.Collection<StoredResource>();
        if (sidecars.Get(uid) is not { } sidecar || sidecar.Kind != kind.Name) return false;
        var key = KeyOf(sidecar);
        var existed = Read(s, key, []) is not null;
        if (existed) Remove(s, key);
        sidecars.Delete(uid);
        return existed;
    });

    private Resource<TSpec> Change(string uid, Action<IStoreSession, StoredResource, string> change) => Store.Write(s =>
    {
        var sidecars = s.Collection<StoredResource>();
        var sidecar = sidecars.Get(uid) is { } found && found.Kind == kind.Name && Read(s, KeyOf(found), []) is not null
            ? found
            : throw ChamiException.NotFound("ResourceNotFound", $"{kind.Name} '{uid}' not found", uid);
        change(s, sidecar, KeyOf(sidecar));
        sidecar.UpdatedAt = Time.GetUtcNow().UtcDateTime;
        sidecars.Update(sidecar);
        return ToResource(s, sidecar) ?? throw ChamiException.NotFound("ResourceNotFound", $"{kind.Name} '{uid}' not found", uid);
    });

    private StoredResource? Sidecar(IStoreSession s, string key)
    {
        var kindName = StoredResource.KeyOf(kind.Name, key);
        return s.Collection<StoredResource>().FindOne(r => r.KindName == kindName);
    }

    /// <summary>The envelope of record <paramref name="key"/>, made (with the time of now) when the record has none; null without a record.</summary>
    private StoredResource? Ensure(IStoreSession s, string key)
    {
        if (Read(s, key, []) is null) return null;
        if (Sidecar(s, key) is { } existing) return existing;
        var now = Time.GetUtcNow().UtcDateTime;
        var sidecars = s.Collection<StoredResource>();
        var sidecar = new StoredResource
        {
            Uid = NewUid(sidecars), Kind = kind.Name, Name = DefaultName(key), KindName = StoredResource.KeyOf(kind.Name, key),
            CreatedAt = now, UpdatedAt = now, Spec = "{}",
        };
        sidecars.Insert(sidecar);
        return sidecar;
    }

    private string NewUid(IDocumentCollection<StoredResource> sidecars)
    {
        string uid;
        do uid = kind.NewUid(); while (sidecars.Exists(uid));
        return uid;
    }

    private string KeyOf(StoredResource sidecar) => sidecar.KindName[(kind.Name.Length + 1)..];

    private static JsonObject Extras(StoredResource sidecar) => JsonNode.Parse(sidecar.Spec) as JsonObject ?? [];

    private Resource<TSpec>? ToResource(IStoreSession s, StoredResource sidecar)
    {
        var spec = Read(s, KeyOf(sidecar), Extras(sidecar));
        return spec is null ? null : new Resource<TSpec>
        {
            ApiVersion = kind.ApiVersion,
            Kind = kind.Name,
            Metadata = ResourceMetadata.Stored(sidecar.Name, sidecar.Uid, sidecar.Labels, sidecar.Annotations, sidecar.CreatedAt, sidecar.UpdatedAt),
            Spec = spec,
            Status = sidecar.Status is null ? null : JsonNode.Parse(sidecar.Status),
        };
    }


    protected static T? FromJson<T>(JsonNode? node) where T : class => node is null ? null : ChamiJson.Deserialize<T>(node.ToJsonString());
}
