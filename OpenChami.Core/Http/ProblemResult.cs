using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using OpenChami.Core.Serialization;

namespace OpenChami.Core.Http;

/// <summary>
/// An error reply as the specs write it (spec/smd.md §10.1): <c>application/problem+json</c>, keys type, title, detail,
/// status. Our own typed result because ASP.NET Core's <c>NotFound&lt;ProblemDetails&gt;</c> is sent as application/json
/// and its ProblemDetails puts status before detail. A handler's union type names it; <c>.ProducesProblem(status)</c>
/// on the route documents which statuses it carries.
/// </summary>
public sealed class ProblemResult : IResult, IStatusCodeHttpResult, IValueHttpResult, IValueHttpResult<ProblemBody>, IContentTypeHttpResult
{
    public const string MediaType = "application/problem+json";

    public ProblemResult(int statusCode, string detail)
    {
        StatusCode = statusCode;
        Value = new ProblemBody { Title = ReasonPhrases.GetReasonPhrase(statusCode), Detail = detail, Status = statusCode };
    }

    public int StatusCode { get; }

    public ProblemBody Value { get; }

    public string ContentType => MediaType;

    int? IStatusCodeHttpResult.StatusCode => StatusCode;

    object? IValueHttpResult.Value => Value;

    public static ProblemResult BadRequest(string detail) => new(StatusCodes.Status400BadRequest, detail);

    public static ProblemResult NotFound(string detail) => new(StatusCodes.Status404NotFound, detail);

    public Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.StatusCode = StatusCode;
        return httpContext.Response.WriteAsJsonAsync(Value, ChamiJson.Options, MediaType);
    }
}
