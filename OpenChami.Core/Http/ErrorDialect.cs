namespace OpenChami.Core.Http;

/// <summary>
/// The body format a route's wire contract gives its errors: the one parameter of <see cref="ChamiErrorMapping"/>.
/// A route states it with <c>.WithErrorDialect(...)</c>; without one it is <see cref="Problem"/>.
/// </summary>
public enum ErrorDialect
{
    /// <summary>problem+json whose detail is Core's message (spec/smd.md §10): SMD, BSS, PCS and the server's own routes.</summary>
    Problem,

    /// <summary>
    /// cloud-init's plain text, the message and a newline; a store failure is a 500 (spec/cloud-init.md §7). Its two
    /// problem+json exceptions stay problem+json: a refused seed token (§3.0) and base64 content that does not decode (§5.4).
    /// </summary>
    CloudInit,

    /// <summary>As <see cref="CloudInit"/>, for the routes that store a group body: an invalid one is 422, not 400 (spec/cloud-init.md §7).</summary>
    CloudInitGroupBody,

    /// <summary>boot-service and metadata-service: <c>{"error": "..."}</c> (spec/boot-service.md §2); a failure of ours stays problem+json.</summary>
    Resource,
}
