using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OpenChami.Core.Model;
using OpenChami.Core.Xnames;

namespace OpenChami.Core.Http.Smd;

/// <summary><c>/hsm/v2/service/*</c> (spec/smd.md §2.1).</summary>
public static class SmdServiceApi
{
    public static RouteGroupBuilder MapSmdServiceApi(this RouteGroupBuilder smd)
    {
        var service = smd.MapGroup("/service");
        service.MapGet("/ready", GetSmdReadiness).WithName(nameof(GetSmdReadiness)).ProducesProblem(503);
        service.MapGet("/liveness", () => TypedResults.NoContent()).WithName("GetSmdLiveness");
        service.MapGet("/values", () => TypedResults.Ok(Values())).WithName("GetSmdValues");
        foreach (var kind in Values().Keys)
        {
            // BSS probes /service/values/class; each kind answers an object with only its key.
            service.MapGet("/values/" + kind.ToLowerInvariant(), () => TypedResults.Ok(new Dictionary<string, IReadOnlyList<string>> { [kind] = Values()[kind] }))
                .WithName($"GetSmdValues{kind}");
        }
        return smd;
    }

    public static Results<Ok<SmdMessage>, ProblemResult> GetSmdReadiness(ChamiServices services)
    {
        try
        {
            _ = services.Store.SchemaVersion;
            return SmdHttp.Message("HSM is healthy");
        }
        catch (Exception ex)
        {
            return new ProblemResult(StatusCodes.Status503ServiceUnavailable, $"HSM's database is unhealthy: {ex.Message}");
        }
    }

    /// <summary>The enumerations of spec/smd.md §3.7, each value once, in the spec's key order.</summary>
    public static Dictionary<string, IReadOnlyList<string>> Values() => new()
    {
        ["Arch"] = Enum.GetNames<HmsArch>(),
        ["Class"] = Enum.GetNames<HmsClass>(),
        ["Flag"] = Enum.GetNames<HmsFlag>(),
        ["NetType"] = Enum.GetNames<HmsNetType>(),
        ["Role"] = HmsValues.Roles,
        ["SubRole"] = HmsValues.SubRoles,
        ["State"] = Enum.GetNames<HmsState>(),
        ["Type"] = Enum.GetNames<HmsType>(),
    };
}
