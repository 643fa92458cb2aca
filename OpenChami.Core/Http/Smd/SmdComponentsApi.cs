using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using OpenChami.Core.Errors;
using OpenChami.Core.Inventory;
using OpenChami.Core.Model;
using OpenChami.Core.Xnames;

namespace OpenChami.Core.Http.Smd;

/// <summary><c>/hsm/v2/State/Components</c> (spec/smd.md §2.2, §6). Literal segments (BulkNID, Query, ByNID) beat <c>{xname}</c>.</summary>
public static class SmdComponentsApi
{
    private const string Components = "/State/Components";

    public static RouteGroupBuilder MapSmdComponentsApi(this RouteGroupBuilder smd)
    {
        smd.MapGet(Components, (HttpRequest request, ChamiServices services) =>
            Reply(services.Components.Query(ComponentQueryParser.Parse(request.Query)), ComponentQueryParser.Projection(request.Query)));

        smd.MapPost(Components, async (HttpRequest request, ChamiServices services) =>
        {
            var body = await SmdHttp.ReadJsonAsync<ComponentArrayInput>(request);
            if (body.Components is not { Count: > 0 } list || string.IsNullOrEmpty(list[0]?.ID)) return Problem.Result(400, "Missing Components");
            var validation = SmdHttp.Validation("couldn't validate components: ");
            var components = SmdHttp.Call(() => list.Select(c => (c ?? new ComponentInput()).ToComponent()).ToList(), validation);
            SmdHttp.Call(() => services.Components.Upsert(components, body.Force), validation);
            return TypedResults.NoContent();
        });

        smd.MapDelete(Components, (ChamiServices services) => SmdHttp.Deleted(services.Components.DeleteAll()));

        smd.MapGet(Components + "/{xname}", (string xname, ChamiServices services) =>
            // Invalid xnames are "not found" here, as upstream answers.
            services.Components.Find(xname) is { } component ? Results.Json(component) : Problem.Result(404, "no such xname."));

        smd.MapPut(Components + "/{xname}", async (string xname, HttpRequest request, ChamiServices services) =>
        {
            var body = await SmdHttp.ReadJsonAsync<ComponentPutInput>(request);
            if (!Xname.TryParse(xname, out var id, out _)) return Problem.Result(400, "invalid xname");
            var input = body.Component ?? new ComponentInput();
            if (!string.IsNullOrEmpty(input.ID) && Xname.Normalize(input.ID) != id) return Problem.Result(400, "ID in URL and POST body do not match");
            input.ID = id;
            var validation = SmdHttp.Validation("couldn't validate component: ");
            var component = SmdHttp.Call(input.ToComponent, validation);
            SmdHttp.Call(() => services.Components.Upsert([component], body.Force), validation);
            return TypedResults.NoContent();
        });

        smd.MapDelete(Components + "/{xname}", (string xname, ChamiServices services) =>
        {
            if (!Xname.IsValid(xname)) return Problem.Result(400, "invalid xname");
            SmdHttp.Call(() => services.Components.Delete(xname), ex => ex.Kind == ChamiErrorKind.NotFound ? "no such xname." : null);
            return SmdHttp.Message("deleted 1 entry");
        });

        MapPatch(smd, "StateData", body =>
        {
            if (string.IsNullOrEmpty(body.State)) throw Missing("Missing State");
            return new ComponentPatch
            {
                State = Parse<HmsState>(body.State, "State"),
                // SMD sets the flag with the state: OK unless given (a Locked flag is kept).
                Flag = string.IsNullOrEmpty(body.Flag) ? HmsFlag.OK : Parse<HmsFlag>(body.Flag, "Flag"),
                FlagIsDefault = string.IsNullOrEmpty(body.Flag),
                Force = body.Force ?? false,
            };
        });
        MapPatch(smd, "FlagOnly", body => string.IsNullOrEmpty(body.Flag)
            ? throw Missing("Missing Flag")
            : new ComponentPatch { Flag = Parse<HmsFlag>(body.Flag, "Flag") });
        MapPatch(smd, "Enabled", body => body.Enabled is { } enabled
            ? new ComponentPatch { Enabled = enabled }
            : throw Missing("Missing Enabled field"));
        MapPatch(smd, "SoftwareStatus", body => body.SoftwareStatus is { } status
            ? new ComponentPatch { SoftwareStatus = status }
            : throw Missing("Missing SoftwareStatus"));
        MapPatch(smd, "Role", body => string.IsNullOrEmpty(body.Role)
            ? throw Missing("Missing Role")
            : new ComponentPatch
            {
                Role = HmsValues.CanonicalRole(body.Role) ?? throw Missing("Argument was not a valid HMS Role"),
                // Role and SubRole are set together: no SubRole clears it.
                SubRole = string.IsNullOrEmpty(body.SubRole) ? string.Empty
                    : HmsValues.CanonicalSubRole(body.SubRole) ?? throw Missing("Argument was not a valid HMS SubRole"),
            });
        MapPatch(smd, "NID", body => body.NID is { } nid
            ? new ComponentPatch { NID = nid < 0 ? null : nid, UnsetNid = nid < 0 }
            : throw Missing("Missing NID"), bulk: false);

        smd.MapMethods(Components + "/BulkNID", ["PATCH"], async (HttpRequest request, ChamiServices services) =>
        {
            var body = await SmdHttp.ReadJsonAsync<ComponentArrayInput>(request);
            if (body.Components is not { Count: > 0 } list) return Problem.Result(400, "Missing Components");
            SmdHttp.Call(() => services.Components.SetNids(list.Select(c => (c?.ID ?? string.Empty, c?.NID))), InvalidXnameId);
            return TypedResults.NoContent();
        });

        smd.MapGet(Components + "/Query/{xname}", (string xname, HttpRequest request, ChamiServices services) =>
        {
            var query = ComponentQueryParser.Parse(request.Query);
            if (!Xname.TryParse(xname, out var id, out var type)) return Problem.Result(400, "invalid xname");
            // s0 and all mean the whole system.
            if (type is not (HmsType.System or HmsType.All or HmsType.AllComp)) query.AncestorIds.Add(id);
            return Reply(services.Components.Query(query), ComponentQueryParser.Projection(request.Query));
        });

        smd.MapPost(Components + "/Query", async (HttpRequest request, ChamiServices services) =>
        {
            var parameters = ComponentQueryParser.BodyParameters(await SmdHttp.ReadJsonElementAsync(request));
            var ids = ComponentQueryParser.Values(parameters, "ComponentIDs");
            if (ids.Count == 0) return Problem.Result(400, "Missing IDs");
            var query = ComponentQueryParser.Parse(parameters.Where(p => !p.Key.Equals("ComponentIDs", StringComparison.OrdinalIgnoreCase)));
            // With a type filter the IDs are parents whose descendants are searched.
            var targets = query.Type.IsEmpty ? query.Id : null;
            foreach (var raw in ids)
            {
                var id = ComponentQueryParser.ParseXname(raw);
                if (targets is null) query.AncestorIds.Add(id);
                else targets.AddValue(id);
            }
            return Reply(services.Components.Query(query), ComponentQueryParser.Projection(parameters));
        });

        smd.MapGet(Components + "/ByNID/{nid}", (string nid, ChamiServices services) =>
        {
            if (!long.TryParse(nid, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var number))
            {
                return Problem.Result(400, "a required argument was not an integer");
            }
            return services.Components.FindByNid(number) is { } component ? Results.Json(component) : Problem.Result(404, "no such NID.");
        });

        smd.MapPost(Components + "/ByNID/Query", async (HttpRequest request, ChamiServices services) =>
        {
            var parameters = ComponentQueryParser.BodyParameters(await SmdHttp.ReadJsonElementAsync(request));
            var ranges = ComponentQueryParser.Values(parameters, "NIDRanges");
            if (ranges.Count == 0) return Problem.Result(400, "Missing NID ranges");
            var query = ComponentQueryParser.Parse(parameters.Where(p => !p.Key.Equals("NIDRanges", StringComparison.OrdinalIgnoreCase)));
            query.NidRanges.AddRange(ranges.Select(ComponentQueryParser.NidRange));
            return Reply(services.Components.Query(query), ComponentQueryParser.Projection(parameters));
        });
        return smd;
    }

