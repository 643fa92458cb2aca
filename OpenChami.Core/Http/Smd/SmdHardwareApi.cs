using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OpenChami.Core.Inventory.Hardware;
using OpenChami.Core.Xnames;

namespace OpenChami.Core.Http.Smd;

/// <summary>One location's or FRU's history: <c>{"ID","History":[{"ID","FRUID","Timestamp","EventType"}]}</c>.</summary>
public sealed record HardwareHistoryGroup(string ID, IReadOnlyList<HardwareHistoryEntry> History);

/// <summary><c>{"Components":[HardwareHistoryGroup]}</c>.</summary>
public sealed record HardwareHistoryArray(IReadOnlyList<HardwareHistoryGroup> Components);

/// <summary>
/// <c>/hsm/v2/Inventory/Hardware*</c> and <c>/Inventory/HardwareByFRU*</c> (spec/smd.md §2.11): upstream SMD's hardware
/// inventory by location and by FRU, its subtree query and its history. Handlers parse, call
/// <see cref="HardwareInventoryService"/> and answer.
/// </summary>
public static class SmdHardwareApi
{
    public static RouteGroupBuilder MapSmdHardwareApi(this RouteGroupBuilder smd)
    {
        var byLoc = smd.MapGroup("/Inventory/Hardware");
        byLoc.MapGet(string.Empty, GetHardware).WithName(nameof(GetHardware)).ProducesProblem(400);
        byLoc.MapDelete(string.Empty, DeleteHardware).WithName(nameof(DeleteHardware)).ProducesProblem(404);
        byLoc.MapGet("/Query/{xname}", GetHardwareQuery).WithName(nameof(GetHardwareQuery)).ProducesProblem(400).ProducesProblem(404);
        byLoc.MapGet("/History", GetHardwareHistory).WithName(nameof(GetHardwareHistory)).ProducesProblem(400);
        byLoc.MapGet("/History/{xname}", GetHardwareHistoryOf).WithName(nameof(GetHardwareHistoryOf)).ProducesProblem(400);
        byLoc.MapDelete("/History/{xname}", DeleteHardwareHistoryOf).WithName(nameof(DeleteHardwareHistoryOf)).ProducesProblem(400).ProducesProblem(404);
        byLoc.MapGet("/{xname}", GetHardwareAt).WithName(nameof(GetHardwareAt)).ProducesProblem(400).ProducesProblem(404);
        byLoc.MapDelete("/{xname}", DeleteHardwareAt).WithName(nameof(DeleteHardwareAt)).ProducesProblem(400).ProducesProblem(404);

        var byFru = smd.MapGroup("/Inventory/HardwareByFRU");
        byFru.MapGet(string.Empty, GetHardwareByFru).WithName(nameof(GetHardwareByFru)).ProducesProblem(400);
        byFru.MapDelete(string.Empty, DeleteHardwareByFru).WithName(nameof(DeleteHardwareByFru)).ProducesProblem(404);
        byFru.MapGet("/History", GetFruHistory).WithName(nameof(GetFruHistory)).ProducesProblem(400);
        byFru.MapGet("/History/{fruid}", GetFruHistoryOf).WithName(nameof(GetFruHistoryOf)).ProducesProblem(400);
        byFru.MapDelete("/History/{fruid}", DeleteFruHistoryOf).WithName(nameof(DeleteFruHistoryOf)).ProducesProblem(404);
        byFru.MapGet("/{fruid}", GetHardwareByFruId).WithName(nameof(GetHardwareByFruId)).ProducesProblem(404);
        byFru.MapDelete("/{fruid}", DeleteHardwareByFruId).WithName(nameof(DeleteHardwareByFruId)).ProducesProblem(404);
        return smd;
    }

    public static Results<Ok<JsonArray>, ProblemResult> GetHardware(HttpRequest request, ChamiServices services)
    {
        if (ParseQuery(request, out var error) is not { } query) return ProblemResult.BadRequest(error);
        return TypedResults.Ok(HardwareWire.Locations(services.Hardware.Query(query)));
    }

    public static Results<Ok<SmdMessage>, ProblemResult> DeleteHardware(ChamiServices services) => SmdHttp.Deleted(services.Hardware.DeleteAll());

