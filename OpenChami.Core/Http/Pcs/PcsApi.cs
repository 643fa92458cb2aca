using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using OpenChami.Core.Errors;
using OpenChami.Core.Power;
using OpenChami.Core.Serialization;
using OpenChami.Core.Xnames;

namespace OpenChami.Core.Http.Pcs;

/// <summary>
/// PCS (<c>/power-control/v1</c>, spec discovery-power.md §4): transitions and power status. The same routes
/// are served under <c>/power-control/v1</c>, <c>/v1</c> and the root (ochami's default PCS base path is <c>/</c>).
/// </summary>
public static class PcsApi
{
    public static readonly string[] BasePaths = ["/power-control/v1", "/v1", ""];

    public static void MapPcsApi(this IEndpointRouteBuilder app)
    {
        foreach (var basePath in BasePaths) app.MapGroup(basePath).MapPcsRoutes();
    }

    private static RouteGroupBuilder MapPcsRoutes(this RouteGroupBuilder pcs)
    {
        pcs.MapPost("/transitions", async (HttpRequest request, ChamiServices services) =>
        {
            var body = await ReadBodyAsync<TransitionRequest>(request).ConfigureAwait(false);
            var transition = services.Power.Transitions.Create(body);
            request.HttpContext.Response.Headers.Location = $"../transitions/{transition.TransitionID}";
            return Results.Json(new TransitionCreated(transition.TransitionID, PowerOperations.CanonicalName(transition.Operation)), ChamiJson.Options);
        });
        pcs.MapGet("/transitions", (ChamiServices services) =>
            Results.Json(new TransitionList(services.Power.Transitions.List().Select(TransitionWire.Summary).ToList()), ChamiJson.Options));
        pcs.MapGet("/transitions/{id}", (string id, ChamiServices services) =>
            Results.Json(TransitionWire.Full(services.Power.Transitions.Get(id)), ChamiJson.Options));
        pcs.MapDelete("/transitions/{id}", (string id, ChamiServices services) =>
        {
            services.Power.Transitions.Abort(id);
            return Results.Json(new AbortAccepted("Accepted - abort initiated"), ChamiJson.Options, statusCode: StatusCodes.Status202Accepted);
        });

        pcs.MapGet("/power-status", async (HttpRequest request, ChamiServices services, CancellationToken cancellationToken) =>
        {
            var query = new PowerStatusQuery
            {
                Xname = request.Query["xname"].Where(x => x is not null).Select(x => x!).ToList(),
                PowerStateFilter = request.Query["powerStateFilter"].FirstOrDefault(),
                ManagementStateFilter = request.Query["managementStateFilter"].FirstOrDefault(),
            };
            return await PowerStatusAsync(query, services, cancellationToken).ConfigureAwait(false);
        });
        pcs.MapPost("/power-status", async (HttpRequest request, ChamiServices services, CancellationToken cancellationToken) =>
        {
            var query = await ReadBodyAsync<PowerStatusQuery>(request).ConfigureAwait(false)
                ?? throw ChamiException.Invalid("EmptyBody", "empty body not allowed");
            return await PowerStatusAsync(query, services, cancellationToken).ConfigureAwait(false);
        });

        pcs.MapGet("/liveness", () => Results.NoContent());
        pcs.MapGet("/readiness", (ChamiServices services) =>
            StoreResponds(services) ? Results.NoContent() : Results.StatusCode(StatusCodes.Status503ServiceUnavailable));
        pcs.MapGet("/health", (ChamiServices services) =>
        {
            var store = StoreResponds(services) ? "connected, responsive" : "connected, not responsive";
            return Results.Json(new PcsHealth(store, store, store, "disabled", store), ChamiJson.Options);
        });
        return pcs;
    }

    private static async Task<IResult> PowerStatusAsync(PowerStatusQuery query, ChamiServices services, CancellationToken cancellationToken)
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
        return Results.Json(new PowerStatusList(filtered), ChamiJson.Options);
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

/// <summary>Body of <c>GET/POST /power-status</c>.</summary>
public sealed class PowerStatusQuery
{
    [JsonPropertyName("xname")] public List<string>? Xname { get; set; }
    [JsonPropertyName("powerStateFilter")] public string? PowerStateFilter { get; set; }
    [JsonPropertyName("managementStateFilter")] public string? ManagementStateFilter { get; set; }
}

public sealed record PowerStatusList([property: JsonPropertyName("status")] IReadOnlyList<PowerStatus> Status);

public sealed record TransitionCreated(
    [property: JsonPropertyName("transitionID")] string TransitionID,
    [property: JsonPropertyName("operation")] string Operation);

public sealed record AbortAccepted([property: JsonPropertyName("abortStatus")] string AbortStatus);

public sealed record TransitionList([property: JsonPropertyName("transitions")] IReadOnlyList<TransitionWire> Transitions);

public sealed record PcsHealth(string KvStore, string DistLocking, string StateManager, string Vault, string TaskRunner);

/// <summary>TransitionSummary / Transition wire shape (spec §4.3); <see cref="Tasks"/> is omitted in the summary.</summary>
public sealed class TransitionWire
{
    [JsonPropertyName("transitionID")] public string TransitionID { get; init; } = string.Empty;
    [JsonPropertyName("operation")] public string Operation { get; init; } = string.Empty;
    [JsonPropertyName("createTime")] public string CreateTime { get; init; } = string.Empty;
    [JsonPropertyName("automaticExpirationTime")] public string AutomaticExpirationTime { get; init; } = string.Empty;
    [JsonPropertyName("transitionStatus")] public TransitionStatus TransitionStatus { get; init; }
    [JsonPropertyName("taskCounts")] public TransitionTaskCounts TaskCounts { get; init; } = new();
    [JsonPropertyName("tasks")] public IReadOnlyList<TaskWire>? Tasks { get; init; }

    public static TransitionWire Summary(PowerTransition t) => new()
    {
        TransitionID = t.TransitionID,
        Operation = PowerOperations.CanonicalName(t.Operation),
        CreateTime = Rfc3339(t.CreateTime),
        AutomaticExpirationTime = Rfc3339(t.AutomaticExpirationTime),
        TransitionStatus = t.TransitionStatus,
        TaskCounts = t.CountTasks(),
    };

    public static TransitionWire Full(PowerTransition t)
    {
        var summary = Summary(t);
        return new TransitionWire
        {
            TransitionID = summary.TransitionID,
            Operation = summary.Operation,
            CreateTime = summary.CreateTime,
            AutomaticExpirationTime = summary.AutomaticExpirationTime,
            TransitionStatus = summary.TransitionStatus,
            TaskCounts = summary.TaskCounts,
            Tasks = t.Tasks.Select(x => new TaskWire(x.Xname, x.TaskStatus, x.TaskStatusDescription, string.IsNullOrEmpty(x.Error) ? null : x.Error)).ToList(),
        };
    }

    private static string Rfc3339(DateTime time) => DateTime.SpecifyKind(time.ToUniversalTime(), DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", System.Globalization.CultureInfo.InvariantCulture);
}

public sealed record TaskWire(
    [property: JsonPropertyName("xname")] string Xname,
    [property: JsonPropertyName("taskStatus")] TransitionTaskStatus TaskStatus,
    [property: JsonPropertyName("taskStatusDescription")] string TaskStatusDescription,
    [property: JsonPropertyName("error")] string? Error);
