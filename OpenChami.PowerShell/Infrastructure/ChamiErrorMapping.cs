using System.Management.Automation;
using OpenChami.Core.Errors;

namespace OpenChami.PowerShell.Infrastructure;

/// <summary>The one mapping from Core failures to PowerShell ErrorRecords.</summary>
public static class ChamiErrorMapping
{
    public static ErrorCategory CategoryOf(ChamiErrorKind kind) => kind switch
    {
        ChamiErrorKind.InvalidArgument => ErrorCategory.InvalidArgument,
        ChamiErrorKind.NotFound => ErrorCategory.ObjectNotFound,
        ChamiErrorKind.Conflict => ErrorCategory.ResourceExists,
        ChamiErrorKind.Unauthorized => ErrorCategory.AuthenticationError,
        ChamiErrorKind.Forbidden => ErrorCategory.PermissionDenied,
        ChamiErrorKind.Unavailable => ErrorCategory.ResourceUnavailable,
        ChamiErrorKind.NotSupported => ErrorCategory.NotImplemented,
        _ => ErrorCategory.NotSpecified,
    };

    public static ErrorRecord ToErrorRecord(ChamiException exception, object? target = null) =>
        new(exception, exception.ErrorId, CategoryOf(exception.Kind), target ?? exception.Target)
        {
            ErrorDetails = new ErrorDetails(exception.Message),
        };

    public static ErrorRecord ToErrorRecord(string errorId, ErrorCategory category, string message, object? target = null) =>
        new(new InvalidOperationException(message), errorId, category, target);
}
