using System.Text.Json.Nodes;
using OpenChami.Core.Errors;
using OpenChami.Core.Serialization;
using OpenChami.Core.Storage;

namespace OpenChami.Core.Resources;

/// <summary>
/// Resources of one kind kept as they are sent (collection <c>resources</c>): for kinds that no other API or cmdlet
/// reads in another shape (metadata-service's WireGuard peers, for instance). Kinds with a domain model implement
/// <see cref="IResourceService{TSpec}"/> over that model instead.
/// </summary>
public sealed class StoredResourceService<TSpec>(IChamiStore store, ResourceKind kind, TimeProvider? time = null) : IResourceService<TSpec>
    where TSpec : class
{
    private readonly TimeProvider clock = time ?? TimeProvider.System;

    public ResourceKind Kind => kind;

    public IReadOnlyList<Resource<TSpec>> List() =>
        store.Read(s => s.Collection<StoredResource>().Find(r => r.Kind == kind.Name))
            .OrderBy(r => r.Name, StringComparer.Ordinal).ThenBy(r => r.Uid, StringComparer.Ordinal).Select(ToResource).ToList();

    public Resource<TSpec>? Get(string uid) =>
        store.Read(s => s.Collection<StoredResource>().Get(uid)) is { } stored && stored.Kind == kind.Name ? ToResource(stored) : null;

    /// <summary>The resource of this kind named <paramref name="name"/> (names are unique within a kind, case-insensitively): one index seek.</summary>
    public Resource<TSpec>? FindByName(string name)
    {
        var key = StoredResource.KeyOf(kind.Name, name.Trim());
        return store.Read(s => s.Collection<StoredResource>().FindOne(r => r.KindName == key)) is { } stored ? ToResource(stored) : null;
    }

    public Resource<TSpec> Create(ResourceMetadata metadata, TSpec spec)
    {
        if (metadata.Name.Length == 0) throw ChamiException.Invalid("NameRequired", $"a {kind.Name} needs metadata.name");
        if (spec is IValidatedSpec validated) validated.Validate();
        var now = clock.GetUtcNow().UtcDateTime;
        var stored = store.Write(s =>
        {
            var resources = s.Collection<StoredResource>();
            var key = StoredResource.KeyOf(kind.Name, metadata.Name);
            if (resources.FindOne(r => r.KindName == key) is not null)
            {
                throw ChamiException.Conflict("ResourceExists", $"a {kind.Name} named '{metadata.Name}' exists", metadata.Name);
            }
            string uid;
            do uid = kind.NewUid(); while (resources.Exists(uid));
            var document = new StoredResource
            {
                Uid = uid, Kind = kind.Name, Name = metadata.Name, KindName = key,
                Labels = ResourceMetadata.CopyMap(metadata.Labels), Annotations = ResourceMetadata.CopyMap(metadata.Annotations),
                CreatedAt = now, UpdatedAt = now, Spec = ChamiJson.Serialize(spec),
            };
            resources.Insert(document);
            return document;
        });
        return ToResource(stored);
    }

    public Resource<TSpec> Replace(string uid, ResourceMetadata metadata, TSpec spec)
    {
        if (spec is IValidatedSpec validated) validated.Validate();
        return ToResource(Change(uid, (resources, document) =>
        {
            if (metadata.Name.Length > 0 && metadata.Name != document.Name)
            {
                var key = StoredResource.KeyOf(kind.Name, metadata.Name);
                if (resources.FindOne(r => r.KindName == key) is { } other && other.Uid != uid)
                {
                    throw ChamiException.Conflict("ResourceExists", $"a {kind.Name} named '{metadata.Name}' exists", metadata.Name);
                }
                document.Name = metadata.Name;
                document.KindName = key;
            }
            if (metadata.Labels is not null) document.Labels = ResourceMetadata.CopyMap(metadata.Labels);
            if (metadata.Annotations is not null) document.Annotations = ResourceMetadata.CopyMap(metadata.Annotations);
            document.Spec = ChamiJson.Serialize(spec);
        }));
    }

    public Resource<TSpec> SetStatus(string uid, JsonNode? status) =>
        ToResource(Change(uid, (_, document) => document.Status = status?.ToJsonString()));

    public bool Delete(string uid) => store.Write(s =>
    {
        var resources = s.Collection<StoredResource>();
        return resources.Get(uid) is { } stored && stored.Kind == kind.Name && resources.Delete(uid);
    });

    private StoredResource Change(string uid, Action<IDocumentCollection<StoredResource>, StoredResource> change) => store.Write(s =>
    {
        var resources = s.Collection<StoredResource>();
        var document = resources.Get(uid) is { } found && found.Kind == kind.Name
            ? found
            : throw ChamiException.NotFound("ResourceNotFound", $"{kind.Name} '{uid}' not found", uid);
        change(resources, document);
        document.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        resources.Update(document);
        return document;
    });

    private Resource<TSpec> ToResource(StoredResource stored) => new()
    {
        ApiVersion = kind.ApiVersion,
        Kind = kind.Name,
        Metadata = ResourceMetadata.Stored(stored.Name, stored.Uid, stored.Labels, stored.Annotations, stored.CreatedAt, stored.UpdatedAt),
        Spec = ChamiJson.Deserialize<TSpec>(stored.Spec) ?? throw new InvalidOperationException($"{kind.Name} {stored.Uid} has no spec"),
        Status = stored.Status is null ? null : JsonNode.Parse(stored.Status),
    };

}
