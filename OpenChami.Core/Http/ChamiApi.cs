using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using OpenChami.Core.Http.Bss;
using OpenChami.Core.Http.CloudInit;
using OpenChami.Core.Http.Pcs;
using OpenChami.Core.Http.Smd;

namespace OpenChami.Core.Http;

// Naming rule: folders under Http/ are named after the upstream service whose wire contract they serve
// (Smd, Bss, CloudInit, Pcs; later BootService, MetadataService), and so are their Map<Service>…Api methods and
// OpenAPI tags (smd, bss, cloud-init, pcs); folders elsewhere in OpenChami.Core are named after the domain
// (Inventory, Boot, CloudInit, Power …). So BSS's routes live in Http/Bss and call the services of Core's Boot folder.

/// <summary>
/// All route groups of the server. Each area adds one Map&lt;Area&gt;Api call here; every route has a name and a tag
/// (checked through /openapi/v1.json by OpenApiTests).
/// </summary>
internal static class ChamiApi
{
    public static void Map(WebApplication app)
    {
        var server = app.MapGroup(string.Empty).WithTags("openchami");
        server.MapGet("/healthz", (ChamiServices services) => TypedResults.Ok(new
        {
            status = "ok",
            database = services.Store.IsInMemory ? ":memory:" : services.Store.Location,
            schemaVersion = services.Store.SchemaVersion,
        })).WithName("GetHealth");
        server.MapOpenApiApi();

        app.MapSmdApi();
        app.MapPcsApi();
        app.MapCloudInitApi();
        app.MapBssApi();
        BootService.BootServiceApi.MapBootServiceApi(app);
        OpenChami.Core.Http.MetadataService.MetadataServiceApi.MapMetadataServiceApi(app);
    }
}
