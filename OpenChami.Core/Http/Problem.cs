using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using OpenChami.Core.Errors;

namespace OpenChami.Core.Http;

/// <summary>RFC 7807 body with the spec's key order: type, title, detail, status.</summary>
public sealed class ProblemBody
{
    [JsonPropertyName("type")]
    public string Type { get; init; } = "about:blank";

    [JsonPropertyName("title")]
    public string Title { get; init; } = string.Empty;

    [JsonPropertyName("detail")]
    public string Detail { get; init; } = string.Empty;

    [JsonPropertyName("status")]
    public int Status { get; init; }
}

/// <summary>The one error mapping for HTTP: ChamiException kinds to status codes, and the problem+json writer.</summary>
public static class Problem
{
    public const string ContentType = "application/problem+json";

    public static int StatusOf(ChamiErrorKind kind) => kind switch
    {
        ChamiErrorKind.InvalidArgument => StatusCodes.Status400BadRequest,
        ChamiErrorKind.NotFound => StatusCodes.Status404NotFound,
        ChamiErrorKind.Conflict => StatusCodes.Status409Conflict,
        ChamiErrorKind.Unauthorized => StatusCodes.Status401Unauthorized,
        ChamiErrorKind.Forbidden => StatusCodes.Status403Forbidden,
        ChamiErrorKind.Unavailable => StatusCodes.Status503ServiceUnavailable,
        ChamiErrorKind.NotSupported => StatusCodes.Status400BadRequest,
        _ => StatusCodes.Status500InternalServerError,
    };

    public static ProblemBody Create(int status, string detail) => new()
    {
        Title = ReasonPhrases.GetReasonPhrase(status),
        Detail = detail,
        Status = status,
    };

    /// <summary>A typed result handlers can return: <c>return Problem.Result(404, "no such xname.")</c>.</summary>
    public static IResult Result(int status, string detail) =>
        TypedResults.Json(Create(status, detail), Serialization.ChamiJson.Options, ContentType, status);

    public static IResult Result(ChamiException ex) => Result(StatusOf(ex.Kind), ex.Message);

    public static Task WriteAsync(HttpContext context, int status, string detail)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = ContentType;
        return context.Response.WriteAsync(Serialization.ChamiJson.Serialize(Create(status, detail)));
    }
}
