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
        smd.MapGet("/service/values", () => Results.Json(Values()));
        foreach (var kind in Values().Keys)
        {
            // BSS probes /service/values/class; each kind answers an object with only its key.
            var key = kind;
            smd.MapGet("/service/values/" + key.ToLowerInvariant(), () => Results.Json(new Dictionary<string, IReadOnlyList<string>> { [key] = Values()[key] }));
        }
        return smd;
    }

    /// <summary>The enumerations of spec/smd.md §3.7, each value once, in the spec's key order.</summary>
    public static Dictionary<string, IReadOnlyList<string>> Values() => new()
    {
        ["Arch"] = Enum.GetNames<Model.HmsArch>(),
        ["Class"] = Enum.GetNames<Model.HmsClass>(),
        ["Flag"] = Enum.GetNames<Model.HmsFlag>(),
        ["NetType"] = Enum.GetNames<Model.HmsNetType>(),
        ["Role"] = Model.HmsValues.Roles,
        ["SubRole"] = Model.HmsValues.SubRoles,
        ["State"] = Enum.GetNames<Model.HmsState>(),
        ["Type"] = Enum.GetNames<Xnames.HmsType>(),
    };
}

/// <summary>SMD's non-resource reply envelope.</summary>
public sealed record SmdMessage(
    [property: System.Text.Json.Serialization.JsonPropertyName("code")] int Code,
    [property: System.Text.Json.Serialization.JsonPropertyName("message")] string Message);
