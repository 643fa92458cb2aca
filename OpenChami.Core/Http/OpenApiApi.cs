using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.AspNetCore.WebUtilities;
using OpenChami.Core.Security;

namespace OpenChami.Core.Http;

/// <summary>
/// <c>/openapi/v1.json</c>: an OpenAPI 3.1 index of every route the server really has, built from the live endpoint
/// table (so it can't drift): each route's name (operationId), tag, documented statuses and the auth scope it needs.
/// The wire schemas themselves are the specs under docs/spec.
/// </summary>
public static class OpenApiApi
{
    public static IEndpointRouteBuilder MapOpenApiApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/openapi/v1.json", (EndpointDataSource endpoints) => TypedResults.Text(Document(endpoints).ToJsonString(), "application/json"))
            .WithName("GetOpenApiDocument")
            .Produces<string>(StatusCodes.Status200OK, "application/json");
        return app;
    }

    private static JsonObject Document(EndpointDataSource endpoints)
    {
        var paths = new JsonObject();
        var routes = endpoints.Endpoints.OfType<RouteEndpoint>()
            .Select(e => (Endpoint: e, Pattern: Render(e.RoutePattern), Methods: e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []))
            .Where(r => r.Methods.Count > 0)
            .OrderBy(r => r.Pattern, StringComparer.Ordinal);
        foreach (var (endpoint, pattern, methods) in routes)
        {
            if (paths[pattern] is not JsonObject item) paths[pattern] = item = new JsonObject();
            foreach (var method in methods) item[method.ToLowerInvariant()] = Operation(endpoint, method, pattern);
        }
        return new JsonObject
        {
            ["openapi"] = "3.1.0",
            ["info"] = new JsonObject { ["title"] = "OpenChami", ["version"] = typeof(OpenApiApi).Assembly.GetName().Version?.ToString(3) ?? "0.0.0" },
            ["paths"] = paths,
            ["components"] = new JsonObject
            {
                ["securitySchemes"] = new JsonObject { ["bearer"] = new JsonObject { ["type"] = "http", ["scheme"] = "bearer", ["bearerFormat"] = "JWT" } },
            },
        };
    }

    // What a route does not declare is left out, so the test over this document finds a route without a name, tag or status.
    private static JsonObject Operation(RouteEndpoint endpoint, string method, string pattern)
    {
        var operation = new JsonObject();
        if (endpoint.Metadata.GetMetadata<IEndpointNameMetadata>() is { } name) operation["operationId"] = name.EndpointName;
        var tags = endpoint.Metadata.GetOrderedMetadata<ITagsMetadata>().SelectMany(t => t.Tags).Distinct().ToList();
        if (tags.Count > 0) operation["tags"] = new JsonArray(tags.Select(t => (JsonNode?)t).ToArray());

        var parameters = new JsonArray();
        foreach (var parameter in endpoint.RoutePattern.Parameters)
        {
            parameters.Add(new JsonObject { ["name"] = parameter.Name, ["in"] = "path", ["required"] = true, ["schema"] = new JsonObject { ["type"] = "string" } });
        }
        if (parameters.Count > 0) operation["parameters"] = parameters;

        var responses = new JsonObject();
        foreach (var status in endpoint.Metadata.GetOrderedMetadata<IProducesResponseTypeMetadata>().GroupBy(p => p.StatusCode).OrderBy(g => g.Key))
        {
            var response = new JsonObject { ["description"] = ReasonPhrases.GetReasonPhrase(status.Key) };
            var contentTypes = status.Where(p => p.Type is not null && p.Type != typeof(void)).SelectMany(p => p.ContentTypes).Distinct().ToList();
            if (contentTypes.Count > 0) response["content"] = new JsonObject(contentTypes.Select(c => KeyValuePair.Create(c, (JsonNode?)new JsonObject())));
            responses[status.Key.ToString(System.Globalization.CultureInfo.InvariantCulture)] = response;
        }
        operation["responses"] = responses;

        var scope = AuthPolicy.RequiredScope(method, pattern);
        if (scope != ChamiScope.None) operation["security"] = new JsonArray(new JsonObject { ["bearer"] = new JsonArray(scope.ToString().ToLowerInvariant()) });
        return operation;
    }

    private static string Render(RoutePattern pattern) =>
        "/" + string.Join('/', pattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
        {
            RoutePatternLiteralPart literal => literal.Content,
            RoutePatternParameterPart parameter => "{" + parameter.Name + "}",
            RoutePatternSeparatorPart separator => separator.Content,
            _ => string.Empty,
        }))));
}
