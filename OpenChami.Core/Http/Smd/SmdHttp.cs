using System.Text.Json;
using Microsoft.AspNetCore.Http;
using OpenChami.Core.Errors;
using OpenChami.Core.Serialization;

namespace OpenChami.Core.Http.Smd;

/// <summary>Small helpers every SMD handler shares: body reading, reply shapes, spec wording of errors.</summary>
public static class SmdHttp
{
    public const string Prefix = "/hsm/v2";

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
    public static IResult Message(string message) => TypedResults.Json(new SmdMessage(0, message), ChamiJson.Options);

    public static IResult Deleted(int count) =>
        count == 0 ? Problem.Result(404, "no entries to delete") : Message(count == 1 ? "deleted 1 entry" : $"deleted {count} entries");

    /// <summary>201 with Location and the array form <c>[{"URI":"..."}]</c> (groups, partitions, members).</summary>
    public static IResult CreatedArray(params string[] paths) =>
        TypedResults.Created(Prefix + paths[0], paths.Select(p => new ResourceUri(Prefix + p)).ToList());

    /// <summary>201 with Location and the single form <c>{"URI":"..."}</c> (EthernetInterfaces, IPAddresses).</summary>
    public static IResult Created(string path) => TypedResults.Created(Prefix + path, new ResourceUri(Prefix + path));

    /// <summary>
    /// Runs a service call and rewords its <see cref="ChamiException"/> with the detail text OpenCHAMI clients
    /// know (spec/smd.md §2): <paramref name="detail"/> returns the new wording, or null to keep Core's message.
    /// Status (kind) and ErrorId are kept.
    /// </summary>
    public static T Call<T>(Func<T> call, Func<ChamiException, string?> detail)
    {
        try
        {
            return call();
        }
        catch (ChamiException ex) when (detail(ex) is { } text)
        {
            throw new ChamiException(ex.Kind, ex.ErrorId, text, ex.Target, ex);
        }
    }

    public static void Call(Action call, Func<ChamiException, string?> detail) =>
        Call<bool>(() => { call(); return true; }, detail);

    /// <summary>Prefixes validation failures: <c>couldn't validate components: state 'FAKE' is invalid</c>.</summary>
    public static Func<ChamiException, string?> Validation(string prefix) =>
        ex => ex.Kind == ChamiErrorKind.InvalidArgument ? prefix + ex.Message : null;
}

/// <summary>SMD's <c>{"URI":"/hsm/v2/..."}</c>.</summary>
public sealed record ResourceUri(string URI);
