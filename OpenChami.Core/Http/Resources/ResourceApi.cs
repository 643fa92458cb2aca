using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OpenChami.Core.Errors;
using OpenChami.Core.Resources;

namespace OpenChami.Core.Http.Resources;

/// <summary>Upstream's error body on boot-service and metadata-service routes (spec/boot-service.md §2).</summary>
public sealed record ResourceError([property: JsonPropertyName("error")] string Error);

/// <summary>What DELETE answers (spec/boot-service.md §2).</summary>
public sealed record ResourceDeleted([property: JsonPropertyName("message")] string Message, [property: JsonPropertyName("uid")] string Uid);

/// <summary>
/// The resource routes of boot-service and metadata-service (spec/boot-service.md §2), one implementation for every
/// kind: list, create, read, replace, patch, delete and status, over an <see cref="IResourceService{TSpec}"/>.
/// Handlers only read the body and call the service; errors go through the one mapping (<see cref="ChamiErrorMapping"/>)
/// in the <see cref="ErrorDialect.Resource"/> dialect: upstream's <c>{"error": ...}</c> shape.
/// </summary>
internal static class ResourceApi
{
    /// <summary>A route group under <paramref name="prefix"/> whose 4xx answers are <c>{"error": ...}</c>.</summary>
    public static RouteGroupBuilder MapResourceServiceGroup(this IEndpointRouteBuilder app, string prefix, string tag)
    {
        var group = app.MapGroup(prefix);
        group.WithTags(tag).WithErrorDialect(ErrorDialect.Resource);
        return group;
    }

    public static JsonHttpResult<ResourceError> Error(int status, string message) =>
        TypedResults.Json(new ResourceError(message), Serialization.ChamiJson.Options, statusCode: status);

    /// <summary>Maps <c>/{plural}</c> and <c>/{plural}/{uid}[/status]</c> for one kind; operation names start with <paramref name="service"/>.</summary>
    public static RouteGroupBuilder MapResources<TSpec>(this RouteGroupBuilder group, string service, ResourceKind kind, Func<ChamiServices, IResourceService<TSpec>> serviceOf)
        where TSpec : class
    {
        var plural = $"/{kind.Plural}";
        var one = $"/{kind.Plural}/{{uid}}";
        var name = $"{service}-{kind.Name}";

        group.MapGet(plural, (ChamiServices services) => TypedResults.Ok(serviceOf(services).List()))
            .WithName($"{name}-list").WithSummary($"Every {kind.Name}, as a JSON array.");

        group.MapPost(plural, async (HttpRequest request, ChamiServices services) =>
            {
                var (metadata, spec) = ResourceRequest.Read<TSpec>(await ReadBodyAsync(request).ConfigureAwait(false), kind);
                var created = serviceOf(services).Create(metadata, spec);
                return TypedResults.Created($"{request.PathBase}{request.Path}/{created.Metadata.Uid}", created);
            })
            .WithName($"{name}-create").WithSummary($"Creates a {kind.Name}; the server sets uid, kind and times.")
            .Produces<ResourceError>(StatusCodes.Status400BadRequest).Produces<ResourceError>(StatusCodes.Status409Conflict);

        group.MapGet(one, Results<Ok<Resource<TSpec>>, JsonHttpResult<ResourceError>> (string uid, ChamiServices services) =>
                serviceOf(services).Get(uid) is { } found ? TypedResults.Ok(found) : NotFound(kind, uid))
            .WithName($"{name}-get");

        group.MapPut(one, async (string uid, HttpRequest request, ChamiServices services) =>
            {
                var (metadata, spec) = ResourceRequest.Read<TSpec>(await ReadBodyAsync(request).ConfigureAwait(false), kind);
                return TypedResults.Ok(serviceOf(services).Replace(uid, metadata, spec));
            })
            .WithName($"{name}-replace").WithSummary("Replaces the spec; uid and createdAt stay.")
            .Produces<ResourceError>(StatusCodes.Status400BadRequest).Produces<ResourceError>(StatusCodes.Status404NotFound);

        group.MapPatch(one, async (string uid, HttpRequest request, ChamiServices services) =>
                TypedResults.Ok(ResourcePatch.Apply(serviceOf(services), uid, await ReadBodyAsync(request).ConfigureAwait(false))))
            .WithName($"{name}-patch").WithSummary("A merge patch (object) or a JSON Patch (array) of the spec.")
            // No .Accepts<>(...): it makes routing answer a foreign Content-Type with an empty 415 before the
            // {"error": ...} filter runs; the body is JSON whatever its label says, and a bad one is 400 here.
            .Produces<ResourceError>(StatusCodes.Status400BadRequest).Produces<ResourceError>(StatusCodes.Status404NotFound);

        group.MapDelete(one, Results<Ok<ResourceDeleted>, JsonHttpResult<ResourceError>> (string uid, ChamiServices services) =>
                serviceOf(services).Delete(uid) ? TypedResults.Ok(new ResourceDeleted($"{kind.Name} deleted", uid)) : NotFound(kind, uid))
            .WithName($"{name}-delete");

        group.MapPut($"{one}/status", async (string uid, HttpRequest request, ChamiServices services) =>
                TypedResults.Ok(serviceOf(services).SetStatus(uid, StatusOf(await ReadBodyAsync(request).ConfigureAwait(false)))))
            .WithName($"{name}-status-replace")
            .Produces<ResourceError>(StatusCodes.Status400BadRequest).Produces<ResourceError>(StatusCodes.Status404NotFound);

        group.MapPatch($"{one}/status", async (string uid, HttpRequest request, ChamiServices services) =>
                TypedResults.Ok(ResourcePatch.ApplyToStatus(serviceOf(services), uid, StatusOf(await ReadBodyAsync(request).ConfigureAwait(false)))))
            .WithName($"{name}-status-patch")
            .Produces<ResourceError>(StatusCodes.Status400BadRequest).Produces<ResourceError>(StatusCodes.Status404NotFound);

        return group;
    }

    private static JsonHttpResult<ResourceError> NotFound(ResourceKind kind, string uid) => Error(StatusCodes.Status404NotFound, $"{kind.Name} '{uid}' not found");

    /// <summary>A status body may be the status itself or <c>{"status": ...}</c>.</summary>
    private static JsonNode? StatusOf(JsonNode? body) =>
        body is JsonObject o && o.Count == 1 && o.TryGetPropertyValue("status", out var status) ? status : body;

    private static async Task<JsonNode?> ReadBodyAsync(HttpRequest request)
    {
        try
        {
            return await JsonNode.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException ex)
        {
            throw ChamiException.Invalid("InvalidJson", $"error decoding JSON {ex.Message}");
        }
    }
}
