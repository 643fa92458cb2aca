using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace OpenChami.Core.Http.Smd;

/// <summary>SMD (<c>/hsm/v2</c>, spec/smd.md §2): one route group per resource, all tagged <c>smd</c>.</summary>
public static class SmdApi
{
    public const string Prefix = "/hsm/v2";

    public static IEndpointRouteBuilder MapSmdApi(this IEndpointRouteBuilder app)
    {
        var smd = app.MapGroup(Prefix).WithTags("smd");
        smd.MapSmdServiceApi();
        smd.MapSmdComponentsApi();
        smd.MapSmdRedfishEndpointsApi();
        smd.MapSmdComponentEndpointsApi();
        smd.MapSmdServiceEndpointsApi();
        smd.MapSmdEthernetInterfacesApi();
        smd.MapSmdGroupsApi();
        smd.MapSmdPartitionsApi();
        smd.MapSmdMembershipsApi();
        smd.MapSmdNodeMapsApi();
        smd.MapSmdLocksApi();
        smd.MapSmdSubscriptionsApi();
        smd.MapSmdHardwareApi();
        smd.MapSmdDiscoveryApi();
        return app;
    }
}
