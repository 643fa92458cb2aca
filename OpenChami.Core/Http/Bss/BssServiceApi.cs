using System.Reflection;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OpenChami.Core.Errors;

namespace OpenChami.Core.Http.Bss;

/// <summary><c>/boot/v1/service/*</c> (spec/bss.md §2): BSS's own status, version and storage health.</summary>
public static class BssServiceApi
{
    private static readonly string Version =
        typeof(BssApi).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? typeof(BssApi).Assembly.GetName().Version?.ToString() ?? "0.0.0";

    public static RouteGroupBuilder MapBssServiceApi(this RouteGroupBuilder bss)
    {
        var service = bss.MapGroup("/service");
        service.MapGet("/status", () => BssApi.Json(new JsonObject { ["bss-status"] = "running" }))
            .WithName("GetBssStatus").Produces<JsonObject>(StatusCodes.Status200OK, BssApi.JsonType);
        service.MapGet("/version", () => BssApi.Json(new JsonObject { ["bss-version"] = Version }))
            .WithName("GetBssVersion").Produces<JsonObject>(StatusCodes.Status200OK, BssApi.JsonType);
        service.MapGet("/hsm", () => BssApi.Json(new JsonObject { ["bss-status-hsm"] = "connected" }))
            .WithName("GetBssHsmStatus").Produces<JsonObject>(StatusCodes.Status200OK, BssApi.JsonType);
        service.MapGet("/storage/status", GetBssStorageStatus).WithName(nameof(GetBssStorageStatus))
            .Produces<JsonObject>(StatusCodes.Status200OK, BssApi.JsonType).Produces<JsonObject>(StatusCodes.Status500InternalServerError, BssApi.JsonType);
        service.MapGet("/status/all", GetBssStatusAll).WithName(nameof(GetBssStatusAll))
            .Produces<JsonObject>(StatusCodes.Status200OK, BssApi.JsonType).Produces<JsonObject>(StatusCodes.Status500InternalServerError, BssApi.JsonType);
        return bss;
    }

    public static JsonHttpResult<JsonObject> GetBssStorageStatus(ChamiServices services)
    {
        var ok = StorageHealthy(services);
        return BssApi.Json(new JsonObject { ["bss-storage-backend"] = Storage(services, ok) }, Status(ok));
    }

    public static JsonHttpResult<JsonObject> GetBssStatusAll(ChamiServices services)
    {
        var ok = StorageHealthy(services);
        return BssApi.Json(new JsonObject
        {
            ["bss-status"] = "running",
            ["bss-version"] = Version,
            ["bss-status-hsm"] = ok ? "connected" : "error",
            ["bss-storage-backend"] = Storage(services, ok),
        }, Status(ok));
    }

    private static int Status(bool healthy) => healthy ? StatusCodes.Status200OK : StatusCodes.Status500InternalServerError;

    private static bool StorageHealthy(ChamiServices services)
    {
        try
        {
            _ = services.Store.SchemaVersion;
            return true;
        }
        catch (Exception ex) when (ex is ChamiException or ObjectDisposedException)
        {
            return false;
        }
    }

    private static JsonObject Storage(ChamiServices services, bool ok) =>
        new() { ["name"] = services.Store.BackendName, ["status"] = ok ? "connected" : "error" };
}
