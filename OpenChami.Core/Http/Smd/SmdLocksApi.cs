using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OpenChami.Core.Errors;
using OpenChami.Core.Locks;

namespace OpenChami.Core.Http.Smd;

/// <summary><c>/hsm/v2/locks</c> (spec/smd.md §2.10.1–§2.10.2): component locks and reservations over <see cref="LockService"/>.</summary>
public static class SmdLocksApi
{
    public static RouteGroupBuilder MapSmdLocksApi(this RouteGroupBuilder smd)
    {
        var locks = smd.MapGroup("/locks");
        locks.MapPost("/lock", PostLocksLock).WithName(nameof(PostLocksLock)).ProducesProblem(400);
        locks.MapPost("/unlock", PostLocksUnlock).WithName(nameof(PostLocksUnlock)).ProducesProblem(400);
        locks.MapPost("/repair", PostLocksRepair).WithName(nameof(PostLocksRepair)).ProducesProblem(400);
        locks.MapPost("/disable", PostLocksDisable).WithName(nameof(PostLocksDisable)).ProducesProblem(400);
        locks.MapPost("/reservations", PostLocksReservations).WithName(nameof(PostLocksReservations)).ProducesProblem(400);
        locks.MapPost("/reservations/remove", PostLocksReservationsRemove).WithName(nameof(PostLocksReservationsRemove)).ProducesProblem(400);
        locks.MapPost("/reservations/release", PostLocksReservationsRelease).WithName(nameof(PostLocksReservationsRelease)).ProducesProblem(400);
        locks.MapPost("/service/reservations", PostLocksServiceReservations).WithName(nameof(PostLocksServiceReservations)).ProducesProblem(400);
        locks.MapPost("/service/reservations/release", PostLocksServiceReservationsRelease).WithName(nameof(PostLocksServiceReservationsRelease)).ProducesProblem(400);
        locks.MapPost("/service/reservations/renew", PostLocksServiceReservationsRenew).WithName(nameof(PostLocksServiceReservationsRenew)).ProducesProblem(400);
        locks.MapPost("/service/reservations/check", PostLocksServiceReservationsCheck).WithName(nameof(PostLocksServiceReservationsCheck)).ProducesProblem(400);
        locks.MapGet("/status", GetLocksStatus).WithName(nameof(GetLocksStatus)).ProducesProblem(400);
        locks.MapPost("/status", PostLocksStatus).WithName(nameof(PostLocksStatus)).ProducesProblem(400);
        return smd;
    }

    public static async Task<Ok<LockUpdateResult>> PostLocksLock(HttpRequest request, ChamiServices services)
    {
        var (selection, model, _) = await ReadFilterAsync(request);
        return TypedResults.Ok(services.Locks.Lock(selection, model));
    }

    public static async Task<Ok<LockUpdateResult>> PostLocksUnlock(HttpRequest request, ChamiServices services)
    {
        var (selection, model, _) = await ReadFilterAsync(request);
        return TypedResults.Ok(services.Locks.Unlock(selection, model));
    }

    public static async Task<Ok<LockUpdateResult>> PostLocksRepair(HttpRequest request, ChamiServices services)
    {
        var (selection, model, _) = await ReadFilterAsync(request);
        return TypedResults.Ok(services.Locks.Repair(selection, model));
    }

    public static async Task<Ok<LockUpdateResult>> PostLocksDisable(HttpRequest request, ChamiServices services)
    {
        var (selection, model, _) = await ReadFilterAsync(request);
        return TypedResults.Ok(services.Locks.Disable(selection, model));
    }

    /// <summary>An administrator's reservations: they do not expire.</summary>
    public static async Task<Ok<ReservationResult>> PostLocksReservations(HttpRequest request, ChamiServices services)
    {
        var (selection, model, _) = await ReadFilterAsync(request);
        return TypedResults.Ok(services.Locks.Reserve(selection, model));
    }

    public static async Task<Ok<LockUpdateResult>> PostLocksReservationsRemove(HttpRequest request, ChamiServices services)
    {
        var (selection, model, _) = await ReadFilterAsync(request);
        return TypedResults.Ok(services.Locks.RemoveReservations(selection, model));
    }

    public static async Task<Ok<LockUpdateResult>> PostLocksReservationsRelease(HttpRequest request, ChamiServices services)
    {
        var body = await SmdHttp.ReadJsonAsync<KeysBody>(request);
        return TypedResults.Ok(services.Locks.Release(body.ReservationKeys ?? [], Model(body.ProcessingModel)));
    }