    public static Ok<JsonObject> GetHardwareAt(string xname, ChamiServices services) => TypedResults.Ok(HardwareWire.Location(services.Hardware.Get(xname)));

    public static Ok<SmdMessage> DeleteHardwareAt(string xname, ChamiServices services)
    {
        services.Hardware.Delete(xname);
        return SmdHttp.Message("deleted 1 entry");
    }

    /// <summary>Upstream's <c>children</c> (default true), <c>parents</c> (default false) and <c>format</c> (default NestNodesOnly).</summary>
    public static Results<Ok<JsonObject>, ProblemResult> GetHardwareQuery(string xname, HttpRequest request, ChamiServices services)
    {
        var children = Flag(request, "children", true);
        var parents = Flag(request, "parents", false);
        if (children is null || parents is null) return ProblemResult.BadRequest("bad query param: children and parents take true or false");
        var format = SmdHttp.QueryValues(request, "format").LastOrDefault() is { Length: > 0 } asked
            ? new[] { HardwareWire.QueryFormats.FullyFlat, HardwareWire.QueryFormats.NestNodesOnly }.FirstOrDefault(f => f.Equals(asked, StringComparison.OrdinalIgnoreCase))
            : HardwareWire.QueryFormats.NestNodesOnly;
        if (format is null) return ProblemResult.BadRequest("bad query param: format must be FullyFlat or NestNodesOnly (Hierarchical is not supported)");
        var items = services.Hardware.Subtree(xname, children.Value, parents.Value);
        var id = Xname.TryParse(xname, out var normalized, out _) ? normalized : xname.Trim().ToLowerInvariant();
        return TypedResults.Ok(HardwareWire.SystemInventory(id, format, items));
    }

    public static Results<Ok<HardwareHistoryArray>, ProblemResult> GetHardwareHistory(HttpRequest request, ChamiServices services)
    {
        if (ParseHistoryQuery(request, fru: false, out var error) is not { } query) return ProblemResult.BadRequest(error);
        return TypedResults.Ok(Group(services.Hardware.History(query), h => h.ID));
    }

    public static Results<Ok<HardwareHistoryGroup>, ProblemResult> GetHardwareHistoryOf(string xname, HttpRequest request, ChamiServices services)
    {
        if (!Xname.TryParse(xname, out var id, out _)) return ProblemResult.BadRequest("invalid xname");
        if (ParseHistoryQuery(request, fru: false, out var error) is not { } query) return ProblemResult.BadRequest(error);
        query.Ids.Clear();
        query.Ids.Add(id);
        return TypedResults.Ok(new HardwareHistoryGroup(id, services.Hardware.History(query)));
    }

    public static Results<Ok<SmdMessage>, ProblemResult> DeleteHardwareHistoryOf(string xname, ChamiServices services) =>
        SmdHttp.Deleted(services.Hardware.DeleteHistory(xname, byFru: false));

    public static Results<Ok<JsonArray>, ProblemResult> GetHardwareByFru(HttpRequest request, ChamiServices services)
    {
        if (ParseQuery(request, out var error) is not { } query) return ProblemResult.BadRequest(error);
        return TypedResults.Ok(HardwareWire.Frus(services.Hardware.QueryFrus(query)));
    }

    public static Results<Ok<SmdMessage>, ProblemResult> DeleteHardwareByFru(ChamiServices services) => SmdHttp.Deleted(services.Hardware.DeleteAllFrus());

    public static Ok<JsonObject> GetHardwareByFruId(string fruid, ChamiServices services) => TypedResults.Ok(HardwareWire.Fru(services.Hardware.GetFru(fruid)));

    public static Ok<SmdMessage> DeleteHardwareByFruId(string fruid, ChamiServices services)
    {
        services.Hardware.DeleteFru(fruid);
        return SmdHttp.Message("deleted 1 entry");
    }

    public static Results<Ok<HardwareHistoryArray>, ProblemResult> GetFruHistory(HttpRequest request, ChamiServices services)
    {
        if (ParseHistoryQuery(request, fru: true, out var error) is not { } query) return ProblemResult.BadRequest(error);
        return TypedResults.Ok(Group(services.Hardware.History(query), h => h.FRUID));
    }