    /// <summary>Maps <c>PATCH /State/Components/Bulk{name}</c> and <c>PATCH /State/Components/{xname}/{name}</c> over one service call.</summary>
    private static void MapPatch(RouteGroupBuilder smd, string name, Func<ComponentPatchInput, ComponentPatch> build, bool bulk = true)
    {
        if (bulk)
        {
            smd.MapMethods($"{Components}/Bulk{name}", ["PATCH"], async (HttpRequest request, ChamiServices services) =>
            {
                var body = await SmdHttp.ReadJsonAsync<ComponentPatchInput>(request);
                if (body.ComponentIDs is not { Count: > 0 } ids) return Problem.Result(400, "Missing IDs");
                var patch = build(body);
                SmdHttp.Call(() => services.Components.PatchMany(ids, patch), InvalidXnameId);
                return TypedResults.NoContent();
            });
        }
        smd.MapMethods($"{Components}/{{xname}}/{name}", ["PATCH"], async (string xname, HttpRequest request, ChamiServices services) =>
        {
            var body = await SmdHttp.ReadJsonAsync<ComponentPatchInput>(request);
            if (!Xname.TryParse(xname, out var id, out _)) return Problem.Result(400, "invalid xname ID");
            if (!string.IsNullOrEmpty(body.ID) && Xname.Normalize(body.ID) != id) return Problem.Result(400, "ID in URL and PATCH body do not match");
            var patch = build(body);
            SmdHttp.Call(() => services.Components.PatchMany([id], patch, strict: true), InvalidXnameId);
            return TypedResults.NoContent();
        });
    }

    private static string? InvalidXnameId(ChamiException ex) => ex.ErrorId == "InvalidXname" ? "invalid xname ID" : null;

    private static T Parse<T>(string value, string what) where T : struct, Enum =>
        HmsValues.TryParse<T>(value, out var result) ? result : throw Missing($"Argument was not a valid HMS {what}");

    private static ChamiException Missing(string detail) => ChamiException.Invalid("InvalidPatch", detail);

    private static IResult Reply(IReadOnlyList<Component> components, string? projection) =>
        Results.Json(new ComponentArray(projection is null ? components : components.Select(c => Project(c, projection)).ToList()));

    /// <summary>The stateonly/flagonly/roleonly/nidonly projections of spec/smd.md §3.1.</summary>
    public static Component Project(Component c, string? projection) => projection switch
    {
        "stateonly" => new Component { ID = c.ID, Type = c.Type, State = c.State, Flag = c.Flag },
        "flagonly" => new Component { ID = c.ID, Type = c.Type, Flag = c.Flag },
        "roleonly" => new Component { ID = c.ID, Type = c.Type, Role = c.Role, SubRole = c.SubRole },
        "nidonly" => new Component { ID = c.ID, Type = c.Type, NID = c.NID },
        _ => c,
    };
}

/// <summary>The <c>{"Components":[..]}</c> wrapper; an empty list is <c>[]</c>, never null.</summary>
public sealed record ComponentArray(IReadOnlyList<Component> Components);
