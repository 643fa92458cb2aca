namespace OpenChami.Core.Errors;

/// <summary>
/// What went wrong, independent of the front end. HTTP maps it to a status code,
/// PowerShell to an ErrorCategory (see ChamiErrorMapping in each front end).
/// </summary>
public enum ChamiErrorKind
{
    InvalidArgument,
    NotFound,
    Conflict,
    Unauthorized,
    Forbidden,
    Unavailable,
    NotSupported,
    Internal,
}
