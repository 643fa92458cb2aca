using System.Collections.Frozen;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace OpenChami.Core.Http;

/// <summary>
/// The wire details every API shares, applied once by <see cref="ChamiPipeline"/> rather than per handler:
/// the JSON Content-Type upstream sends, and the 405 answer to a wrong method on a known path
/// (spec/smd.md §1, spec/bss.md §1).
/// </summary>
internal static class WireConventions
{
    /// <summary>What ASP.NET Core writes for JSON results (TypedResults.Ok, Json, Created ...).</summary>
    private const string FrameworkJson = "application/json; charset=utf-8";

    /// <summary>What OpenCHAMI's Go services send (SMD, PCS, boot-service, metadata-service, cloud-init admin).</summary>
    public const string Json = "application/json";

    // Upstream lists a path's methods in this order (spec/bss.md §1: `allow GET,PUT,POST,PATCH,DELETE`).
    private static readonly string[] MethodOrder = ["GET", "HEAD", "PUT", "POST", "PATCH", "DELETE", "OPTIONS"];

    /// <summary>
    /// Drops the <c>; charset=utf-8</c> ASP.NET Core appends to JSON (upstream sends bare <c>application/json</c>).
    /// Only that exact framework default is rewritten: a route that states its own type keeps it (BSS's upstream
    /// <c>application/json; charset=UTF-8</c>, problem+json, scripts and YAML).
    /// </summary>
    public static void UseUpstreamJsonType(HttpContext context) =>
        context.Response.OnStarting(static state =>
        {
            var response = (HttpResponse)state;
            if (string.Equals(response.ContentType, FrameworkJson, StringComparison.Ordinal)) response.ContentType = Json;
            return Task.CompletedTask;
        }, context.Response);

    /// <summary>The allowed methods of a path, in upstream's order, as the <c>Allow</c> header and the problem detail give them.</summary>
    public static string[] Ordered(IEnumerable<string> methods) =>
        methods.Select(m => m.ToUpperInvariant()).Distinct(StringComparer.Ordinal)
            .OrderBy(m => Array.IndexOf(MethodOrder, m) is var i && i < 0 ? int.MaxValue : i).ThenBy(m => m, StringComparer.Ordinal).ToArray();

    /// <summary>
    /// 405 with an <c>Allow</c> header. The body is problem+json <c>allow GET,POST</c> (spec/smd.md §1, spec/bss.md §1);
    /// on cloud-init's paths it is empty, as upstream's router sends it (spec/cloud-init.md §1).
    /// </summary>
    public static Task WriteMethodNotAllowedAsync(HttpContext context, IEnumerable<string> methods)
    {
        var allow = Ordered(methods);
        context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
        context.Response.Headers.Allow = string.Join(", ", allow);
        if (CloudInit.CloudInitApi.IsCloudInitPath(context.Request.Path.Value)) return Task.CompletedTask;
        return new ProblemResult(StatusCodes.Status405MethodNotAllowed, "allow " + string.Join(',', allow)).ExecuteAsync(context);
    }

    /// <summary>
    /// The methods of a literal path (no route parameter) when the request was routed to a parameterized
    /// endpoint instead: <c>GET /hsm/v2/State/Components/BulkNID</c> must be 405 (BulkNID is PATCH only), not
    /// <c>GET /State/Components/{xname}</c> answering 404 for an xname called BulkNID. Literal segments win
    /// over parameters (spec/smd.md §1). Null when the request is not such a case.
    /// </summary>
    public static IReadOnlyCollection<string>? ShadowedLiteralMethods(HttpContext context, LiteralRoutes routes)
    {
        if (context.GetEndpoint() is not RouteEndpoint { RoutePattern.Parameters.Count: > 0 }) return null;
        if (routes.MethodsOf(context.Request.Path.Value) is not { } methods) return null;
        return methods.Contains(context.Request.Method.ToUpperInvariant()) ? null : methods;
    }

    /// <summary>Every route pattern without parameters and its methods, read once from the server's endpoints.</summary>
    internal sealed class LiteralRoutes(IEndpointRouteBuilder endpoints)
    {
        private readonly Lazy<FrozenDictionary<string, FrozenSet<string>>> methods = new(() => Build(endpoints));

        /// <summary>The methods of the literal route <paramref name="path"/> (case-sensitive, as routes are), or null.</summary>
        public FrozenSet<string>? MethodsOf(string? path) =>
            path is not null && methods.Value.TryGetValue(path.Length > 1 ? path.TrimEnd('/') : path, out var found) ? found : null;

        private static FrozenDictionary<string, FrozenSet<string>> Build(IEndpointRouteBuilder endpoints) =>
            endpoints.DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>()
                .Where(e => e.RoutePattern.Parameters.Count == 0 && e.Metadata.GetMetadata<IHttpMethodMetadata>() is { HttpMethods.Count: > 0 })
                .GroupBy(e => "/" + (e.RoutePattern.RawText ?? string.Empty).Trim('/'), StringComparer.Ordinal)
                .ToFrozenDictionary(
                    g => g.Key,
                    g => g.SelectMany(e => e.Metadata.GetMetadata<IHttpMethodMetadata>()!.HttpMethods).Select(m => m.ToUpperInvariant()).ToFrozenSet(StringComparer.Ordinal),
                    StringComparer.Ordinal);
    }
}
