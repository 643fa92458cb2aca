using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using OpenChami.Core.Errors;
using OpenChami.Core.Inventory;
using OpenChami.Core.Model;
using OpenChami.Core.Xnames;

namespace OpenChami.Core.Http.Smd;

/// <summary><c>/hsm/v2/Inventory/EthernetInterfaces</c> (spec/smd.md §2.6, §8). Collections are bare arrays.</summary>
public static class SmdEthernetInterfacesApi
{
    private const string Interfaces = "/Inventory/EthernetInterfaces";

    public static RouteGroupBuilder MapSmdEthernetInterfacesApi(this RouteGroupBuilder smd)
    {
        smd.MapGet(Interfaces, (HttpRequest request, ChamiServices services) =>
            Results.Json(services.EthernetInterfaces.Query(ParseQuery(request.Query))));

        smd.MapPost(Interfaces, async (HttpRequest request, ChamiServices services) =>
        {
            var input = await SmdHttp.ReadJsonAsync<EthernetInterface>(request);
            var created = SmdHttp.Call(() => services.EthernetInterfaces.Create(input), ex => ex.ErrorId switch
            {
                "InvalidXname" or "InvalidXnameType" => "Invalid CompEthInterface component ID",
                "InvalidIPAddress" => "Invalid CompEthInterface IP Address",
                "DuplicateMacAddress" => "operation would conflict with an existing component ethernet interface that has the same MAC address.",
                _ => null,
            });
            return SmdHttp.Created($"{Interfaces}/{created.ID}");
        });

        smd.MapDelete(Interfaces, (ChamiServices services) => SmdHttp.Deleted(services.EthernetInterfaces.DeleteAll()));

        smd.MapGet(Interfaces + "/{id}", (string id, ChamiServices services) => Results.Json(services.EthernetInterfaces.Get(id)));

        smd.MapPatch(Interfaces + "/{id}", async (string id, HttpRequest request, ChamiServices services) =>
        {
            var patch = await SmdHttp.ReadJsonAsync<EthernetInterfacePatch>(request);
            return Results.Json(SmdHttp.Call(() => services.EthernetInterfaces.Update(id, patch), ex => ex.ErrorId switch
            {
                "InvalidXname" or "InvalidXnameType" => "Invalid CompEthInterface component ID",
                "InvalidIPAddress" => "Invalid CompEthInterface IP Address",
                _ => null,
            }));
        });

        smd.MapDelete(Interfaces + "/{id}", (string id, ChamiServices services) =>
        {
            SmdHttp.Call(() => services.EthernetInterfaces.Delete(id), ex => ex.Kind == ChamiErrorKind.NotFound ? "no such component ethernet interface." : null);
            return SmdHttp.Message("deleted 1 entry");
        });

        smd.MapGet(Interfaces + "/{id}/IPAddresses", (string id, ChamiServices services) =>
            Results.Json(services.EthernetInterfaces.Get(id).IPAddresses));

        smd.MapPost(Interfaces + "/{id}/IPAddresses", async (string id, HttpRequest request, ChamiServices services) =>
        {
            var input = await SmdHttp.ReadJsonAsync<IPAddressMapping>(request);
            var added = SmdHttp.Call(() => services.EthernetInterfaces.AddIPAddress(id, input), ex => ex.ErrorId switch
            {
                "InvalidIPAddress" => "Invalid CompEthInterface IP Address",
                "DuplicateIPAddress" => "operation would conflict with an existing IP Address on the same ethernet interface.",
                _ => null,
            });
            return SmdHttp.Created($"{Interfaces}/{EthernetInterfaceService.ResolveId(id)}/IPAddresses/{added.IPAddress}");
        });

        smd.MapPatch(Interfaces + "/{id}/IPAddresses/{ip}", async (string id, string ip, HttpRequest request, ChamiServices services) =>
        {
            var input = await SmdHttp.ReadJsonAsync<IPAddressMapping>(request);
            if (input.Network is null) return Problem.Result(400, "Request must have at least one patch field.");
            return Results.Json(SmdHttp.Call(() => services.EthernetInterfaces.UpdateIPAddress(id, ip, input.Network), NoSuchAddress));
        });

        smd.MapDelete(Interfaces + "/{id}/IPAddresses/{ip}", (string id, string ip, ChamiServices services) =>
        {
            SmdHttp.Call(() => services.EthernetInterfaces.RemoveIPAddress(id, ip), NoSuchAddress);
            return SmdHttp.Message("deleted 1 entry");
        });
        return smd;
    }

    private static string? NoSuchAddress(ChamiException ex) =>
        ex.ErrorId == "IPAddressNotFound" ? "no such IP address in component ethernet interface." : null;

    /// <summary>The filters of spec/smd.md §5.3 (names case-insensitive, values repeat, <c>!</c> negates, empty matches empty).</summary>
    public static EthernetInterfaceQuery ParseQuery(IQueryCollection parameters)
    {
        var q = new EthernetInterfaceQuery();
        foreach (var (rawName, values) in parameters)
        {
            foreach (var value in values.Select(v => v ?? string.Empty))
            {
                switch (rawName.ToLowerInvariant())
                {
                    case "id": q.Id.Add(value, v => v.Length == 0 ? v : EthernetInterfaceService.ResolveId(v)); break;
                    case "macaddress":
                        q.MacAddress.Add(value, v => v.Length == 0 ? v
                            : MacAddress.TryNormalize(v, out var mac) ? mac : throw Bad("Invalid component ethernet interface MAC address."));
                        break;
                    case "ipaddress": q.IPAddress.Add(value, v => v.Length == 0 ? v : System.Net.IPAddress.TryParse(v, out var ip) ? ip.ToString() : v); break;
                    case "network": q.Network.Add(value, v => v); break;
                    case "componentid": q.ComponentId.Add(value, v => v.Length == 0 ? v : Xname.TryParse(v, out var id, out _) ? id : throw Bad("Invalid CompID.")); break;
                    case "type": q.Type.Add(value, v => v.Length == 0 ? v : Xname.TryParseTypeName(v, out var t) ? t.ToString() : throw Bad("Invalid HMS type.")); break;
                    case "olderthan": q.OlderThan = Time(value); break;
                    case "newerthan": q.NewerThan = Time(value); break;
                    default: break;
                }
            }
        }
        return q;
    }

    private static DateTime Time(string value) =>
        DateTime.TryParse(value, System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal, out var time)
        && value.Contains('T', StringComparison.OrdinalIgnoreCase)
            ? time
            : throw Bad("bad query param: Argument was not in a valid RFC3339 time format");

    private static ChamiException Bad(string detail) => ChamiException.Invalid("BadQueryParam", detail);
}
