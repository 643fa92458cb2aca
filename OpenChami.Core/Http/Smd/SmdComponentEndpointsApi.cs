using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OpenChami.Core.Inventory;
using OpenChami.Core.Model;
using OpenChami.Core.Xnames;

namespace OpenChami.Core.Http.Smd;

/// <summary><c>/hsm/v2/Inventory/ComponentEndpoints</c> (spec/smd.md §2.5): what discovery found behind each RedfishEndpoint.</summary>
public static class SmdComponentEndpointsApi
{
    public static RouteGroupBuilder MapSmdComponentEndpointsApi(this RouteGroupBuilder smd)
    {
        var endpoints = smd.MapGroup("/Inventory/ComponentEndpoints");
        endpoints.MapGet(string.Empty, GetComponentEndpoints).WithName(nameof(GetComponentEndpoints)).ProducesProblem(400);
        endpoints.MapDelete(string.Empty, DeleteComponentEndpoints).WithName(nameof(DeleteComponentEndpoints)).ProducesProblem(404);
        endpoints.MapGet("/{xname}", GetComponentEndpoint).WithName(nameof(GetComponentEndpoint)).ProducesProblem(400).ProducesProblem(404);
        endpoints.MapDelete("/{xname}", DeleteComponentEndpoint).WithName(nameof(DeleteComponentEndpoint)).ProducesProblem(404);
        return smd;
    }

    public static Ok<ComponentEndpointArray> GetComponentEndpoints(HttpRequest request, ChamiServices services) =>
        TypedResults.Ok(new ComponentEndpointArray(services.RedfishEndpoints.QueryComponentEndpoints(ParseQuery(request.Query))));

    public static Results<Ok<SmdMessage>, ProblemResult> DeleteComponentEndpoints(ChamiServices services) => SmdHttp.Deleted(services.RedfishEndpoints.DeleteAllComponentEndpoints());

    public static Results<Ok<ComponentEndpoint>, ProblemResult> GetComponentEndpoint(string xname, ChamiServices services)
    {
        if (!Xname.IsValid(xname)) return ProblemResult.BadRequest("Argument was not a valid xname ID");
        return services.RedfishEndpoints.FindComponentEndpoint(xname) is { } endpoint ? TypedResults.Ok(endpoint) : ProblemResult.NotFound("no such xname.");
    }

    public static Ok<SmdMessage> DeleteComponentEndpoint(string xname, ChamiServices services)
    {
        services.RedfishEndpoints.DeleteComponentEndpoint(xname);
        return SmdHttp.Message("deleted 1 entry");
    }

    /// <summary>The ComponentEndpoint filters of spec/smd.md §5.3.</summary>
    public static ComponentEndpointQuery ParseQuery(IQueryCollection query)
    {
        var q = new ComponentEndpointQuery();
        foreach (var (name, value) in SmdHttp.QueryPairs(query))
        {
            switch (name)
            {
                case "id": q.Id.Add(value, ComponentQueryParser.ParseXname); break;
                case "redfish_ep": q.RedfishEndpoint.Add(value, ComponentQueryParser.ParseXname); break;
                case "type": q.Type.Add(value, ComponentQueryParser.ParseType); break;
                case "redfish_type": q.RedfishType.Add(value, v => v.Trim()); break;
                default: break;
            }
        }
        return q;
    }
}