    /// <summary>A service's reservations (PCS): <c>ReservationDuration</c> 1–15 minutes.</summary>
    public static async Task<Ok<ReservationResult>> PostLocksServiceReservations(HttpRequest request, ChamiServices services)
    {
        var (selection, model, duration) = await ReadFilterAsync(request);
        return TypedResults.Ok(services.Locks.Reserve(selection, model, duration ?? LockService.MinDuration));
    }

    public static async Task<Ok<LockUpdateResult>> PostLocksServiceReservationsRelease(HttpRequest request, ChamiServices services)
    {
        var body = await SmdHttp.ReadJsonAsync<KeysBody>(request);
        return TypedResults.Ok(services.Locks.Release(body.ReservationKeys ?? [], Model(body.ProcessingModel)));
    }

    public static async Task<Ok<LockUpdateResult>> PostLocksServiceReservationsRenew(HttpRequest request, ChamiServices services)
    {
        var body = await SmdHttp.ReadJsonAsync<KeysBody>(request);
        return TypedResults.Ok(services.Locks.Renew(body.ReservationKeys ?? [], body.ReservationDuration ?? LockService.MinDuration, Model(body.ProcessingModel)));
    }

    public static async Task<Ok<DeputyKeyCheckResult>> PostLocksServiceReservationsCheck(HttpRequest request, ChamiServices services)
    {
        var body = await SmdHttp.ReadJsonAsync<KeysBody>(request);
        return TypedResults.Ok(services.Locks.Check(body.DeputyKeys ?? []));
    }

    /// <summary>Query parameters <c>Type, State, Role, Subrole, Locked, Reserved, ReservationDisabled</c> (spec/smd.md §5.3).</summary>
    public static Ok<LockStatusResult> GetLocksStatus(HttpRequest request, ChamiServices services)
    {
        var pairs = request.Query.Select(kv => new KeyValuePair<string, IEnumerable<string>>(kv.Key, kv.Value.Select(v => v ?? string.Empty)));
        return TypedResults.Ok(services.Locks.Status(Selection(pairs.ToList()).Selection));
    }

    public static async Task<Ok<LockStatusResult>> PostLocksStatus(HttpRequest request, ChamiServices services)
    {
        var (selection, _, _) = await ReadFilterAsync(request);
        return TypedResults.Ok(services.Locks.Status(selection));
    }

    private static async Task<(LockSelection Selection, LockProcessingModel Model, int? Duration)> ReadFilterAsync(HttpRequest request)
    {
        var body = await SmdHttp.ReadJsonElementAsync(request);
        return Selection(ComponentQueryParser.BodyParameters(body));
    }

    /// <summary>Upstream's CompLockV2Filter keys (case-insensitive) as a selection; the rest are the §5.2 component filters.</summary>
    internal static (LockSelection Selection, LockProcessingModel Model, int? Duration) Selection(List<KeyValuePair<string, IEnumerable<string>>> pairs)
    {
        var ids = new List<string>();
        bool? reserved = null;
        string? model = null;
        int? duration = null;
        var filters = new List<KeyValuePair<string, IEnumerable<string>>>();
        foreach (var (name, values) in pairs)
        {
            switch (name.ToLowerInvariant())
            {
                case "componentids": ids.AddRange(values); break;
                case "reserved": foreach (var v in values) reserved = ComponentQueryParser.Bool(v); break;
                case "processingmodel": model = values.LastOrDefault(); break;
                case "reservationduration":
                    foreach (var v in values)
                    {
                        duration = int.TryParse(v, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var d)
                            ? d : throw new JsonException($"ReservationDuration must be a number of minutes, not '{v}'");
                    }
                    break;
                case "reservationdisabled": filters.Add(new("reservation_disabled", values)); break;
                case "id": break; // only ComponentIDs name components here
                default: filters.Add(new(name, values)); break;
            }
        }

        var selection = new LockSelection { Query = ComponentQueryParser.Parse(filters), Reserved = reserved };
        selection.ComponentIDs.AddRange(ids);
        return (selection, Model(model), duration);
    }

    private static LockProcessingModel Model(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        null or "" or "rigid" => LockProcessingModel.Rigid,
        "flexible" => LockProcessingModel.Flexible,
        _ => throw ChamiException.Invalid("InvalidProcessingModel", $"invalid ProcessingModel '{text}': rigid or flexible"),
    };

    /// <summary>Bodies of release, renew and check.</summary>
    public sealed class KeysBody
    {
        public List<ReservationKeyRef>? ReservationKeys { get; set; }

        public List<ReservationKeyRef>? DeputyKeys { get; set; }

        public string? ProcessingModel { get; set; }

        public int? ReservationDuration { get; set; }
    }
}
