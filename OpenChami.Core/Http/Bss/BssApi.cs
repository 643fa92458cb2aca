using System.Globalization;
using System.Reflection;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Primitives;
using OpenChami.Core.Boot;
using OpenChami.Core.Errors;
using OpenChami.Core.Model;
using OpenChami.Core.Serialization;

namespace OpenChami.Core.Http.Bss;

/// <summary><c>/boot/v1</c> (spec/bss.md §2). Handlers parse, call one Core service, and shape the reply.</summary>
public static class BssApi
{
    private const string JsonType = "application/json; charset=UTF-8";
    private const string ScriptType = "text/plain; charset=UTF-8";
    private const string ReferralHeader = "BSS-Referral-Token";

    public static RouteGroupBuilder MapBssApi(this RouteGroupBuilder bss)
    {
        bss.MapGet("/bootscript", (HttpRequest request, ChamiServices services) => BootScript(request, services));

        bss.MapGet("/bootparameters", async (HttpRequest request, ChamiServices services) =>
        {
            var query = new BootParamsQuery();
            foreach (var name in Values(request.Query["name"])) query.Names.Add(name);
            foreach (var mac in Values(request.Query["mac"])) query.Macs.Add(mac);
            foreach (var nid in Values(request.Query["nid"]))
            {
                if (!TryParseNid(nid, out var n)) return Problem.Result(400, $"Bad Request - Invalid nid '{nid}'");
                query.Nids.Add(n);
            }
            var body = await ReadBodyAsync(request).ConfigureAwait(false);
            if (body is not null)
            {
                query.Names.AddRange(body.Hosts ?? []);
                query.Macs.AddRange(body.Macs ?? []);
                query.Nids.AddRange(body.Nids ?? []);
                query.Groups.AddRange(body.Groups ?? []);
                query.Kernel = body.Kernel;
                query.Initrd = body.Initrd;
            }
            return Bss(() =>
            {
                var result = services.BootParams.Get(query);
                if (result.Count == 0 && query.HasIdentities)
                {
                    return Problem.Result(404, "Cannot find boot parameters for requested Hosts, MACs or NIDs");
                }
                return Results.Json(result, ChamiJson.Options, JsonType);
            });
        });

        bss.MapPost("/bootparameters", async (HttpRequest request, HttpResponse response, ChamiServices services) =>
        {
            var body = await ReadBodyAsync(request).ConfigureAwait(false) ?? new BootParams();
            return Bss(() =>
            {
                response.Headers[ReferralHeader] = services.BootParams.Create(body);
                return Results.StatusCode(StatusCodes.Status201Created);
            });
        });

        bss.MapPut("/bootparameters", async (HttpRequest request, HttpResponse response, ChamiServices services) =>
        {
            var body = await ReadBodyAsync(request).ConfigureAwait(false) ?? new BootParams();
            return Bss(() =>
            {
                response.Headers[ReferralHeader] = services.BootParams.Replace(body);
                return Results.Ok();
            });
        });

        bss.MapPatch("/bootparameters", async (HttpRequest request, ChamiServices services) =>
        {
            var body = await ReadBodyAsync(request).ConfigureAwait(false) ?? new BootParams();
            return Bss(() =>
            {
                services.BootParams.Update(body);
                return Results.Ok();
            });
        });

        bss.MapDelete("/bootparameters", async (HttpRequest request, ChamiServices services) =>
        {
            var body = await ReadBodyAsync(request).ConfigureAwait(false) ?? new BootParams();
            return Bss(() =>
            {
                services.BootParams.Delete(body);
                return Results.Ok();
            });
        });

        bss.MapGet("/hosts", (HttpRequest request, ChamiServices services) =>
        {
            var nids = new List<long>();
            foreach (var nid in Values(request.Query["nid"]))
            {
                if (!TryParseNid(nid, out var n)) return Problem.Result(400, $"Bad Request - Invalid nid '{nid}'");
                nids.Add(n);
            }
            var hosts = services.BootScripts.Hosts(Values(request.Query["name"]).ToList(), Values(request.Query["mac"]).ToList(), nids);
            return Results.Json(hosts, ChamiJson.Options, JsonType);
        });

        // In-process SMD is read live on every request: there is no snapshot to refresh.
        bss.MapPost("/hosts", (HttpResponse response) =>
        {
            response.Headers.CacheControl = "no-cache";
            return Results.NoContent();
        });

        bss.MapGet("/dumpstate", (ChamiServices services) => Results.Json(services.BootScripts.DumpState(), ChamiJson.Options, JsonType));

        bss.MapGet("/endpoint-history", (HttpRequest request, ChamiServices services) =>
        {
            var name = First(request.Query["name"]);
            var endpoint = First(request.Query["endpoint"]);
            return Results.Json(services.BootScripts.History(name, endpoint), ChamiJson.Options, JsonType);
        });

        bss.MapGet("/service/status", () => Json(new JsonObject { ["bss-status"] = "running" }));
        bss.MapGet("/service/version", () => Json(new JsonObject { ["bss-version"] = Version }));
        bss.MapGet("/service/hsm", () => Json(new JsonObject { ["bss-status-hsm"] = "connected" }));
        bss.MapGet("/service/storage/status", (ChamiServices services) =>
        {
            var ok = StorageHealthy(services);
            return Json(new JsonObject { ["bss-storage-backend"] = Storage(services, ok) }, ok ? 200 : 500);
        });
        bss.MapGet("/service/status/all", (ChamiServices services) =>
        {
            var ok = StorageHealthy(services);
            return Json(new JsonObject
            {
                ["bss-status"] = "running",
                ["bss-version"] = Version,
                ["bss-status-hsm"] = ok ? "connected" : "error",
                ["bss-storage-backend"] = Storage(services, ok),
            }, ok ? 200 : 500);
        });
        return bss;
    }

