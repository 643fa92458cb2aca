using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OpenChami.Core.Errors;
using OpenChami.Core.Inventory;
using OpenChami.Core.Model;
using OpenChami.Core.Serialization;
using OpenChami.Core.Xnames;

namespace OpenChami.Core.Http.Smd;

/// <summary>
/// <c>/hsm/v2/Inventory/RedfishEndpoints</c> (spec/smd.md §2.4). Handlers parse, call one <see cref="RedfishEndpointService"/>
/// method and answer.
/// </summary>
public static class SmdRedfishEndpointsApi
{
    private const string RedfishEndpoints = "/Inventory/RedfishEndpoints";

    public static RouteGroupBuilder MapSmdRedfishEndpointsApi(this RouteGroupBuilder smd)
    {
        var endpoints = smd.MapGroup(RedfishEndpoints);
        endpoints.MapGet(string.Empty, GetRedfishEndpoints).WithName(nameof(GetRedfishEndpoints)).ProducesProblem(400);
        endpoints.MapPost(string.Empty, PostRedfishEndpoints).WithName(nameof(PostRedfishEndpoints)).ProducesProblem(400).ProducesProblem(409);
        endpoints.MapDelete(string.Empty, DeleteRedfishEndpoints).WithName(nameof(DeleteRedfishEndpoints)).ProducesProblem(404);
        endpoints.MapGet("/Query/{xname}", GetRedfishEndpointsQuery).WithName(nameof(GetRedfishEndpointsQuery)).ProducesProblem(400);
        endpoints.MapGet("/{xname}", GetRedfishEndpoint).WithName(nameof(GetRedfishEndpoint)).ProducesProblem(404);
        endpoints.MapPut("/{xname}", PutRedfishEndpoint).WithName(nameof(PutRedfishEndpoint)).ProducesProblem(400);
        endpoints.MapPatch("/{xname}", PatchRedfishEndpoint).WithName(nameof(PatchRedfishEndpoint)).ProducesProblem(400).ProducesProblem(404);
        endpoints.MapDelete("/{xname}", DeleteRedfishEndpoint).WithName(nameof(DeleteRedfishEndpoint)).ProducesProblem(404);
        return smd;
    }

    public static Ok<RedfishEndpointArray> GetRedfishEndpoints(HttpRequest request, ChamiServices services) =>
        TypedResults.Ok(new RedfishEndpointArray(services.RedfishEndpoints.Query(ParseQuery(request.Query))));

    public static async Task<Created<IReadOnlyList<ResourceUri>>> PostRedfishEndpoints(HttpRequest request, ChamiServices services)
    {
        var inputs = await ReadEndpointsAsync(request).ConfigureAwait(false);
        var changes = services.RedfishEndpoints.Create(inputs);
        return SmdHttp.CreatedArray(changes.OfType(InventoryObjectTypes.RedfishEndpoint).Select(c => $"{RedfishEndpoints}/{c.ID}").ToArray());
    }

    public static Results<Ok<SmdMessage>, ProblemResult> DeleteRedfishEndpoints(ChamiServices services) => SmdHttp.Deleted(services.RedfishEndpoints.DeleteAll());

    public static Results<Ok<RedfishEndpointArray>, ProblemResult> GetRedfishEndpointsQuery(string xname, ChamiServices services) =>
        xname.Trim().ToLowerInvariant() is "s0" or "all"
            ? TypedResults.Ok(new RedfishEndpointArray(services.RedfishEndpoints.Query()))
            : ProblemResult.BadRequest("not yet implemented");

    public static Results<Ok<RedfishEndpoint>, ProblemResult> GetRedfishEndpoint(string xname, ChamiServices services) =>
        services.RedfishEndpoints.Find(xname) is { } endpoint ? TypedResults.Ok(endpoint) : ProblemResult.NotFound("no such xname.");

    public static async Task<Ok<RedfishEndpoint>> PutRedfishEndpoint(string xname, HttpRequest request, ChamiServices services)
    {
        var input = await ReadObjectAsync<RedfishEndpointInput>(request).ConfigureAwait(false);
        return TypedResults.Ok(services.RedfishEndpoints.Put(xname, input));
    }