    public static Results<Ok<HardwareHistoryGroup>, ProblemResult> GetFruHistoryOf(string fruid, HttpRequest request, ChamiServices services)
    {
        if (ParseHistoryQuery(request, fru: true, out var error) is not { } query) return ProblemResult.BadRequest(error);
        query.FruIds.Clear();
        query.FruIds.Add(fruid);
        return TypedResults.Ok(new HardwareHistoryGroup(fruid, services.Hardware.History(query)));
    }

    public static Results<Ok<SmdMessage>, ProblemResult> DeleteFruHistoryOf(string fruid, ChamiServices services) =>
        SmdHttp.Deleted(services.Hardware.DeleteHistory(fruid, byFru: true));

    private static HardwareHistoryArray Group(IReadOnlyList<HardwareHistoryEntry> events, Func<HardwareHistoryEntry, string> key) =>
        new(events.GroupBy(key).Select(g => new HardwareHistoryGroup(g.Key, g.ToList())).ToList());

    /// <summary>The by-location and by-FRU filters; null when a value is invalid (the handler answers 400).</summary>
    private static HardwareQuery? ParseQuery(HttpRequest request, out string error)
    {
        error = string.Empty;
        var query = new HardwareQuery();
        foreach (var (name, value) in SmdHttp.QueryPairs(request.Query))
        {
            switch (name)
            {
                case "id":
                    if (!Xname.TryParse(value, out var id, out _)) {
                        error = BadParam("Argument was not a valid xname ID");
                        return null;
                    }
                    query.Ids.Add(id);
                    break;
                case "type":
                    if (!Xname.TryParseTypeName(value, out var type)) {
                        error = BadParam("Argument was not a valid HMS Type");
                        return null;
                    }
                    query.Types.Add(type);
                    break;
                case "fruid": query.FruIds.Add(value); break;
                case "manufacturer": query.Manufacturers.Add(value); break;
                case "partnumber": query.PartNumbers.Add(value); break;
                case "serialnumber": query.SerialNumbers.Add(value); break;
            }
        }
        return query;
    }

    private static HardwareHistoryQuery? ParseHistoryQuery(HttpRequest request, bool fru, out string error)
    {
        error = string.Empty;
        var query = new HardwareHistoryQuery();
        foreach (var (name, value) in SmdHttp.QueryPairs(request.Query))
        {
            switch (name)
            {
                case "id" when fru: query.FruIds.Add(value); break;
                case "id":
                    if (!Xname.TryParse(value, out var id, out _)) {
                        error = BadParam("Argument was not a valid xname ID");
                        return null;
                    }
                    query.Ids.Add(id);
                    break;
                case "fruid": query.FruIds.Add(value); break;
                case "eventtype":
                    if (HardwareEventType.Canonical(value) is not { } eventType) {
                        error = BadParam($"Argument was not a valid event type (one of {string.Join(", ", HardwareEventType.All)})");
                        return null;
                    }
                    query.EventTypes.Add(eventType);
                    break;
                case "type":
                    if (!Xname.TryParseTypeName(value, out var type)) {
                        error = BadParam("Argument was not a valid HMS Type");
                        return null;
                    }
                    query.Types.Add(type);
                    break;
                case "manufacturer": query.Manufacturers.Add(value); break;
                case "partnumber": query.PartNumbers.Add(value); break;
                case "serialnumber": query.SerialNumbers.Add(value); break;
                case "starttime" or "endtime":
                    if (!DateTime.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var time)) {
                        error = BadParam("Argument was not a valid RFC 3339 time");
                        return null;
                    }
                    if (name == "starttime") query.StartTime = time;
                    else query.EndTime = time;
                    break;
            }
        }
        return query;
    }

    private static string BadParam(string reason) => $"bad query param: {reason}";

    private static bool? Flag(HttpRequest request, string name, bool fallback) =>
        SmdHttp.QueryValues(request, name).LastOrDefault() is not { Length: > 0 } text ? fallback
        : bool.TryParse(text, out var value) ? value
        : null;
}
