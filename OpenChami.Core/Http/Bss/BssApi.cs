using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Primitives;
using OpenChami.Core.Boot;
using OpenChami.Core.Errors;
using OpenChami.Core.Model;
using OpenChami.Core.Serialization;

namespace OpenChami.Core.Http.Bss;

/// <summary><c>/boot/v1</c> (spec/bss.md §2). Handlers parse, call one Core Boot service, and shape the reply.</summary>
public static class BssApi
{
    // The spec's headers are exact, upper-case charset included (Results.Text would lower it).
    internal const string JsonType = "application/json; charset=UTF-8";
    private const string ScriptType = "text/plain; charset=UTF-8";
    private const string ReferralHeader = "BSS-Referral-Token";

    // The bootscript's query parameters (spec/bss.md §5.1); any other is refused as upstream refuses it.
    private static readonly string[] BootScriptParameters = ["mac", "name", "nid", "arch", "retry", "ts", "json"];

    public static IEndpointRouteBuilder MapBssApi(this IEndpointRouteBuilder app)
    {
        var bss = app.MapGroup("/boot/v1").WithTags("bss");
        bss.MapGet("/bootscript", GetBootScript).WithName(nameof(GetBootScript))
            .Produces<string>(StatusCodes.Status200OK, ScriptType).Produces<BootScriptJson>(StatusCodes.Status200OK, JsonType).ProducesProblem(400).ProducesProblem(404);
        bss.MapGet("/bootparameters", GetBootParameters).WithName(nameof(GetBootParameters))
            .Produces<IReadOnlyList<BootParams>>(StatusCodes.Status200OK, JsonType).ProducesProblem(400).ProducesProblem(404);
        bss.MapPost("/bootparameters", PostBootParameters).WithName(nameof(PostBootParameters)).ProducesProblem(400);
        bss.MapPut("/bootparameters", PutBootParameters).WithName(nameof(PutBootParameters)).ProducesProblem(400);
        bss.MapPatch("/bootparameters", PatchBootParameters).WithName(nameof(PatchBootParameters)).ProducesProblem(400).ProducesProblem(404);
        bss.MapDelete("/bootparameters", DeleteBootParameters).WithName(nameof(DeleteBootParameters)).ProducesProblem(400).ProducesProblem(404);
        bss.MapGet("/hosts", GetHosts).WithName(nameof(GetHosts)).Produces<IReadOnlyList<SmComponent>>(StatusCodes.Status200OK, JsonType).ProducesProblem(400);
        bss.MapPost("/hosts", PostHosts).WithName(nameof(PostHosts));
        bss.MapGet("/dumpstate", GetDumpState).WithName(nameof(GetDumpState)).Produces<BootDumpState>(StatusCodes.Status200OK, JsonType);
        bss.MapGet("/endpoint-history", GetEndpointHistory).WithName(nameof(GetEndpointHistory))
            .Produces<IReadOnlyList<EndpointAccess>>(StatusCodes.Status200OK, JsonType).ProducesProblem(400);
        bss.MapBssServiceApi();
        return app;
    }

    public static Results<FileContentHttpResult, JsonHttpResult<BootScriptJson>, ProblemResult> GetBootScript(HttpRequest request, ChamiServices services)
    {
        var q = request.Query;
        var host = request.Host.HasValue ? request.Host.Value : null;
        if (q.Keys.FirstOrDefault(k => !BootScriptParameters.Contains(k, StringComparer.Ordinal)) is { } unknown)
        {
            return ProblemResult.BadRequest($"Unknown parameter: {unknown}");
        }
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
        if (!boot.HasSelector) return ProblemResult.BadRequest("Need a mac=, name=, or nid= parameter");
        if (int.TryParse(First(q["json"]), NumberStyles.Integer, CultureInfo.InvariantCulture, out var json) && json != 0)
        {
            return Json(services.BootScripts.GetJson(boot));
        }
        return Script(services.BootScripts.GetScript(boot).Script);
    }

    public static async Task<Results<JsonHttpResult<IReadOnlyList<BootParams>>, ProblemResult>> GetBootParameters(HttpRequest request, ChamiServices services)
    {
        var query = new BootParamsQuery();
        foreach (var name in Values(request.Query["name"])) query.Names.Add(name);
        foreach (var mac in Values(request.Query["mac"])) query.Macs.Add(mac);
        foreach (var nid in Values(request.Query["nid"]))
        {
            if (!TryParseNid(nid, out var n)) return InvalidNid(nid);
            query.Nids.Add(n);
        }
        if (await ReadBodyAsync(request).ConfigureAwait(false) is { } body)
        {
            query.Names.AddRange(body.Hosts ?? []);
            query.Macs.AddRange(body.Macs ?? []);
            query.Nids.AddRange(body.Nids ?? []);
            query.Groups.AddRange(body.Groups ?? []);
            query.Kernel = body.Kernel;
            query.Initrd = body.Initrd;
        }
        var result = ChamiErrorMapping.Reword(() => services.BootParams.Get(query), BootParametersError);
        if (result.Count == 0 && query.HasIdentities) return ProblemResult.NotFound("Cannot find boot parameters for requested Hosts, MACs or NIDs");
        return Json(result);
    }

