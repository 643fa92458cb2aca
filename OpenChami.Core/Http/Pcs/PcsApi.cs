using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OpenChami.Core.Errors;
using OpenChami.Core.Power;
using OpenChami.Core.Serialization;
using OpenChami.Core.Xnames;

namespace OpenChami.Core.Http.Pcs;

/// <summary>
/// PCS (<c>/power-control/v1</c>, spec/discovery-power.md §4): transitions and power status. The same routes
/// are served under <c>/power-control/v1</c>, <c>/v1</c> and the root (ochami's default PCS base path is <c>/</c>).
/// </summary>
public static class PcsApi
{
    public static IEndpointRouteBuilder MapPcsApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/power-control/v1").MapPcsRoutes();
        app.MapGroup("/v1").MapPcsRoutes().WithNameSuffix("UnderV1");
        app.MapGroup(string.Empty).MapPcsRoutes().WithNameSuffix("AtRoot");
        return app;
    }

    private static RouteGroupBuilder MapPcsRoutes(this RouteGroupBuilder pcs)
    {
        pcs.WithTags("pcs");
        pcs.MapPost("/transitions", PostTransition).WithName(nameof(PostTransition)).ProducesProblem(400);
        pcs.MapGet("/transitions", GetTransitions).WithName(nameof(GetTransitions));
        pcs.MapGet("/transitions/{id}", GetTransition).WithName(nameof(GetTransition)).ProducesProblem(400).ProducesProblem(404);
        pcs.MapDelete("/transitions/{id}", DeleteTransition).WithName(nameof(DeleteTransition)).ProducesProblem(400).ProducesProblem(404);
        pcs.MapGet("/power-status", GetPowerStatus).WithName(nameof(GetPowerStatus)).ProducesProblem(400);
        pcs.MapPost("/power-status", PostPowerStatus).WithName(nameof(PostPowerStatus)).ProducesProblem(400);
        pcs.MapGet("/liveness", () => TypedResults.NoContent()).WithName("GetPcsLiveness");
        pcs.MapGet("/readiness", GetPcsReadiness).WithName(nameof(GetPcsReadiness)).Produces(StatusCodes.Status503ServiceUnavailable);
        pcs.MapGet("/health", GetPcsHealth).WithName(nameof(GetPcsHealth));
        return pcs;
    }

    public static async Task<Ok<TransitionCreated>> PostTransition(HttpRequest request, ChamiServices services)
    {
        var body = await ReadBodyAsync<TransitionRequest>(request).ConfigureAwait(false);
        var transition = services.Power.Transitions.Create(body);
        request.HttpContext.Response.Headers.Location = $"../transitions/{transition.TransitionID}";
        return TypedResults.Ok(new TransitionCreated(transition.TransitionID, PowerOperations.CanonicalName(transition.Operation)));
    }

    public static Ok<TransitionList> GetTransitions(ChamiServices services) =>
        TypedResults.Ok(new TransitionList(services.Power.Transitions.List().Select(TransitionWire.Summary).ToList()));

    public static Ok<TransitionWire> GetTransition(string id, ChamiServices services) =>
        TypedResults.Ok(TransitionWire.Full(services.Power.Transitions.Get(id)));

    public static Accepted<AbortAccepted> DeleteTransition(string id, ChamiServices services)
    {
        services.Power.Transitions.Abort(id);
        return TypedResults.Accepted((string?)null, new AbortAccepted("Accepted - abort initiated"));
    }

    public static Task<Ok<PowerStatusList>> GetPowerStatus(HttpRequest request, ChamiServices services, CancellationToken cancellationToken)
    {
        var query = new PowerStatusQuery
        {
            Xname = request.Query["xname"].Where(x => x is not null).Select(x => x!).ToList(),
            PowerStateFilter = request.Query["powerStateFilter"].FirstOrDefault(),
            ManagementStateFilter = request.Query["managementStateFilter"].FirstOrDefault(),
        };
        return PowerStatusAsync(query, services, cancellationToken);
    }

    public static async Task<Ok<PowerStatusList>> PostPowerStatus(HttpRequest request, ChamiServices services, CancellationToken cancellationToken)
    {
        var query = await ReadBodyAsync<PowerStatusQuery>(request).ConfigureAwait(false)
            ?? throw ChamiException.Invalid("EmptyBody", "empty body not allowed");
        return await PowerStatusAsync(query, services, cancellationToken).ConfigureAwait(false);
    }

    public static Results<NoContent, StatusCodeHttpResult> GetPcsReadiness(ChamiServices services) =>
        StoreResponds(services) ? TypedResults.NoContent() : TypedResults.StatusCode(StatusCodes.Status503ServiceUnavailable);

    public static Ok<PcsHealth> GetPcsHealth(ChamiServices services)
    {
        var store = StoreResponds(services) ? "connected, responsive" : "connected, not responsive";
        return TypedResults.Ok(new PcsHealth(store, store, store, "disabled", store));
    }

    private static async Task<Ok<PowerStatusList>> PowerStatusAsync(PowerStatusQuery query, ChamiServices services, CancellationToken cancellationToken)
    {
        var xnames = query.Xname ?? [];
        var invalid = xnames.Where(x => !Xname.IsValid(x)).ToList();
        if (invalid.Count > 0) throw ChamiException.Invalid("InvalidXname", $"invalid xnames detected: {string.Join(" ", invalid)}");
        var powerFilter = query.PowerStateFilter?.Trim().ToLowerInvariant();
        if (!string.IsNullOrEmpty(powerFilter) && powerFilter is not ("on" or "off" or "undefined"))
        {
            throw ChamiException.Invalid("InvalidPowerStateFilter", $"invalid powerStateFilter type: {query.PowerStateFilter}");
        }

        var managementFilter = query.ManagementStateFilter?.Trim().ToLowerInvariant();
        if (!string.IsNullOrEmpty(managementFilter) && managementFilter is not ("available" or "unavailable"))
        {
            throw ChamiException.Invalid("InvalidManagementStateFilter", $"invalid ManagementStateFilter type: {query.ManagementStateFilter}");
        }

        var statuses = await services.Power.GetStatusAsync(xnames, null, 64, cancellationToken).ConfigureAwait(false);
        var filtered = statuses
            .Where(s => string.IsNullOrEmpty(powerFilter) || s.PowerState == powerFilter)
            .Where(s => string.IsNullOrEmpty(managementFilter) || s.ManagementState == managementFilter)
            .ToList();
        return TypedResults.Ok(new PowerStatusList(filtered));
    }

    private static bool StoreResponds(ChamiServices services)
    {
        try
        {
            services.Store.Read(s => s.Collection<PowerTransition>().Count());
            return true;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return false;
        }
    }

    // Null for an empty body (the spec's "empty body not allowed"); malformed JSON throws JsonException (400).
    private static async Task<T?> ReadBodyAsync<T>(HttpRequest request) where T : class
    {
        using var reader = new StreamReader(request.Body);
        var text = await reader.ReadToEndAsync(request.HttpContext.RequestAborted).ConfigureAwait(false);
        return string.IsNullOrWhiteSpace(text) ? null : JsonSerializer.Deserialize<T>(text, ChamiJson.Options);
    }
}
