using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace OpenChami.Core.Http.Smd;

/// <summary><c>/hsm/v2/service/*</c> (spec/smd.md §2.1).</summary>
public static class SmdServiceApi
{
    public static RouteGroupBuilder MapSmdServiceApi(this RouteGroupBuilder smd)
    {
        smd.MapGet("/service/ready", (ChamiServices services) =>
        {
            try
            {
                _ = services.Store.SchemaVersion;
                return Results.Json(new SmdMessage(0, "HSM is healthy"));
            }
            catch (Exception ex)
            {
                return Problem.Result(503, $"HSM's database is unhealthy: {ex.Message}");
            }
        });
        smd.MapGet("/service/liveness", () => TypedResults.NoContent());
        return smd;
    }
}

/// <summary>SMD's non-resource reply envelope.</summary>
public sealed record SmdMessage(
    [property: System.Text.Json.Serialization.JsonPropertyName("code")] int Code,
    [property: System.Text.Json.Serialization.JsonPropertyName("message")] string Message);
