using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenChami.Core.Audit;
using OpenChami.Core.Errors;
using OpenChami.Core.Security;

namespace OpenChami.Core.Http;

/// <summary>Middleware shared by every route: path normalization, authentication, errors (<see cref="ChamiErrorMapping"/>), the request log.</summary>
internal static class ChamiPipeline
{
    // Pre-parsed: the access log is written for every request of a boot storm.
    private static readonly Action<ILogger, System.Net.IPAddress?, string, string, int, double, Exception?> RequestServed =
        LoggerMessage.Define<System.Net.IPAddress?, string, string, int, double>(LogLevel.Information, new EventId(1, "RequestServed"), "{Remote} {Method} {Path} {Status} {Ms:F1}ms");

    public static void Configure(WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("OpenChami.Http");
        var options = app.Services.GetRequiredService<ChamiServerOptions>();
        var tokens = new TokenService(app.Services.GetRequiredService<ChamiServices>().Store);
        var literalRoutes = new WireConventions.LiteralRoutes(app);
        app.Use(async (context, next) =>
        {
            WireConventions.UseUpstreamJsonType(context);
            // OpenCHAMI clients call some routes with a trailing slash (cloud-init: .../EthernetInterfaces/).
            var path = context.Request.Path.Value;
            // new PathString, not the implicit conversion: that one would percent-decode the already decoded path again.
            if (path is { Length: > 1 } && path.EndsWith('/')) context.Request.Path = new PathString(path.TrimEnd('/') is { Length: > 0 } p ? p : "/");
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            string? subject = null;
            if (options.AuthEnabled)
            {
                var required = AuthPolicy.RequiredScope(context.Request.Method, context.Request.Path.Value ?? "/");
                if (required != ChamiScope.None)
                {
                    var (identity, status, reason) = await AuthenticateAsync(context, tokens, required).ConfigureAwait(false);
                    if (identity is null)
                    {
                        if (status == 401) context.Response.Headers.WWWAuthenticate = "Bearer realm=\"openchami\"";
                        logger.LogWarning("{Remote} {Method} {Path} refused: {Reason}", context.Connection.RemoteIpAddress, context.Request.Method, context.Request.Path.Value, reason);
                        await new ProblemResult(status, reason).ExecuteAsync(context).ConfigureAwait(false);
                        return;
                    }
                    subject = identity.Subject;
                }
            }
            // Changes made by this request are journaled as its caller and route.
            using var actor = ChamiActor.Use(subject ?? $"anonymous@{context.Connection.RemoteIpAddress}", $"{context.Request.Method} {context.Request.Path.Value}");
            try
            {
                if (WireConventions.ShadowedLiteralMethods(context, literalRoutes) is { } literalMethods)
                {
                    await WireConventions.WriteMethodNotAllowedAsync(context, literalMethods).ConfigureAwait(false);
                    return;
                }
                await next(context).ConfigureAwait(false);
                if (context.Response.StatusCode == StatusCodes.Status404NotFound && !context.Response.HasStarted && context.GetEndpoint() is null)
                {
                    // SMD's unknown-route answer, which OpenCHAMI clients expect verbatim.
                    context.Response.ContentType = "text/plain; charset=utf-8";
                    await context.Response.WriteAsync("404 page not found").ConfigureAwait(false);
                }
                else if (context.Response.StatusCode == StatusCodes.Status405MethodNotAllowed && !context.Response.HasStarted)
                {
                    // Routing's own 405 (path known, method not): the same answer as a shadowed literal path above, and a
                    // literal path allows its own methods only, not those of a {parameter} route it also matches.
                    var allow = (IEnumerable<string>?)literalRoutes.MethodsOf(context.Request.Path.Value)
                        ?? context.Response.Headers.Allow.ToString().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                    await WireConventions.WriteMethodNotAllowedAsync(context, allow).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (!context.Response.HasStarted)
            {
                var reply = ChamiErrorMapping.ToReply(ex, ChamiErrorMapping.DialectOf(context));
                if (reply is IStatusCodeHttpResult { StatusCode: >= 500 })
                {
                    logger.LogError(ex, "{Method} {Path} failed", context.Request.Method, OpenChami.Core.CloudInit.CloudInitSeedService.RedactPath(context.Request.Path.Value));
                }
                context.Response.Clear();
                await reply.ExecuteAsync(context).ConfigureAwait(false);
            }
            finally
            {
                var ms = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                // Path only, never the query string or headers: they may carry tokens.
                if (logger.IsEnabled(LogLevel.Information))
                {
                    RequestServed(logger, context.Connection.RemoteIpAddress, context.Request.Method, OpenChami.Core.CloudInit.CloudInitSeedService.RedactPath(context.Request.Path.Value), context.Response.StatusCode, ms, null);
                }
            }
        });
    }

    private static async Task<(TokenIdentity? Identity, int Status, string Reason)> AuthenticateAsync(HttpContext context, TokenService tokens, ChamiScope required)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || header.Length <= 7)
        {
            return (null, 401, "a bearer token is required");
        }
        TokenIdentity identity;
        try
        {
            identity = await tokens.ValidateAsync(header[7..].Trim()).ConfigureAwait(false);
        }
        catch (ChamiException ex)
        {
            return (null, 401, ex.Message);
        }
        return identity.Scope >= required
            ? (identity, 200, string.Empty)
            : (null, 403, $"token scope '{identity.Scope.ToString().ToLowerInvariant()}' does not allow this; it needs '{required.ToString().ToLowerInvariant()}'");
    }
}
