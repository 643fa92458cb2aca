using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using OpenChami.Core.Security;

namespace OpenChami.Core.Http;

/// <summary>
/// <c>/openapi/v1.json</c>: an OpenAPI 3.1 index of every route the server really has, built from
/// the live endpoint table (so it can't drift), with the auth scope each route needs.
/// The wire schemas themselves are the specs under shared/spec.
/// </summary>
public static class OpenApiApi
{
    public static WebApplication MapOpenApiApi(this WebApplication app)
    {
        app.MapGet("/openapi/v1.json", (EndpointDataSource endpoints) =>
        {
            var paths = new JsonObject();
            var routes = endpoints.Endpoints.OfType<RouteEndpoint>()
                .Select(e => (Pattern: Render(e.RoutePattern), Methods: e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []))
                .Where(r => r.Methods.Count > 0)
                .OrderBy(r => r.Pattern, StringComparer.Ordinal);
            foreach (var (pattern, methods) in routes)
            {
                if (paths[pattern] is not JsonObject item) paths[pattern] = item = new JsonObject();
                foreach (var method in methods)
                {
                    var scope = AuthPolicy.RequiredScope(method, pattern);
                    var operation = new JsonObject
                    {
                        ["operationId"] = $"{method.ToLowerInvariant()}{pattern.Replace('/', '_').Replace("{", string.Empty).Replace("}", string.Empty)}",
                        ["responses"] = new JsonObject { ["default"] = new JsonObject { ["description"] = "see the OpenCHAMI wire specification" } },
                    };
                    var parameters = new JsonArray();
                    foreach (var name in System.Text.RegularExpressions.Regex.Matches(pattern, @"\{(\w+)\}").Select(m => m.Groups[1].Value))
                    {
                        parameters.Add(new JsonObject { ["name"] = name, ["in"] = "path", ["required"] = true, ["schema"] = new JsonObject { ["type"] = "string" } });
                    }
                    if (parameters.Count > 0) operation["parameters"] = parameters;
                    if (scope != ChamiScope.None) operation["security"] = new JsonArray(new JsonObject { ["bearer"] = new JsonArray(scope.ToString().ToLowerInvariant()) });
                    item[method.ToLowerInvariant()] = operation;
                }
            }
            var document = new JsonObject
            {
                ["openapi"] = "3.1.0",
                ["info"] = new JsonObject { ["title"] = "OpenChami", ["version"] = typeof(OpenApiApi).Assembly.GetName().Version?.ToString(3) ?? "0.0.0" },
                ["paths"] = paths,
                ["components"] = new JsonObject
                {
                    ["securitySchemes"] = new JsonObject { ["bearer"] = new JsonObject { ["type"] = "http", ["scheme"] = "bearer", ["bearerFormat"] = "JWT" } },
                },
            };
            return TypedResults.Text(document.ToJsonString(), "application/json");
        });
        return app;
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
