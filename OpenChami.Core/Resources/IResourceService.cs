using System.Text.Json.Nodes;

namespace OpenChami.Core.Resources;

/// <summary>
/// What the resource routes (Http/Resources/ResourceApi) and the cmdlets need from the owner of one kind. A kind with
/// its own domain model (boot configurations, cloud-init groups) implements it over that model, so every API and the
/// cmdlets read and write the same documents; kinds without one use <see cref="StoredResourceService{TSpec}"/>.
/// Errors are <see cref="Errors.ChamiException"/>s: Invalid (400), NotFound (404), Conflict (409).
/// </summary>
public interface IResourceService<TSpec> where TSpec : class
{
    ResourceKind Kind { get; }

    IReadOnlyList<Resource<TSpec>> List();

    Resource<TSpec>? Get(string uid);

    /// <summary>Validates <paramref name="spec"/>, gives the resource a uid and its times; the name must be free within the kind.</summary>
    Resource<TSpec> Create(ResourceMetadata metadata, TSpec spec);

    /// <summary>Replaces the spec; uid and createdAt stay, the name and labels stay unless non-empty ones are sent.</summary>
    Resource<TSpec> Replace(string uid, ResourceMetadata metadata, TSpec spec);

    Resource<TSpec> SetStatus(string uid, JsonNode? status);

    bool Delete(string uid);
}
