using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OpenChami.Core.Errors;
using OpenChami.Core.Inventory;
using OpenChami.Core.Model;
using OpenChami.Core.Xnames;

namespace OpenChami.Core.Http.Smd;

/// <summary><c>/hsm/v2/State/Components</c> (spec/smd.md §2.2, §6). Literal segments (BulkNID, Query, ByNID) beat <c>{xname}</c>.</summary>
public static class SmdComponentsApi
{
    public static RouteGroupBuilder MapSmdComponentsApi(this RouteGroupBuilder smd)
    {
        var components = smd.MapGroup("/State/Components");
        components.MapGet(string.Empty, GetComponents).WithName(nameof(GetComponents)).ProducesProblem(400);
        components.MapPost(string.Empty, PostComponents).WithName(nameof(PostComponents)).ProducesProblem(400);
        components.MapDelete(string.Empty, DeleteComponents).WithName(nameof(DeleteComponents)).ProducesProblem(404);
        components.MapGet("/{xname}", GetComponent).WithName(nameof(GetComponent)).ProducesProblem(404);
        components.MapPut("/{xname}", PutComponent).WithName(nameof(PutComponent)).ProducesProblem(400);
        components.MapDelete("/{xname}", DeleteComponent).WithName(nameof(DeleteComponent)).ProducesProblem(400).ProducesProblem(404);

        MapPatch(components, "StateData", body =>
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
        MapPatch(components, "FlagOnly", body => string.IsNullOrEmpty(body.Flag)
            ? throw Missing("Missing Flag")
            : new ComponentPatch { Flag = Parse<HmsFlag>(body.Flag, "Flag") });
        MapPatch(components, "Enabled", body => body.Enabled is { } enabled
            ? new ComponentPatch { Enabled = enabled }
            : throw Missing("Missing Enabled field"));
        MapPatch(components, "SoftwareStatus", body => body.SoftwareStatus is { } status
            ? new ComponentPatch { SoftwareStatus = status }
            : throw Missing("Missing SoftwareStatus"));
        MapPatch(components, "Role", body => string.IsNullOrEmpty(body.Role)
            ? throw Missing("Missing Role")
            : new ComponentPatch
            {
                Role = HmsValues.CanonicalRole(body.Role) ?? throw Missing("Argument was not a valid HMS Role"),
                // Role and SubRole are set together: no SubRole clears it.
                SubRole = string.IsNullOrEmpty(body.SubRole) ? string.Empty
                    : HmsValues.CanonicalSubRole(body.SubRole) ?? throw Missing("Argument was not a valid HMS SubRole"),
            });
        MapPatch(components, "NID", body => body.NID is { } nid
            ? new ComponentPatch { NID = nid < 0 ? null : nid, UnsetNid = nid < 0 }
            : throw Missing("Missing NID"), bulk: false);

        components.MapPatch("/BulkNID", PatchComponentsNID).WithName(nameof(PatchComponentsNID)).ProducesProblem(400);
        components.MapGet("/Query/{xname}", GetComponentsQuery).WithName(nameof(GetComponentsQuery)).ProducesProblem(400);
        components.MapPost("/Query", PostComponentsQuery).WithName(nameof(PostComponentsQuery)).ProducesProblem(400);
        components.MapGet("/ByNID/{nid}", GetComponentByNID).WithName(nameof(GetComponentByNID)).ProducesProblem(400).ProducesProblem(404);
        components.MapPost("/ByNID/Query", PostComponentsByNIDQuery).WithName(nameof(PostComponentsByNIDQuery)).ProducesProblem(400);
        return smd;
    }

    public static Ok<ComponentArray> GetComponents(HttpRequest request, ChamiServices services) =>
        Reply(services.Components.Query(ComponentQueryParser.Parse(request.Query)), ComponentQueryParser.Projection(request.Query));

    public static async Task<Results<NoContent, ProblemResult>> PostComponents(HttpRequest request, ChamiServices services)
    {
        var body = await SmdHttp.ReadJsonAsync<ComponentArrayInput>(request);
        if (body.Components is not { Count: > 0 } list || string.IsNullOrEmpty(list[0]?.ID)) return ProblemResult.BadRequest("Missing Components");
        var validation = SmdHttp.Validation("couldn't validate components: ");
        var components = ChamiErrorMapping.Reword(() => list.Select(c => (c ?? new ComponentInput()).ToComponent()).ToList(), validation);
        ChamiErrorMapping.Reword(() => services.Components.Upsert(components, body.Force), validation);
        return TypedResults.NoContent();
    }

    public static Results<Ok<SmdMessage>, ProblemResult> DeleteComponents(ChamiServices services) => SmdHttp.Deleted(services.Components.DeleteAll());

    // Invalid xnames are "not found" here, as upstream answers.
    public static Results<Ok<Component>, ProblemResult> GetComponent(string xname, ChamiServices services) =>
        services.Components.Find(xname) is { } component ? TypedResults.Ok(component) : ProblemResult.NotFound("no such xname.");

    public static async Task<Results<NoContent, ProblemResult>> PutComponent(string xname, HttpRequest request, ChamiServices services)
    {
        var body = await SmdHttp.ReadJsonAsync<ComponentPutInput>(request);
        if (!Xname.TryParse(xname, out var id, out _)) return ProblemResult.BadRequest("invalid xname");
        var input = body.Component ?? new ComponentInput();
        if (!string.IsNullOrEmpty(input.ID) && Xname.Normalize(input.ID) != id) return ProblemResult.BadRequest("ID in URL and POST body do not match");
        input.ID = id;
        var validation = SmdHttp.Validation("couldn't validate component: ");
        var component = ChamiErrorMapping.Reword(input.ToComponent, validation);
        ChamiErrorMapping.Reword(() => services.Components.Upsert([component], body.Force), validation);
        return TypedResults.NoContent();
    }

    public static Results<Ok<SmdMessage>, ProblemResult> DeleteComponent(string xname, ChamiServices services)
    {
        if (!Xname.IsValid(xname)) return ProblemResult.BadRequest("invalid xname");
        ChamiErrorMapping.Reword(() => services.Components.Delete(xname), ex => ex.Kind == ChamiErrorKind.NotFound ? "no such xname." : null);
        return SmdHttp.Message("deleted 1 entry");
    }

    public static async Task<Results<NoContent, ProblemResult>> PatchComponentsNID(HttpRequest request, ChamiServices services)
    {
        var body = await SmdHttp.ReadJsonAsync<ComponentArrayInput>(request);
        if (body.Components is not { Count: > 0 } list) return ProblemResult.BadRequest("Missing Components");
        ChamiErrorMapping.Reword(() => services.Components.SetNids(list.Select(c => (c?.ID ?? string.Empty, c?.NID))), InvalidXnameId);
        return TypedResults.NoContent();
    }

    public static Results<Ok<ComponentArray>, ProblemResult> GetComponentsQuery(string xname, HttpRequest request, ChamiServices services)
    {
        var query = ComponentQueryParser.Parse(request.Query);
        if (!Xname.TryParse(xname, out var id, out var type)) return ProblemResult.BadRequest("invalid xname");
        // s0 and all mean the whole system.
        if (type is not (HmsType.System or HmsType.All or HmsType.AllComp)) query.AncestorIds.Add(id);
        return Reply(services.Components.Query(query), ComponentQueryParser.Projection(request.Query));
    }

    public static async Task<Results<Ok<ComponentArray>, ProblemResult>> PostComponentsQuery(HttpRequest request, ChamiServices services)
    {
        var parameters = ComponentQueryParser.BodyParameters(await SmdHttp.ReadJsonElementAsync(request));
        var ids = ComponentQueryParser.Values(parameters, "ComponentIDs");
        if (ids.Count == 0) return ProblemResult.BadRequest("Missing IDs");
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
    }

    public static Results<Ok<Component>, ProblemResult> GetComponentByNID(string nid, ChamiServices services)
    {
        if (!long.TryParse(nid, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var number))
        {
            return ProblemResult.BadRequest("a required argument was not an integer");
        }
        return services.Components.FindByNid(number) is { } component ? TypedResults.Ok(component) : ProblemResult.NotFound("no such NID.");
    }

    public static async Task<Results<Ok<ComponentArray>, ProblemResult>> PostComponentsByNIDQuery(HttpRequest request, ChamiServices services)
    {
        var parameters = ComponentQueryParser.BodyParameters(await SmdHttp.ReadJsonElementAsync(request));
        var ranges = ComponentQueryParser.Values(parameters, "NIDRanges");
        if (ranges.Count == 0) return ProblemResult.BadRequest("Missing NID ranges");
        var query = ComponentQueryParser.Parse(parameters.Where(p => !p.Key.Equals("NIDRanges", StringComparison.OrdinalIgnoreCase)));
        query.NidRanges.AddRange(ranges.Select(ComponentQueryParser.NidRange));
        return Reply(services.Components.Query(query), ComponentQueryParser.Projection(parameters));
    }

    /// <summary>Maps <c>PATCH /State/Components/Bulk{name}</c> and <c>PATCH /State/Components/{xname}/{name}</c> over one service call.</summary>
    private static void MapPatch(RouteGroupBuilder components, string name, Func<ComponentPatchInput, ComponentPatch> build, bool bulk = true)
    {
        if (bulk)
        {
            components.MapPatch($"/Bulk{name}", async Task<Results<NoContent, ProblemResult>> (HttpRequest request, ChamiServices services) =>
            {
                var body = await SmdHttp.ReadJsonAsync<ComponentPatchInput>(request);
                if (body.ComponentIDs is not { Count: > 0 } ids) return ProblemResult.BadRequest("Missing IDs");
                var patch = build(body);
                ChamiErrorMapping.Reword(() => services.Components.PatchMany(ids, patch), InvalidXnameId);
                return TypedResults.NoContent();
            }).WithName($"PatchComponents{name}").ProducesProblem(400);
        }
        components.MapPatch($"/{{xname}}/{name}", async Task<Results<NoContent, ProblemResult>> (string xname, HttpRequest request, ChamiServices services) =>
        {
            var body = await SmdHttp.ReadJsonAsync<ComponentPatchInput>(request);
            if (!Xname.TryParse(xname, out var id, out _)) return ProblemResult.BadRequest("invalid xname ID");
            if (!string.IsNullOrEmpty(body.ID) && Xname.Normalize(body.ID) != id) return ProblemResult.BadRequest("ID in URL and PATCH body do not match");
            var patch = build(body);
            ChamiErrorMapping.Reword(() => services.Components.PatchMany([id], patch, strict: true), InvalidXnameId);
            return TypedResults.NoContent();
        }).WithName($"PatchComponent{name}").ProducesProblem(400).ProducesProblem(404);
    }

    // SMD's words for a refused PATCH, single or bulk (spec/smd.md §2.2).
    private static string? InvalidXnameId(ChamiException ex) => ex.ErrorId switch
    {
        "InvalidXname" => "invalid xname ID",
        "StateTransitionNotAllowed" => "operation not allowed and not forced.",
        _ => null,
    };

    private static T Parse<T>(string value, string what) where T : struct, Enum =>
        HmsValues.TryParse<T>(value, out var result) ? result : throw Missing($"Argument was not a valid HMS {what}");

    private static ChamiException Missing(string detail) => ChamiException.Invalid("InvalidPatch", detail);

    private static Ok<ComponentArray> Reply(IReadOnlyList<Component> components, string? projection) =>
        TypedResults.Ok(new ComponentArray(projection is null ? components : components.Select(c => Project(c, projection)).ToList()));

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
