using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using OpenChami.Core.Errors;

namespace OpenChami.Core.Http;

/// <summary>
/// The one mapping from Core errors (<see cref="ChamiException"/> and its <see cref="ChamiErrorKind"/>) to HTTP replies,
/// used by every API: handlers throw, <see cref="ChamiPipeline"/> answers with <see cref="ToReply"/>. The status always
/// comes from <see cref="StatusOf"/>; the body is RFC 7807 problem+json (spec/smd.md §10) unless the route's
/// <see cref="ErrorDialect"/> says otherwise. A route whose contract words an error its own way rewords it with
/// <see cref="Reword{T}"/> and keeps the kind, so the status stays this mapping's.
/// </summary>
internal static class ChamiErrorMapping
{
    private const string PlainText = "text/plain; charset=utf-8";

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

    /// <summary>The reply to an exception a handler threw, in the body format of <paramref name="dialect"/>.</summary>
    public static IResult ToReply(Exception ex, ErrorDialect dialect)
    {
        if (ex is ChamiException chami && dialect is (ErrorDialect.CloudInit or ErrorDialect.CloudInitGroupBody) && !IsCloudInitProblem(chami))
        {
            var status = chami.Kind switch
            {
                ChamiErrorKind.Unavailable or ChamiErrorKind.Internal => StatusCodes.Status500InternalServerError,
                ChamiErrorKind.InvalidArgument when dialect == ErrorDialect.CloudInitGroupBody => StatusCodes.Status422UnprocessableEntity,
                _ => StatusOf(chami.Kind),
            };
            return TextError(status, chami.Message);
        }
        var (problemStatus, detail) = Classify(ex);
        if (dialect == ErrorDialect.Resource && problemStatus < 500) return Resources.ResourceApi.Error(problemStatus, detail);
        return new ProblemResult(problemStatus, detail);
    }

    /// <summary>cloud-init's plain-text error: the message and a newline (spec/cloud-init.md §1).</summary>
    public static ContentHttpResult TextError(int status, string message) => TypedResults.Text(message + "\n", PlainText, Encoding.UTF8, status);

    // The two cloud-init errors its spec makes problem+json: a refused seed token and undecodable base64 content.
    private static bool IsCloudInitProblem(ChamiException ex) =>
        ex.Kind == ChamiErrorKind.Forbidden || ex.Kind == ChamiErrorKind.InvalidArgument && ex.ErrorId == "InvalidCloudConfigEncoding";

    private static (int Status, string Detail) Classify(Exception ex) => ex switch
    {
        ChamiException chami => (StatusOf(chami.Kind), chami.Message),
        JsonException json => (400, $"error decoding JSON {json.Message}"),
        BadHttpRequestException { InnerException: JsonException json } => (400, $"error decoding JSON {json.Message}"),
        BadHttpRequestException bad => (bad.StatusCode, bad.Message),
        _ => (500, "internal server error"),
    };

    /// <summary>
    /// Runs a service call and rewords its <see cref="ChamiException"/> with the detail the route's contract fixes
    /// (SMD's <c>no such group.</c>, BSS's <c>Bad Request: &lt;reason&gt;</c>): <paramref name="detail"/> returns the new
    /// wording, or null to keep Core's message. Kind (so status) and ErrorId are kept.
    /// </summary>
    public static T Reword<T>(Func<T> call, Func<ChamiException, string?> detail)
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

    public static void Reword(Action call, Func<ChamiException, string?> detail) =>
        Reword<bool>(() => { call(); return true; }, detail);

    /// <summary>Declares the error body format of a route or group (read back by <see cref="DialectOf"/>).</summary>
    public static TBuilder WithErrorDialect<TBuilder>(this TBuilder builder, ErrorDialect dialect) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new DialectMetadata(dialect));

    public static ErrorDialect DialectOf(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<DialectMetadata>()?.Dialect ?? ErrorDialect.Problem;

    private sealed record DialectMetadata(ErrorDialect Dialect);
}