    public static async Task<Created> PostBootParameters(HttpRequest request, HttpResponse response, ChamiServices services)
    {
        var body = await ReadBodyAsync(request).ConfigureAwait(false) ?? new BootParams();
        try
        {
            response.Headers[ReferralHeader] = ChamiErrorMapping.Reword(() => services.BootParams.Create(body), BootParametersError);
        }
        catch (ChamiException ex) when (ex.Kind == ChamiErrorKind.Conflict)
        {
            // Upstream answers a POST of an existing identity with 400, and clients test for it (spec/bss.md §4.2).
            throw new ChamiException(ChamiErrorKind.InvalidArgument, ex.ErrorId, ex.Message, ex.Target, ex);
        }
        WarnAboutHosts(response, body);
        return TypedResults.Created();
    }

    public static async Task<Ok> PutBootParameters(HttpRequest request, HttpResponse response, ChamiServices services)
    {
        var body = await ReadBodyAsync(request).ConfigureAwait(false) ?? new BootParams();
        response.Headers[ReferralHeader] = ChamiErrorMapping.Reword(() => services.BootParams.Replace(body), BootParametersError);
        WarnAboutHosts(response, body);
        return TypedResults.Ok();
    }

    public static async Task<Ok> PatchBootParameters(HttpRequest request, ChamiServices services)
    {
        var body = await ReadBodyAsync(request).ConfigureAwait(false) ?? new BootParams();
        ChamiErrorMapping.Reword(() => services.BootParams.Update(body), BootParametersError);
        return TypedResults.Ok();
    }

    public static async Task<Ok> DeleteBootParameters(HttpRequest request, ChamiServices services)
    {
        var body = await ReadBodyAsync(request).ConfigureAwait(false) ?? new BootParams();
        ChamiErrorMapping.Reword(() => services.BootParams.Delete(body), BootParametersError);
        return TypedResults.Ok();
    }

    public static Results<JsonHttpResult<IReadOnlyList<SmComponent>>, ProblemResult> GetHosts(HttpRequest request, ChamiServices services)
    {
        var nids = new List<long>();
        foreach (var nid in Values(request.Query["nid"]))
        {
            if (!TryParseNid(nid, out var n)) return InvalidNid(nid);
            nids.Add(n);
        }
        return Json(services.BootScripts.Hosts(Values(request.Query["name"]).ToList(), Values(request.Query["mac"]).ToList(), nids));
    }

    // In-process SMD is read live on every request: there is no snapshot to refresh.
    public static NoContent PostHosts(HttpResponse response)
    {
        response.Headers.CacheControl = "no-cache";
        return TypedResults.NoContent();
    }

    public static JsonHttpResult<BootDumpState> GetDumpState(ChamiServices services) => Json(services.BootScripts.DumpState());

    public static JsonHttpResult<IReadOnlyList<EndpointAccess>> GetEndpointHistory(HttpRequest request, ChamiServices services) =>
        Json(services.BootScripts.History(First(request.Query["name"]), First(request.Query["endpoint"])));

    /// <summary>BSS's JSON replies: the spec's exact Content-Type, optionally another status.</summary>
    internal static JsonHttpResult<T> Json<T>(T value, int status = StatusCodes.Status200OK) => TypedResults.Json(value, ChamiJson.Options, JsonType, status);

    private static FileContentHttpResult Script(string script) => TypedResults.Bytes(System.Text.Encoding.UTF8.GetBytes(script), ScriptType);

    /// <summary>
    /// Hosts that are accepted as upstream accepts them but will likely not boot (a BMC's xname) are named in
    /// <c>Warning: 299 openchami "..."</c> headers (RFC 7234 §5.5): the writer sees them at once, upstream clients ignore them.
    /// </summary>
    private static void WarnAboutHosts(HttpResponse response, BootParams body)
    {
        foreach (var warning in BootParamsService.IdentitiesOf(body).Select(id => id.HostWarning).OfType<string>())
        {
            response.Headers.Append("Warning", $"299 openchami \"{warning.Replace("\"", "'", StringComparison.Ordinal)}\"");
        }
    }

    private static ProblemResult InvalidNid(string nid) => ProblemResult.BadRequest($"Bad Request - Invalid nid '{nid}'");

    /// <summary>BSS's wording of a refused boot-parameters change (spec/bss.md §2): the service's reason behind the spec's prefix.</summary>
    private static string? BootParametersError(ChamiException ex) => ex.Kind switch
    {
        ChamiErrorKind.InvalidArgument => $"Bad Request: {ex.Message}",
        ChamiErrorKind.NotFound => $"Not Found: {ex.Message}",
        ChamiErrorKind.Conflict => $"Already exists: {ex.Target}",
        _ => null,
    };

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
}