    private static IResult BootScript(HttpRequest request, ChamiServices services)
    {
        var q = request.Query;
        var host = request.Host.HasValue ? request.Host.Value : null;
        if (!q.ContainsKey("mac") && !q.ContainsKey("name") && !q.ContainsKey("nid"))
        {
            // One fixed URL for every node (DHCP option 67): chain back with the NIC's MAC.
            return Script(services.BootScripts.SelectorScript(host));
        }
        var boot = new BootRequest
        {
            Mac = Values(q["mac"]).Select(m => MacAddress.TryNormalize(m, out var n) ? n : null).FirstOrDefault(m => m is not null),
            Name = First(q["name"]),
            Nid = First(q["nid"]) is { } nidText && TryParseNid(nidText, out var nid) ? nid : null,
            Arch = First(q["arch"]) is { } arch && BootArch.TryNormalize(arch, out var a) ? a : null,
            Retry = int.TryParse(First(q["retry"]), NumberStyles.Integer, CultureInfo.InvariantCulture, out var retry) && retry >= 0 ? retry : 0,
            Ts = long.TryParse(First(q["ts"]), NumberStyles.Integer, CultureInfo.InvariantCulture, out var ts) ? ts : null,
            Host = host,
        };
        if (!boot.HasSelector) return Problem.Result(400, "Need a mac=, name=, or nid= parameter");
        try
        {
            if (int.TryParse(First(q["json"]), NumberStyles.Integer, CultureInfo.InvariantCulture, out var json) && json != 0)
            {
                return Results.Json(services.BootScripts.GetJson(boot), ChamiJson.Options, JsonType);
            }
            return Script(services.BootScripts.GetScript(boot).Script);
        }
        catch (ChamiException ex) when (ex.Kind == ChamiErrorKind.NotFound)
        {
            return Problem.Result(404, ex.Message);
        }
    }

    // Results.Text would rewrite the charset to lower case; the spec's header is exact.
    private static IResult Script(string script) => Results.Bytes(System.Text.Encoding.UTF8.GetBytes(script), ScriptType);

    /// <summary>BSS's error texts: the service's reason behind the spec's prefix.</summary>
    private static IResult Bss(Func<IResult> work)
    {
        try
        {
            return work();
        }
        catch (ChamiException ex) when (ex.Kind is ChamiErrorKind.InvalidArgument or ChamiErrorKind.NotFound or ChamiErrorKind.Conflict)
        {
            return ex.Kind switch
            {
                ChamiErrorKind.InvalidArgument => Problem.Result(400, $"Bad Request: {ex.Message}"),
                ChamiErrorKind.NotFound => Problem.Result(404, $"Not Found: {ex.Message}"),
                _ => Problem.Result(409, $"Already exists: {ex.Target}"),
            };
        }
    }

    private static async Task<BootParams?> ReadBodyAsync(HttpRequest request)
    {
        if (request.ContentLength is 0 || (request.ContentLength is null && !request.Headers.TransferEncoding.Any())) return null;
        using var reader = new StreamReader(request.Body);
        var text = await reader.ReadToEndAsync().ConfigureAwait(false);
        return string.IsNullOrWhiteSpace(text) ? null : ChamiJson.Deserialize<BootParams>(text);
    }

    /// <summary>Repeated and comma-separated values, trimmed, empty ones dropped.</summary>
    private static IEnumerable<string> Values(StringValues values) =>
        values.SelectMany(v => (v ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static string? First(StringValues values) => values.FirstOrDefault(v => !string.IsNullOrWhiteSpace(v))?.Trim();

    /// <summary>Decimal or 0x hex, 0 to 2^31-1.</summary>
    internal static bool TryParseNid(string text, out long nid)
    {
        var t = text.Trim();
        var ok = t.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? long.TryParse(t[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out nid)
            : long.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out nid);
        return ok && nid is >= 0 and <= int.MaxValue;
    }

    private static readonly string Version =
        typeof(BssApi).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? typeof(BssApi).Assembly.GetName().Version?.ToString() ?? "0.0.0";

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

    private static IResult Json(JsonObject body, int status = 200) => Results.Json(body, ChamiJson.Options, JsonType, status);
}
