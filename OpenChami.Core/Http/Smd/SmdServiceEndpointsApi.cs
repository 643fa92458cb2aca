using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OpenChami.Core.Model;
using OpenChami.Core.Xnames;

namespace OpenChami.Core.Http.Smd;

/// <summary><c>/hsm/v2/Inventory/ServiceEndpoints</c> (spec/smd.md §2.5): the Redfish services of each RedfishEndpoint.</summary>
public static class SmdServiceEndpointsApi
{
    public static RouteGroupBuilder MapSmdServiceEndpointsApi(this RouteGroupBuilder smd)
    {
        var endpoints = smd.MapGroup("/Inventory/ServiceEndpoints");
        endpoints.MapGet(string.Empty, GetServiceEndpoints).WithName(nameof(GetServiceEndpoints)).ProducesProblem(400);
        endpoints.MapDelete(string.Empty, DeleteServiceEndpoints).WithName(nameof(DeleteServiceEndpoints)).ProducesProblem(404);
        endpoints.MapGet("/{service}", GetServiceEndpointsOfService).WithName(nameof(GetServiceEndpointsOfService));
        endpoints.MapGet("/{service}/RedfishEndpoints/{xname}", GetServiceEndpoint).WithName(nameof(GetServiceEndpoint)).ProducesProblem(404);
        endpoints.MapDelete("/{service}/RedfishEndpoints/{xname}", DeleteServiceEndpoint).WithName(nameof(DeleteServiceEndpoint)).ProducesProblem(404);
        return smd;
    }

    public static Ok<ServiceEndpointArray> GetServiceEndpoints(HttpRequest request, ChamiServices services)
    {
        var redfishTypes = SmdHttp.QueryValues(request, "service");
        var endpoints = SmdHttp.QueryValues(request, "redfish_ep").Select(ComponentQueryParser.ParseXname).ToList();
        var filtered = services.RedfishEndpoints.QueryServiceEndpoints().Where(se =>
            (redfishTypes.Count == 0 || redfishTypes.Any(s => s.Equals(se.RedfishType, StringComparison.OrdinalIgnoreCase)))
            && (endpoints.Count == 0 || endpoints.Contains(se.RedfishEndpointID))).ToList();
        return TypedResults.Ok(new ServiceEndpointArray(filtered));
    }

    public static Results<Ok<SmdMessage>, ProblemResult> DeleteServiceEndpoints(ChamiServices services) => SmdHttp.Deleted(services.RedfishEndpoints.DeleteAllServiceEndpoints());

    public static Ok<ServiceEndpointArray> GetServiceEndpointsOfService(string service, ChamiServices services) =>
        TypedResults.Ok(new ServiceEndpointArray(services.RedfishEndpoints.QueryServiceEndpoints(service)));

    public static Results<Ok<ServiceEndpoint>, ProblemResult> GetServiceEndpoint(string service, string xname, ChamiServices services) =>
        Xname.IsValid(xname) && services.RedfishEndpoints.QueryServiceEndpoints(service, xname) is [var endpoint, ..]
            ? TypedResults.Ok(endpoint)
            : ProblemResult.NotFound("no such service under redfish endpoint.");

    public static Ok<SmdMessage> DeleteServiceEndpoint(string service, string xname, ChamiServices services)
    {
        services.RedfishEndpoints.DeleteServiceEndpoint(service, xname);
        return SmdHttp.Message("deleted 1 entry");
    }
}
