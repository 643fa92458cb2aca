namespace OpenChami.Core.Errors;

/// <summary>
/// The one exception type Core throws for expected failures. <see cref="ErrorId"/> is stable
/// (PowerShell FullyQualifiedErrorId prefix, logged by HTTP) and <see cref="Kind"/> picks the
/// HTTP status / ErrorCategory. The message is what an operator or HTTP client reads.
/// </summary>
public sealed class ChamiException : Exception
{
    public ChamiException(ChamiErrorKind kind, string errorId, string message, string? target = null, Exception? inner = null)
        : base(message, inner)
    {
        Kind = kind;
        ErrorId = errorId;
        Target = target;
    }

    public ChamiErrorKind Kind { get; }

    /// <summary>Stable identifier such as <c>NodeNotFound</c> or <c>InvalidXname</c>.</summary>
    public string ErrorId { get; }

    /// <summary>The xname, MAC, group... the error is about, when there is one.</summary>
    public string? Target { get; }

    public static ChamiException Invalid(string errorId, string message, string? target = null) =>
        new(ChamiErrorKind.InvalidArgument, errorId, message, target);

    public static ChamiException NotFound(string errorId, string message, string? target = null) =>
        new(ChamiErrorKind.NotFound, errorId, message, target);

    public static ChamiException Conflict(string errorId, string message, string? target = null) =>
        new(ChamiErrorKind.Conflict, errorId, message, target);

    public static ChamiException Unavailable(string errorId, string message, string? target = null, Exception? inner = null) =>
        new(ChamiErrorKind.Unavailable, errorId, message, target, inner);
}
