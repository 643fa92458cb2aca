namespace OpenChami.Core.Http;

/// <summary>Request limits of every server: large enough for a 10,000-node bulk import, small enough to bound memory.</summary>
public static class ChamiServerOptionsLimits
{
    public const long MaxRequestBodyBytes = 32L * 1024 * 1024;
}
