using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using OpenChami.Core.Errors;
using OpenChami.Core.Model;
using OpenChami.Core.Serialization;
using OpenChami.Core.Xnames;

namespace OpenChami.Core.Http.Smd;

/// <summary><c>/hsm/v2/Defaults/NodeMaps</c> (spec/smd.md §2.3): default NID/Role per node xname.</summary>
public static class SmdNodeMapsApi
{
    private const string NodeMaps = "/Defaults/NodeMaps";

    public static RouteGroupBuilder MapSmdNodeMapsApi(this RouteGroupBuilder smd)
    {
        smd.MapGet(NodeMaps, (ChamiServices services) => Results.Json(new NodeMapArray(services.NodeMaps.All())));

        smd.MapPost(NodeMaps, async (HttpRequest request, ChamiServices services) =>
        {
            // One NodeMap, or {"NodeMaps":[..]}.
            var body = await SmdHttp.ReadJsonElementAsync(request);
            var maps = body.ValueKind == JsonValueKind.Object && body.EnumerateObject().Any(p => p.Name.Equals("NodeMaps", StringComparison.OrdinalIgnoreCase))
                ? body.Deserialize<NodeMapArrayInput>(ChamiJson.Options)?.NodeMaps ?? []
                : [body.Deserialize<NodeMap>(ChamiJson.Options) ?? throw new JsonException("the request body is null")];
            if (maps.Count == 0) return Problem.Result(400, "couldn't validate map data: no NodeMaps");
            var count = SmdHttp.Call(() => services.NodeMaps.Upsert(maps), ex => ex.ErrorId == "DuplicateNid"
                ? "operation would conflict with an existing xname ID that has the same NID."
                : ex.Kind == ChamiErrorKind.InvalidArgument && !ex.Message.StartsWith("couldn't", StringComparison.Ordinal) ? $"couldn't validate map data at idx 0: {ex.Message}" : null);
            return SmdHttp.Message($"Created or modified {count} entries");
        });

        smd.MapDelete(NodeMaps, (ChamiServices services) => SmdHttp.Deleted(services.NodeMaps.DeleteAll()));

        smd.MapGet(NodeMaps + "/{xname}", (string xname, ChamiServices services) =>
            services.NodeMaps.Find(xname) is { } map ? Results.Json(map) : Problem.Result(404, "no such xname."));

        smd.MapPut(NodeMaps + "/{xname}", async (string xname, HttpRequest request, ChamiServices services) =>
        {
            var map = await SmdHttp.ReadJsonAsync<NodeMap>(request);
            if (!string.IsNullOrEmpty(map.ID) && Xname.Normalize(map.ID) != Xname.Normalize(xname))
            {
                return Problem.Result(400, "xname in URL and PUT body do not match");
            }
            map.ID = xname;
            SmdHttp.Call(() => services.NodeMaps.Upsert([map]), ex => ex.ErrorId == "DuplicateNid"
                ? "operation would conflict with an existing xname ID that has the same NID."
                : ex.Kind == ChamiErrorKind.InvalidArgument ? $"couldn't validate map data: {ex.Message}" : null);
            return Results.Json(services.NodeMaps.Find(xname));
        });

        smd.MapDelete(NodeMaps + "/{xname}", (string xname, ChamiServices services) =>
        {
            services.NodeMaps.Delete(xname);
            return SmdHttp.Message("deleted 1 entry");
        });
        return smd;
    }
}

/// <summary>The <c>{"NodeMaps":[..]}</c> wrapper.</summary>
public sealed record NodeMapArray(IReadOnlyList<NodeMap> NodeMaps);

/// <summary>Input form of <see cref="NodeMapArray"/>.</summary>
public sealed class NodeMapArrayInput
{
    public List<NodeMap>? NodeMaps { get; set; }
}
