using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using OpenChami.Core.Errors;
using OpenChami.Core.Serialization;

namespace OpenChami.Core.Http.Smd;

/// <summary>Small helpers every SMD handler shares: body reading, reply shapes, spec wording of errors.</summary>
public static class SmdHttp
{
    /// <summary>
    /// Reads a JSON body whatever the Content-Type (OpenCHAMI clients and curl examples often send none or
    /// form encoding). Malformed JSON, a wrong JSON type or an empty body is a JsonException, which the
    /// pipeline answers with 400 <c>error decoding JSON ...</c>.
    /// </summary>
    public static async Task<T> ReadJsonAsync<T>(HttpRequest request) where T : class =>
        await JsonSerializer.DeserializeAsync<T>(request.Body, ChamiJson.Options, request.HttpContext.RequestAborted).ConfigureAwait(false)
        ?? throw new JsonException("the request body is empty or null");

    /// <summary>Reads a JSON body as a document (query bodies with free-form filter keys).</summary>
    public static async Task<JsonElement> ReadJsonElementAsync(HttpRequest request) =>
        await JsonSerializer.DeserializeAsync<JsonElement>(request.Body, ChamiJson.Options, request.HttpContext.RequestAborted).ConfigureAwait(false);

    /// <summary><c>{"code":0,"message":"..."}</c> with 200.</summary>
    public static Ok<SmdMessage> Message(string message) => TypedResults.Ok(new SmdMessage(0, message));

    /// <summary>
    /// A DELETE of a whole collection: <c>deleted N entries</c> (upstream's words, <c>deleted 1 entries</c> too: clients
    /// match them; a DELETE of one resource says <c>deleted 1 entry</c>), 404 when it was already empty (spec/smd.md §2).
    /// </summary>
    public static Results<Ok<SmdMessage>, ProblemResult> Deleted(int count) =>
        count == 0 ? ProblemResult.NotFound("no entries to delete") : Message($"deleted {count} entries");

    /// <summary>201 with Location and the array form <c>[{"URI":"..."}]</c> (groups, partitions, members, RedfishEndpoints).</summary>
    public static Created<IReadOnlyList<ResourceUri>> CreatedArray(params IReadOnlyList<string> paths) =>
        TypedResults.Created(SmdApi.Prefix + paths[0], (IReadOnlyList<ResourceUri>)paths.Select(p => new ResourceUri(SmdApi.Prefix + p)).ToList());

    /// <summary>201 with Location and the single form <c>{"URI":"..."}</c> (EthernetInterfaces, IPAddresses).</summary>
    public static Created<ResourceUri> Created(string path) => TypedResults.Created(SmdApi.Prefix + path, new ResourceUri(SmdApi.Prefix + path));

    /// <summary>The values of one query parameter, its name matched case-insensitively.</summary>
    public static List<string> QueryValues(HttpRequest request, string name) =>
        request.Query.Where(kv => kv.Key.Equals(name, StringComparison.OrdinalIgnoreCase))
            .SelectMany(kv => kv.Value.Select(v => v ?? string.Empty)).ToList();

    /// <summary>Every query value with its parameter name in lower case (names are case-insensitive, spec/smd.md §5.1).</summary>
    public static IEnumerable<(string Name, string Value)> QueryPairs(IQueryCollection query) =>
        query.SelectMany(kv => kv.Value.Select(v => (kv.Key.ToLowerInvariant(), v ?? string.Empty)));

    /// <summary>The <c>partition</c> filter of group reads (the last one given wins).</summary>
    public static string? Partition(HttpRequest request) => QueryValues(request, "partition").LastOrDefault();

    /// <summary>SMD's wording of a bad group or partition filter.</summary>
    public static string? QueryError(ChamiException ex) => ex.ErrorId switch
    {
        "InvalidGroupLabel" => "Invalid group label.",
        "InvalidTag" => "Invalid tag.",
        "InvalidPartitionName" => "Invalid partition name.",
        _ => null,
    };

    /// <summary>SMD's wording of a refused group or partition member (<paramref name="what"/>: group or partition).</summary>
    public static Func<ChamiException, string?> MemberError(string what) => ex => ex.ErrorId switch
    {
        "InvalidXname" => ex.Message.StartsWith("invalid xname IDs", StringComparison.Ordinal) ? null : "invalid xname ID",
        "ComponentNotFound" => "linked component does not exist",
        "MemberExists" => $"operation would conflict with an existing member in the same {what}.",
        "ExclusiveGroupConflict" => "operation would conflict with an existing member in another exclusive group.",
        "PartitionMemberConflict" => "operation would conflict with an existing member in another partition.",
        _ => null,
    };

    /// <summary>
    /// Prefixes validation failures in upstream's exact words: <c>couldn't validate components: state 'FAKE' is invalid</c>
    /// (Core's list of valid values, useful at the prompt, is not part of them).
    /// </summary>
    public static Func<ChamiException, string?> Validation(string prefix) =>
        ex => ex.Kind == ChamiErrorKind.InvalidArgument
            ? prefix + (ex.Message.IndexOf(Model.HmsValues.ValidValues, StringComparison.Ordinal) is var cut and >= 0 ? ex.Message[..cut] : ex.Message)
            : null;
}
