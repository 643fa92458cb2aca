using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OpenChami.Core.Errors;
using OpenChami.Core.Model;
using OpenChami.Core.Serialization;
using OpenChami.Core.Xnames;

namespace OpenChami.Core.Http.Smd;

/// <summary><c>/hsm/v2/Defaults/NodeMaps</c> (spec/smd.md §2.3): default NID/Role per node xname.</summary>
public static class SmdNodeMapsApi
{
    private const string DuplicateNid = "operation would conflict with an existing xname ID that has the same NID.";

    public static RouteGroupBuilder MapSmdNodeMapsApi(this RouteGroupBuilder smd)
    {
        var nodeMaps = smd.MapGroup("/Defaults/NodeMaps");
        nodeMaps.MapGet(string.Empty, GetNodeMaps).WithName(nameof(GetNodeMaps));
        nodeMaps.MapPost(string.Empty, PostNodeMaps).WithName(nameof(PostNodeMaps)).ProducesProblem(400).ProducesProblem(409);
        nodeMaps.MapDelete(string.Empty, DeleteNodeMaps).WithName(nameof(DeleteNodeMaps)).ProducesProblem(404);
        nodeMaps.MapGet("/{xname}", GetNodeMap).WithName(nameof(GetNodeMap)).ProducesProblem(404);
        nodeMaps.MapPut("/{xname}", PutNodeMap).WithName(nameof(PutNodeMap)).ProducesProblem(400).ProducesProblem(409);
        nodeMaps.MapDelete("/{xname}", DeleteNodeMap).WithName(nameof(DeleteNodeMap)).ProducesProblem(404);
        return smd;
    }

    public static Ok<NodeMapArray> GetNodeMaps(ChamiServices services) => TypedResults.Ok(new NodeMapArray(services.NodeMaps.All()));

    public static async Task<Results<Ok<SmdMessage>, ProblemResult>> PostNodeMaps(HttpRequest request, ChamiServices services)
    {
        // One NodeMap, or {"NodeMaps":[..]}.
        var body = await SmdHttp.ReadJsonElementAsync(request);
        var maps = body.ValueKind == JsonValueKind.Object && body.EnumerateObject().Any(p => p.Name.Equals("NodeMaps", StringComparison.OrdinalIgnoreCase))
            ? body.Deserialize<NodeMapArrayInput>(ChamiJson.Options)?.NodeMaps ?? []
            : [body.Deserialize<NodeMap>(ChamiJson.Options) ?? throw new JsonException("the request body is null")];
        if (maps.Count == 0) return ProblemResult.BadRequest("couldn't validate map data: no NodeMaps");
        var count = ChamiErrorMapping.Reword(() => services.NodeMaps.Upsert(maps), ex => ex.ErrorId == "DuplicateNid"
            ? DuplicateNid
            : ex.Kind == ChamiErrorKind.InvalidArgument && !ex.Message.StartsWith("couldn't", StringComparison.Ordinal) ? $"couldn't validate map data at idx 0: {ex.Message}" : null);
        return SmdHttp.Message($"Created or modified {count} entries");
    }

    public static Results<Ok<SmdMessage>, ProblemResult> DeleteNodeMaps(ChamiServices services) => SmdHttp.Deleted(services.NodeMaps.DeleteAll());

    public static Results<Ok<NodeMap>, ProblemResult> GetNodeMap(string xname, ChamiServices services) =>
        services.NodeMaps.Find(xname) is { } map ? TypedResults.Ok(map) : ProblemResult.NotFound("no such xname.");

    public static async Task<Results<Ok<NodeMap>, ProblemResult>> PutNodeMap(string xname, HttpRequest request, ChamiServices services)
    {
        var map = await SmdHttp.ReadJsonAsync<NodeMap>(request);
        if (!string.IsNullOrEmpty(map.ID) && Xname.Normalize(map.ID) != Xname.Normalize(xname))
        {
            return ProblemResult.BadRequest("xname in URL and PUT body do not match");
        }
        map.ID = xname;
        ChamiErrorMapping.Reword(() => services.NodeMaps.Upsert([map]), ex => ex.ErrorId == "DuplicateNid"
            ? DuplicateNid
            : ex.Kind == ChamiErrorKind.InvalidArgument ? $"couldn't validate map data: {ex.Message}" : null);
        return TypedResults.Ok(services.NodeMaps.Find(xname)!);
    }

    public static Ok<SmdMessage> DeleteNodeMap(string xname, ChamiServices services)
    {
        services.NodeMaps.Delete(xname);
        return SmdHttp.Message("deleted 1 entry");
    }
}
