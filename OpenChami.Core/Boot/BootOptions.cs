using System.Globalization;

namespace OpenChami.Core.Boot;

/// <summary>
/// BSS settings (spec/bss.md §7). Unset URLs are derived per request from its Host header, so a
/// server reached as http://10.0.2.2:8081 by a VM hands out chain and seed URLs that VM can reach.
/// </summary>
public sealed class BootOptions
{
    /// <summary>Base of chain URLs (<c>&lt;base&gt;/boot/v1/bootscript?...</c>); null = <c>http://&lt;request Host&gt;</c>.</summary>
    public string? ChainBaseUrl { get; set; }

    /// <summary>Base of the cloud-init seed (<c>ds=nocloud-net;s=&lt;value&gt;/</c>); null = <c>&lt;chain base&gt;/cloud-init</c>.</summary>
    public string? CloudInitUrl { get; set; }

    /// <summary>Seconds a node waits before retrying after a failed kernel/initrd download.</summary>
    public int RetryDelay { get; set; } = 30;

    /// <summary>Seconds an unknown node sleeps before asking again (with its architecture).</summary>
    public int HsmRetrievalDelay { get; set; } = 10;

    /// <summary>
    /// Base URL of the S3 service boot images live in (<c>http://172.16.0.254:9000</c>): <c>s3://bucket/key</c> kernels and
    /// initrds are served to iPXE as <c>&lt;S3Endpoint&gt;/bucket/key</c>; null refuses <c>s3://</c> URLs when written.
    /// </summary>
    public string? S3Endpoint { get; set; }

    /// <summary>Reads upstream's environment names (BSS_CHAIN_PROTO + BSS_IPXE_SERVER + BSS_GW_URI, BSS_ADVERTISE_ADDRESS, BSS_RETRY_DELAY, BSS_HSM_RETRIEVAL_DELAY, BSS_S3_ENDPOINT or S3_ENDPOINT).</summary>
    public static BootOptions FromEnvironment(Func<string, string?>? getenv = null)
    {
        getenv ??= Environment.GetEnvironmentVariable;
        var options = new BootOptions();
        var server = getenv("BSS_IPXE_SERVER");
        if (!string.IsNullOrWhiteSpace(server))
        {
            var proto = getenv("BSS_CHAIN_PROTO") is { Length: > 0 } p ? p : "http";
            options.ChainBaseUrl = $"{proto}://{server}{getenv("BSS_GW_URI")}".TrimEnd('/');
        }
        if (getenv("BSS_ADVERTISE_ADDRESS") is { Length: > 0 } advertise) options.CloudInitUrl = advertise.TrimEnd('/');
        if ((getenv("BSS_S3_ENDPOINT") is { Length: > 0 } s3 ? s3 : getenv("S3_ENDPOINT")) is { Length: > 0 } s3Endpoint) options.S3Endpoint = s3Endpoint.TrimEnd('/');
        if (int.TryParse(getenv("BSS_RETRY_DELAY"), NumberStyles.None, CultureInfo.InvariantCulture, out var retry)) options.RetryDelay = retry;
        if (int.TryParse(getenv("BSS_HSM_RETRIEVAL_DELAY"), NumberStyles.None, CultureInfo.InvariantCulture, out var hsm)) options.HsmRetrievalDelay = hsm;
        return options;
    }

    public string ChainBase(string? requestHost) =>
        ChainBaseUrl?.TrimEnd('/') ?? $"http://{(string.IsNullOrEmpty(requestHost) ? "127.0.0.1:8081" : requestHost)}";

    public string CloudInitBase(string? requestHost) => CloudInitUrl?.TrimEnd('/') ?? ChainBase(requestHost) + "/cloud-init";
}

/// <summary>What the seed provider knows about the booting node.</summary>
public sealed record CloudInitSeedRequest(string CloudInitBaseUrl, string? Xname, string? MacAddress);

/// <summary>
/// Builds the <c>s=</c> value of the <c>ds=nocloud-net</c> kernel argument. The one place the seed
/// URL is made, so per-node signed seeds (<c>/cloud-init/n/&lt;token&gt;/</c>) plug in here.
/// </summary>
public interface ICloudInitSeedProvider
{
    /// <summary>The seed URL, ending in '/' (cloud-init before 23.4 does not add one); null = add no <c>ds=</c>.</summary>
    string? GetSeedUrl(CloudInitSeedRequest request);
}

/// <summary>The shared seed <c>&lt;base&gt;/cloud-init/</c>: cloud-init identifies the node by its address.</summary>
public sealed class DefaultCloudInitSeedProvider : ICloudInitSeedProvider
{
    public static DefaultCloudInitSeedProvider Instance { get; } = new();

    public string? GetSeedUrl(CloudInitSeedRequest request) => request.CloudInitBaseUrl.TrimEnd('/') + "/";
}
