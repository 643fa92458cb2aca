using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using OpenChami.Core.Errors;
using OpenChami.Core.Inventory;
using OpenChami.Core.Model;
using OpenChami.Core.Serialization;
using OpenChami.Core.Xnames;

namespace OpenChami.Core.Http.Smd;

/// <summary>
/// <c>/hsm/v2/Inventory/RedfishEndpoints</c>, <c>/Inventory/ComponentEndpoints</c> and <c>/Inventory/ServiceEndpoints</c>
/// (spec/smd.md §2.4, §2.5). Handlers parse, call one <see cref="RedfishEndpointService"/> method and answer.
/// </summary>
public static class SmdRedfishEndpointsApi
{
    private const string RfePath = "/Inventory/RedfishEndpoints";

    public static RouteGroupBuilder MapSmdRedfishEndpointsApi(this RouteGroupBuilder smd)
    {
        smd.MapGet(RfePath, (HttpRequest request, ChamiServices services) =>
            Results.Json(new RedfishEndpointArray(services.RedfishEndpoints.Query(ParseEndpointQuery(request.Query)))));

        smd.MapPost(RfePath, async (HttpRequest request, ChamiServices services) =>
        {
            var inputs = await ReadEndpointsAsync(request).ConfigureAwait(false);
            var changes = services.RedfishEndpoints.Create(inputs);
            var uris = changes.OfType(InventoryObjectTypes.RedfishEndpoint).Select(c => new { URI = $"/hsm/v2{RfePath}/{c.ID}" }).ToList();
            return Results.Created(uris[0].URI, uris);
        });

        smd.MapDelete(RfePath, (ChamiServices services) =>
            Results.Json(new SmdMessage(0, $"deleted {services.RedfishEndpoints.DeleteAll()} entries")));

        smd.MapGet(RfePath + "/Query/{xname}", (string xname, ChamiServices services) =>
            xname.Trim().ToLowerInvariant() is "s0" or "all"
                ? Results.Json(new RedfishEndpointArray(services.RedfishEndpoints.Query()))
                : Problem.Result(400, "not yet implemented"));

        smd.MapGet(RfePath + "/{xname}", (string xname, ChamiServices services) =>
            services.RedfishEndpoints.Find(xname) is { } endpoint ? Results.Json(endpoint) : Problem.Result(404, "no such xname."));

        smd.MapPut(RfePath + "/{xname}", async (string xname, HttpRequest request, ChamiServices services) =>
        {
            var input = await ReadObjectAsync<RedfishEndpointInput>(request).ConfigureAwait(false);
            return Results.Json(services.RedfishEndpoints.Put(xname, input));
        });

        smd.MapPatch(RfePath + "/{xname}", async (string xname, HttpRequest request, ChamiServices services) =>
        {
            if (!Xname.IsValid(xname)) return Problem.Result(400, "xname in URL is not valid");
            var input = await ReadObjectAsync<RedfishEndpointInput>(request).ConfigureAwait(false);
            return Results.Json(services.RedfishEndpoints.Patch(xname, input));
        });

        smd.MapDelete(RfePath + "/{xname}", (string xname, ChamiServices services) =>
        {
            services.RedfishEndpoints.Delete(xname);
            return Results.Json(new SmdMessage(0, "deleted 1 entry"));
        });

        MapComponentEndpoints(smd);
        MapServiceEndpoints(smd);
        return smd;
    }

    private static void MapComponentEndpoints(RouteGroupBuilder smd)
    {
        const string path = "/Inventory/ComponentEndpoints";
        smd.MapGet(path, (HttpRequest request, ChamiServices services) =>
            Results.Json(new ComponentEndpointArray(services.RedfishEndpoints.QueryComponentEndpoints(ParseComponentEndpointQuery(request.Query)))));

        smd.MapDelete(path, (ChamiServices services) =>
            Results.Json(new SmdMessage(0, $"deleted {services.RedfishEndpoints.DeleteAllComponentEndpoints()} entries")));

        smd.MapGet(path + "/{xname}", (string xname, ChamiServices services) =>
        {
            if (!Xname.IsValid(xname)) return Problem.Result(400, "Argument was not a valid xname ID");
            return services.RedfishEndpoints.FindComponentEndpoint(xname) is { } ce ? Results.Json(ce) : Problem.Result(404, "no such xname.");
        });

        smd.MapDelete(path + "/{xname}", (string xname, ChamiServices services) =>
        {
            services.RedfishEndpoints.DeleteComponentEndpoint(xname);
            return Results.Json(new SmdMessage(0, "deleted 1 entry"));
        });
    }