    public static async Task<Results<Ok<RedfishEndpoint>, ProblemResult>> PatchRedfishEndpoint(string xname, HttpRequest request, ChamiServices services)
    {
        if (!Xname.IsValid(xname)) return ProblemResult.BadRequest("xname in URL is not valid");
        var input = await ReadObjectAsync<RedfishEndpointInput>(request).ConfigureAwait(false);
        return TypedResults.Ok(services.RedfishEndpoints.Patch(xname, input));
    }

    public static Ok<SmdMessage> DeleteRedfishEndpoint(string xname, ChamiServices services)
    {
        services.RedfishEndpoints.Delete(xname);
        return SmdHttp.Message("deleted 1 entry");
    }

    /// <summary>One RFE object, or the <c>{"RedfishEndpoints":[..]}</c> wrapper (each element may carry SchemaVersion 1 data).</summary>
    internal static async Task<IReadOnlyList<RedfishEndpointInput>> ReadEndpointsAsync(HttpRequest request)
    {
        using var document = await JsonDocument.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted).ConfigureAwait(false);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object) throw NotAnObject();
        foreach (var property in root.EnumerateObject())
        {
            if (property.Name.Equals("RedfishEndpoints", StringComparison.OrdinalIgnoreCase) && property.Value.ValueKind == JsonValueKind.Array)
            {
                var list = new List<RedfishEndpointInput>();
                var i = 0;
                foreach (var element in property.Value.EnumerateArray())
                {
                    if (element.ValueKind != JsonValueKind.Object)
                    {
                        throw ChamiException.Invalid("InvalidRedfishEndpoint", $"couldn't validate endpoint data at idx {i}: not a JSON object");
                    }
                    list.Add(element.Deserialize<RedfishEndpointInput>(ChamiJson.Options)!);
                    i++;
                }
                return list;
            }
        }
        return [root.Deserialize<RedfishEndpointInput>(ChamiJson.Options)!];
    }

    private static async Task<T> ReadObjectAsync<T>(HttpRequest request) where T : class
    {
        using var document = await JsonDocument.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted).ConfigureAwait(false);
        if (document.RootElement.ValueKind != JsonValueKind.Object) throw NotAnObject();
        return document.RootElement.Deserialize<T>(ChamiJson.Options)!;
    }

    private static ChamiException NotAnObject() =>
        ChamiException.Invalid("InvalidRedfishEndpoint", "couldn't validate endpoint data: request body must be a JSON object");

    /// <summary>The RedfishEndpoint filters of spec/smd.md §5.3.</summary>
    public static RedfishEndpointQuery ParseQuery(IQueryCollection query)
    {
        var q = new RedfishEndpointQuery();
        foreach (var (name, value) in SmdHttp.QueryPairs(query))
        {
            switch (name)
            {
                case "id": q.Id.Add(value, ComponentQueryParser.ParseXname); break;
                case "fqdn": q.Fqdn.Add(value, v => v.Trim()); break;
                case "type": q.Type.Add(value, ComponentQueryParser.ParseType); break;
                case "uuid": q.Uuid.Add(value, v => v.Trim()); break;
                case "macaddr": q.MacAddr.Add(value, v => MacAddress.TryNormalize(v, out var m) ? m : v.Trim().ToLowerInvariant()); break;
                case "ipaddress": q.IPAddress.Add(value, v => System.Net.IPAddress.TryParse(v.Trim(), out var ip) ? ip.ToString() : v.Trim()); break;
                case "laststatus":
                    q.LastStatus.Add(value, v => Enum.TryParse<DiscoveryStatus>(v.Trim(), ignoreCase: true, out var s) && Enum.IsDefined(s) && !char.IsDigit(v.Trim().FirstOrDefault())
                        ? s
                        : throw ComponentQueryParser.Bad("a required argument did not match any valid input"));
                    break;
                default: break;
            }
        }
        return q;
    }
}
