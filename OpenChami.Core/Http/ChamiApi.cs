using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using OpenChami.Core.Http.Pcs;
using OpenChami.Core.Http.CloudInit;
using OpenChami.Core.Http.Boot;
using OpenChami.Core.Http.Smd;

namespace OpenChami.Core.Http;

/// <summary>All route groups of the server. Each area adds one Map&lt;Area&gt;Api call here.</summary>
internal static class ChamiApi
{
    public static void Map(WebApplication app)
    {
        app.MapGet("/healthz", (ChamiServices services) => TypedResults.Ok(new
        {
            status = "ok",
            database = services.Store.IsInMemory ? ":memory:" : services.Store.Location,
            schemaVersion = services.Store.SchemaVersion,
        }));

        app.MapOpenApiApi();

        var smd = app.MapGroup("/hsm/v2");
        smd.MapSmdServiceApi();
        smd.MapSmdComponentsApi();
        smd.MapSmdRedfishEndpointsApi();
        app.MapPcsApi();
        smd.MapSmdEthernetInterfacesApi();
        smd.MapSmdGroupsApi();
        smd.MapSmdNodeMapsApi();

        app.MapCloudInitApi();
        OpenChami.Core.Http.MetadataService.MetadataServiceApi.MapMetadataServiceApi(app);

        app.MapGroup("/boot/v1").MapBssApi();
    }
}