    private static void MapServiceEndpoints(RouteGroupBuilder smd)
    {
        const string path = "/Inventory/ServiceEndpoints";
        smd.MapGet(path, (HttpRequest request, ChamiServices services) =>
        {
            var services_ = request.Query.Where(kv => kv.Key.Equals("service", StringComparison.OrdinalIgnoreCase)).SelectMany(kv => kv.Value).OfType<string>().ToList();
            var endpoints = request.Query.Where(kv => kv.Key.Equals("redfish_ep", StringComparison.OrdinalIgnoreCase)).SelectMany(kv => kv.Value).OfType<string>()
                .Select(ComponentQueryParser.ParseXname).ToList();
            var all = services.RedfishEndpoints.QueryServiceEndpoints();
            var filtered = all.Where(se =>
                (services_.Count == 0 || services_.Any(s => s.Equals(se.RedfishType, StringComparison.OrdinalIgnoreCase)))
                && (endpoints.Count == 0 || endpoints.Contains(se.RedfishEndpointID))).ToList();
            return Results.Json(new ServiceEndpointArray(filtered));
        });

        smd.MapDelete(path, (ChamiServices services) =>
            Results.Json(new SmdMessage(0, $"deleted {services.RedfishEndpoints.DeleteAllServiceEndpoints()} entries")));

        smd.MapGet(path + "/{service}", (string service, ChamiServices services) =>
            Results.Json(new ServiceEndpointArray(services.RedfishEndpoints.QueryServiceEndpoints(service))));

        smd.MapGet(path + "/{service}/RedfishEndpoints/{xname}", (string service, string xname, ChamiServices services) =>
            Xname.IsValid(xname) && services.RedfishEndpoints.QueryServiceEndpoints(service, xname) is [var se, ..]
                ? Results.Json(se)
                : Problem.Result(404, "no such service under redfish endpoint."));

        smd.MapDelete(path + "/{service}/RedfishEndpoints/{xname}", (string service, string xname, ChamiServices services) =>
        {
            services.RedfishEndpoints.DeleteServiceEndpoint(service, xname);
            return Results.Json(new SmdMessage(0, "deleted 1 entry"));
        });
    }

    /// <summary>One RFE object, or the <c>{"RedfishEndpoints":[..]}</c> wrapper (each element may carry SchemaVersion 1 data).</summary>
    internal static async Task<IReadOnlyList<RedfishEndpointInput>> ReadEndpointsAsync(HttpRequest request)
    {
        using var document = await JsonDocument.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted).ConfigureAwait(false);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw ChamiException.Invalid("InvalidRedfishEndpoint", "couldn't validate endpoint data: request body must be a JSON object");
        }
        foreach (var property in root.EnumerateObject())
        {
            if (property.Name.Equals("RedfishEndpoints", StringComparison.OrdinalIgnoreCase) && property.Value.ValueKind == JsonValueKind.Array)
            {
                var list = new List<RedfishEndpointInput>();
                var i = 0;
                foreach (var element in property.Value.EnumerateArray())
                {
                    if (element.ValueKind != JsonValueKind.Object)
                    {
                        throw ChamiException.Invalid("InvalidRedfishEndpoint", $"couldn't validate endpoint data at idx {i}: not a JSON object");
                    }
                    list.Add(element.Deserialize<RedfishEndpointInput>(ChamiJson.Options)!);
                    i++;
                }
                return list;
            }
        }
        return [root.Deserialize<RedfishEndpointInput>(ChamiJson.Options)!];
    }

    private static async Task<T> ReadObjectAsync<T>(HttpRequest request) where T : class
    {
        using var document = await JsonDocument.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted).ConfigureAwait(false);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw ChamiException.Invalid("InvalidRedfishEndpoint", "couldn't validate endpoint data: request body must be a JSON object");
        }
        return document.RootElement.Deserialize<T>(ChamiJson.Options)!;
    }

    private static IEnumerable<(string Name, string Value)> Parameters(IQueryCollection query) =>
        query.SelectMany(kv => kv.Value.Select(v => (kv.Key.ToLowerInvariant(), v ?? string.Empty)));

    public static RedfishEndpointQuery ParseEndpointQuery(IQueryCollection query)
    {
        var q = new RedfishEndpointQuery();
        foreach (var (name, value) in Parameters(query))
        {
            switch (name)
            {
                case "id": q.Id.Add(value, ComponentQueryParser.ParseXname); break;
                case "fqdn": q.Fqdn.Add(value, v => v.Trim()); break;
                case "type": q.Type.Add(value, v => Xname.TryParseTypeName(v, out var t) ? t : throw BadParam("Argument was not a valid HMS Type")); break;
                case "uuid": q.Uuid.Add(value, v => v.Trim()); break;
                case "macaddr": q.MacAddr.Add(value, v => MacAddress.TryNormalize(v, out var m) ? m : v.Trim().ToLowerInvariant()); break;
                case "ipaddress": q.IPAddress.Add(value, v => System.Net.IPAddress.TryParse(v.Trim(), out var ip) ? ip.ToString() : v.Trim()); break;
                case "laststatus":
                    q.LastStatus.Add(value, v => Enum.TryParse<DiscoveryStatus>(v.Trim(), ignoreCase: true, out var s) && Enum.IsDefined(s) && !char.IsDigit(v.Trim().FirstOrDefault())
                        ? s
                        : throw BadParam("a required argument did not match any valid input"));
                    break;
                default: break;
            }
        }
        return q;
    }

    public static ComponentEndpointQuery ParseComponentEndpointQuery(IQueryCollection query)
    {
        var q = new ComponentEndpointQuery();
        foreach (var (name, value) in Parameters(query))
        {
            switch (name)
            {
                case "id": q.Id.Add(value, ComponentQueryParser.ParseXname); break;
                case "redfish_ep": q.RedfishEndpoint.Add(value, ComponentQueryParser.ParseXname); break;
                case "type": q.Type.Add(value, v => Xname.TryParseTypeName(v, out var t) ? t : throw BadParam("Argument was not a valid HMS Type")); break;
                case "redfish_type": q.RedfishType.Add(value, v => v.Trim()); break;
                default: break;
            }
        }
        return q;
    }

    private static ChamiException BadParam(string reason) => ChamiException.Invalid("BadQueryParam", $"bad query param: {reason}");
}

