using System.Globalization;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OpenChami.Core.Discovery;

namespace OpenChami.Core.Http.Smd;

/// <summary>The body of <c>POST /Inventory/Discover</c>: <c>{"xnames":[..],"force":bool}</c> (keys case-insensitive).</summary>
public sealed class DiscoverInput
{
    [JsonPropertyName("xnames")]
    public List<string>? Xnames { get; set; }

    [JsonPropertyName("force")]
    public bool Force { get; set; }
}

/// <summary>
/// <c>/hsm/v2/Inventory/Discover</c> and <c>/Inventory/DiscoveryStatus</c> (spec/smd.md §2.12): OUR discovery of stored
/// RedfishEndpoints, in the background, reported as SMD's DiscoveryStatus rows.
/// </summary>
public static class SmdDiscoveryApi
{
    public static RouteGroupBuilder MapSmdDiscoveryApi(this RouteGroupBuilder smd)
    {
        smd.MapPost("/Inventory/Discover", PostDiscover).WithName(nameof(PostDiscover)).ProducesProblem(400).ProducesProblem(404);
        smd.MapGet("/Inventory/DiscoveryStatus", GetDiscoveryStatuses).WithName(nameof(GetDiscoveryStatuses));
        smd.MapGet("/Inventory/DiscoveryStatus/{id}", GetDiscoveryStatus).WithName(nameof(GetDiscoveryStatus)).ProducesProblem(400).ProducesProblem(404);
        return smd;
    }

    /// <summary>200 <c>[{"URI":"/hsm/v2/Inventory/DiscoveryStatus/&lt;n&gt;"}]</c> as upstream answers (not 201).</summary>
    public static async Task<Ok<IReadOnlyList<ResourceUri>>> PostDiscover(HttpRequest request, ChamiServices services)
    {
        // An empty body means "every endpoint", as upstream's does.
        var input = request.ContentLength == 0 ? new DiscoverInput() : await SmdHttp.ReadJsonAsync<DiscoverInput>(request).ConfigureAwait(false);
        var run = services.ApiDiscovery.Start(input.Xnames ?? [], input.Force);
        return TypedResults.Ok((IReadOnlyList<ResourceUri>)[new ResourceUri($"{SmdApi.Prefix}/Inventory/DiscoveryStatus/{run.ID.ToString(CultureInfo.InvariantCulture)}")]);
    }

    public static Ok<IReadOnlyList<DiscoveryRun>> GetDiscoveryStatuses(ChamiServices services) => TypedResults.Ok(services.ApiDiscovery.List());

    public static Results<Ok<DiscoveryRun>, ProblemResult> GetDiscoveryStatus(string id, ChamiServices services) =>
        int.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            ? TypedResults.Ok(services.ApiDiscovery.Get(number))
            : ProblemResult.BadRequest("invalid DiscoveryStatus ID");
}
