using System.Globalization;
using System.Reflection;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Primitives;
using OpenChami.Core.Boot;
using OpenChami.Core.Http.Resources;
using OpenChami.Core.Model;
using OpenChami.Core.Resources;

namespace OpenChami.Core.Http.BootService;

/// <summary><c>{"status": "ok", "service": "boot-service"}</c>.</summary>
public sealed record BootServiceHealth([property: JsonPropertyName("status")] string Status, [property: JsonPropertyName("service")] string Service);

/// <summary><c>/service/status</c> and <c>/service/version</c>.</summary>
public sealed record BootServiceStatus(
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("service")] string Service,
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("storage")] string Storage,
    [property: JsonPropertyName("schemaVersion")] int SchemaVersion);

/// <summary>
/// boot-service under <c>/boot-service</c> (spec/boot-service.md §3–§5), on the same server and store as <c>/boot/v1</c>.
/// Handlers parse and call one Core service; errors are upstream's <c>{"error": ...}</c> (the group's filter).
/// </summary>
internal static class BootServiceApi
{
    public const string Prefix = "/boot-service";
    private const string Tag = "boot-service";
    private const string ScriptType = "text/plain; charset=UTF-8";

    public static RouteGroupBuilder MapBootServiceApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapResourceServiceGroup(Prefix, Tag);

        group.MapGet("/health", () => TypedResults.Ok(new BootServiceHealth("ok", Tag))).WithName("boot-service-health");
        group.MapGet("/service/status", (ChamiServices services) => TypedResults.Ok(Status(services))).WithName("boot-service-status");
        group.MapGet("/service/version", (ChamiServices services) => TypedResults.Ok(Status(services))).WithName("boot-service-version");

        group.MapResources(Tag, BootConfigurationSpec.ResourceKind, s => s.BootConfigurations);

        // Views over the one inventory (SMD): read here, written through /hsm/v2 or the node cmdlets.
        group.MapGet("/nodes", (ChamiServices s) => TypedResults.Ok(s.BootInventory.Nodes())).WithName("boot-service-Node-list");
        group.MapGet("/nodes/{uid}", Results<Ok<Resource<BootNodeSpec>>, JsonHttpResult<ResourceError>> (string uid, ChamiServices s) =>
            s.BootInventory.Node(uid) is { } n ? TypedResults.Ok(n) : ResourceApi.Error(StatusCodes.Status404NotFound, $"Node '{uid}' not found")).WithName("boot-service-Node-get");
        group.MapGet("/bmcs", (ChamiServices s) => TypedResults.Ok(s.BootInventory.Bmcs())).WithName("boot-service-BMC-list");
        group.MapGet("/bmcs/{uid}", Results<Ok<Resource<BootBmcSpec>>, JsonHttpResult<ResourceError>> (string uid, ChamiServices s) =>
            s.BootInventory.Bmc(uid) is { } b ? TypedResults.Ok(b) : ResourceApi.Error(StatusCodes.Status404NotFound, $"BMC '{uid}' not found")).WithName("boot-service-BMC-get");
        foreach (var (plural, where) in new[] { ("nodes", "/hsm/v2/State/Components or New-ChamiNode"), ("bmcs", "/hsm/v2/Inventory/RedfishEndpoints or Invoke-ChamiDiscovery") })
        {
            var message = $"{plural} are a view of the inventory: write them through {where}";
            group.MapMethods($"/{plural}", ["POST"], () => ResourceApi.Error(StatusCodes.Status405MethodNotAllowed, message)).WithName($"boot-service-{plural}-write")
                .Produces<ResourceError>(StatusCodes.Status405MethodNotAllowed);
            foreach (var method in new[] { "PUT", "PATCH", "DELETE" })
            {
                // One route per method: an OpenAPI operation is one method, and each needs its own name.
                group.MapMethods($"/{plural}/{{uid}}", [method], (string uid) => ResourceApi.Error(StatusCodes.Status405MethodNotAllowed, message))
                    .WithName($"boot-service-{plural}-{method.ToLowerInvariant()}")
                    .Produces<ResourceError>(StatusCodes.Status405MethodNotAllowed);
            }
        }

        // BSS's shape of the same configurations (spec/bss.md §3.1).
        group.MapGet("/bootparameters", (HttpRequest request, ChamiServices s) =>
        {
            var query = new BootParamsQuery();
            query.Names.AddRange(Values(request.Query["name"]).Concat(Values(request.Query["host"])));
            query.Macs.AddRange(Values(request.Query["mac"]));
            foreach (var nid in Values(request.Query["nid"]))
            {
                query.Nids.Add(long.TryParse(nid, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n
                    : throw Errors.ChamiException.Invalid("InvalidNid", $"invalid nid '{nid}'", nid));
            }
            return TypedResults.Ok(s.BootParams.Get(query));
        }).WithName("boot-service-bootparameters");

        group.MapGet("/bootscript", (HttpRequest request, ChamiServices s) =>
        {
            var q = request.Query;
            string? mac = null;
            if (First(q["mac"]) is { } macText)
            {
                mac = MacAddress.TryNormalize(macText, out var m) ? m : throw Errors.ChamiException.Invalid("InvalidMacAddress", $"invalid MAC address '{macText}'", macText);
            }
            long? nid = null;
            if (First(q["nid"]) is { } nidText)
            {
                nid = long.TryParse(nidText, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n <= int.MaxValue ? n
                    : throw Errors.ChamiException.Invalid("InvalidNid", $"invalid nid '{nidText}'", nidText);
            }
            string? host = null;
            if ((First(q["host"]) ?? First(q["name"])) is { } hostText)
            {
                // Echoed into the script and its chain URL: only a well-formed xname, normalized.
                host = Xnames.Xname.TryParse(hostText, out var x, out _) ? x : throw Errors.ChamiException.Invalid("InvalidXname", $"invalid xname '{hostText}'", hostText);
            }
            var boot = new BootRequest
            {
                Mac = mac, Name = host, Nid = nid,
                Arch = First(q["arch"]) is { } arch && BootArch.TryNormalize(arch, out var a) ? a : null,
                Host = request.Host.HasValue ? request.Host.Value : null,
            };
            if (!boot.HasSelector) return ResourceApi.Error(StatusCodes.Status400BadRequest, "one of mac=, host= or nid= is required");
            var script = s.BootScripts.GetServiceScript(boot);
            return (IResult)TypedResults.Bytes(System.Text.Encoding.UTF8.GetBytes(script.Script), ScriptType);
        }).WithName("boot-service-bootscript").Produces<string>(StatusCodes.Status200OK, "text/plain").Produces<ResourceError>(StatusCodes.Status400BadRequest);

        return group;
    }

    private static BootServiceStatus Status(ChamiServices services) =>
        new("ok", Tag, Version, services.Store.BackendName, services.Store.SchemaVersion);

    private static readonly string Version =
        typeof(BootServiceApi).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? typeof(BootServiceApi).Assembly.GetName().Version?.ToString() ?? "0.0.0";

    private static IEnumerable<string> Values(StringValues values) =>
        values.SelectMany(v => (v ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static string? First(StringValues values) => values.FirstOrDefault(v => !string.IsNullOrWhiteSpace(v))?.Trim();
}
