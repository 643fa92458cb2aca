using OpenChami.Core.Errors;

namespace OpenChami.Core.Boot;

/// <summary>
/// <c>s3://bucket/key</c> kernel and initrd URLs (spec/bss.md §5.5). iPXE cannot fetch <c>s3://</c>; upstream BSS turns
/// them into HTTP URLs of its S3 service. OpenChami maps <c>s3://bucket/key</c> to <c>&lt;S3Endpoint&gt;/bucket/key</c>
/// (path-style, which MinIO, Ceph RGW and SeaweedFS serve; an anonymous-read bucket as OpenCHAMI's image stores use).
/// Without an endpoint a write naming one is refused, so no script ever carries <c>s3://</c>.
/// </summary>
public static class S3BootUrl
{
    private const string Scheme = "s3://";

    public static bool IsS3(string? url) => url is not null && url.TrimStart().StartsWith(Scheme, StringComparison.OrdinalIgnoreCase);

    /// <summary>The URL iPXE fetches: an <c>s3://</c> URL under the endpoint, anything else unchanged.</summary>
    /// <exception cref="ChamiException">Unavailable: an <c>s3://</c> URL is stored but no endpoint is configured now.</exception>
    public static string Fetchable(string url, string? endpoint)
    {
        if (!IsS3(url)) return url;
        if (string.IsNullOrWhiteSpace(endpoint))
        {
            throw new ChamiException(ChamiErrorKind.Unavailable, "S3EndpointNotConfigured",
                $"'{url}' is an s3:// URL and no S3 endpoint is configured (BSS_S3_ENDPOINT): iPXE cannot fetch it", url);
        }
        return endpoint.TrimEnd('/') + "/" + url.Trim()[Scheme.Length..].TrimStart('/');
    }

    /// <summary>Refuses an <c>s3://</c> <paramref name="url"/> (field <paramref name="field"/>) when no endpoint is configured.</summary>
    public static void RequireFetchable(string? url, string field, string? endpoint)
    {
        if (!IsS3(url)) return;
        var bucketAndKey = url!.Trim()[Scheme.Length..];
        if (bucketAndKey.IndexOf('/', StringComparison.Ordinal) is <= 0 || bucketAndKey.EndsWith('/'))
        {
            throw ChamiException.Invalid("InvalidS3Url", $"{field} '{url}' is not s3://bucket/key", url);
        }
        if (!string.IsNullOrWhiteSpace(endpoint)) return;
        throw ChamiException.Invalid("S3EndpointNotConfigured",
            $"{field} '{url}' is an s3:// URL, which iPXE cannot fetch, and no S3 endpoint is configured to map it to (BSS_S3_ENDPOINT)", url);
    }
}
