using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
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
        var interfaces = smd.MapGroup(Interfaces);
        interfaces.MapGet(string.Empty, GetEthernetInterfaces).WithName(nameof(GetEthernetInterfaces)).ProducesProblem(400);
        interfaces.MapPost(string.Empty, PostEthernetInterface).WithName(nameof(PostEthernetInterface)).ProducesProblem(400).ProducesProblem(409);
        interfaces.MapDelete(string.Empty, DeleteEthernetInterfaces).WithName(nameof(DeleteEthernetInterfaces)).ProducesProblem(404);
        interfaces.MapGet("/{id}", GetEthernetInterface).WithName(nameof(GetEthernetInterface)).ProducesProblem(404);
        interfaces.MapPatch("/{id}", PatchEthernetInterface).WithName(nameof(PatchEthernetInterface)).ProducesProblem(400).ProducesProblem(404);
        interfaces.MapDelete("/{id}", DeleteEthernetInterface).WithName(nameof(DeleteEthernetInterface)).ProducesProblem(404);
        interfaces.MapGet("/{id}/IPAddresses", GetIPAddresses).WithName(nameof(GetIPAddresses)).ProducesProblem(404);
        interfaces.MapPost("/{id}/IPAddresses", PostIPAddress).WithName(nameof(PostIPAddress)).ProducesProblem(400).ProducesProblem(404).ProducesProblem(409);
        interfaces.MapPatch("/{id}/IPAddresses/{ip}", PatchIPAddress).WithName(nameof(PatchIPAddress)).ProducesProblem(400).ProducesProblem(404);
        interfaces.MapDelete("/{id}/IPAddresses/{ip}", DeleteIPAddress).WithName(nameof(DeleteIPAddress)).ProducesProblem(404);
        return smd;
    }

    public static Ok<IReadOnlyList<EthernetInterface>> GetEthernetInterfaces(HttpRequest request, ChamiServices services) =>
        TypedResults.Ok(services.EthernetInterfaces.Query(ParseQuery(request.Query)));

    public static async Task<Created<ResourceUri>> PostEthernetInterface(HttpRequest request, ChamiServices services)
    {
        var input = await SmdHttp.ReadJsonAsync<EthernetInterface>(request);
        var created = ChamiErrorMapping.Reword(() => services.EthernetInterfaces.Create(input), ex => ex.ErrorId switch
        {
            "InvalidXname" or "InvalidXnameType" => "Invalid CompEthInterface component ID",
            "InvalidIPAddress" => "Invalid CompEthInterface IP Address",
            "DuplicateMacAddress" => "operation would conflict with an existing component ethernet interface that has the same MAC address.",
            _ => null,
        });
        return SmdHttp.Created($"{Interfaces}/{created.ID}");
    }

    public static Results<Ok<SmdMessage>, ProblemResult> DeleteEthernetInterfaces(ChamiServices services) =>
        SmdHttp.Deleted(services.EthernetInterfaces.DeleteAll());

    public static Ok<EthernetInterface> GetEthernetInterface(string id, ChamiServices services) => TypedResults.Ok(services.EthernetInterfaces.Get(id));

    public static async Task<Ok<EthernetInterface>> PatchEthernetInterface(string id, HttpRequest request, ChamiServices services)
    {
        var patch = await SmdHttp.ReadJsonAsync<EthernetInterfacePatch>(request);
        return TypedResults.Ok(ChamiErrorMapping.Reword(() => services.EthernetInterfaces.Update(id, patch), ex => ex.ErrorId switch
        {
            "InvalidXname" or "InvalidXnameType" => "Invalid CompEthInterface component ID",
            "InvalidIPAddress" => "Invalid CompEthInterface IP Address",
            _ => null,
        }));
    }

    public static Ok<SmdMessage> DeleteEthernetInterface(string id, ChamiServices services)
    {
        ChamiErrorMapping.Reword(() => services.EthernetInterfaces.Delete(id), ex => ex.Kind == ChamiErrorKind.NotFound ? "no such component ethernet interface." : null);
        return SmdHttp.Message("deleted 1 entry");
    }

    public static Ok<List<IPAddressMapping>> GetIPAddresses(string id, ChamiServices services) =>
        TypedResults.Ok(services.EthernetInterfaces.Get(id).IPAddresses);

    public static async Task<Created<ResourceUri>> PostIPAddress(string id, HttpRequest request, ChamiServices services)
    {
        var input = await SmdHttp.ReadJsonAsync<IPAddressMapping>(request);
        var added = ChamiErrorMapping.Reword(() => services.EthernetInterfaces.AddIPAddress(id, input), ex => ex.ErrorId switch
        {
            "InvalidIPAddress" => "Invalid CompEthInterface IP Address",
            "DuplicateIPAddress" => "operation would conflict with an existing IP Address on the same ethernet interface.",
            _ => null,
        });
        return SmdHttp.Created($"{Interfaces}/{EthernetInterfaceService.ResolveId(id)}/IPAddresses/{added.IPAddress}");
    }

    public static async Task<Results<Ok<IPAddressMapping>, ProblemResult>> PatchIPAddress(string id, string ip, HttpRequest request, ChamiServices services)
    {
        var input = await SmdHttp.ReadJsonAsync<IPAddressMapping>(request);
        if (input.Network is null) return ProblemResult.BadRequest("Request must have at least one patch field.");
        return TypedResults.Ok(ChamiErrorMapping.Reword(() => services.EthernetInterfaces.UpdateIPAddress(id, ip, input.Network), NoSuchAddress));
    }

    public static Ok<SmdMessage> DeleteIPAddress(string id, string ip, ChamiServices services)
    {
        ChamiErrorMapping.Reword(() => services.EthernetInterfaces.RemoveIPAddress(id, ip), NoSuchAddress);
        return SmdHttp.Message("deleted 1 entry");
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
