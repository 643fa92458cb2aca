using OpenChami.Core.Boot;
using OpenChami.Core.Xnames;

namespace OpenChami.Core.CloudInit;

/// <summary>
/// Puts each known node's own signed seed (<c>/cloud-init/n/&lt;token&gt;/</c>) into its kernel command line,
/// so it gets exactly its own cloud-init data even behind NAT, and no node can read another's.
/// Nodes BSS does not know fall back to the shared seed (identified by source address).
/// </summary>
public sealed class SignedCloudInitSeedProvider(CloudInitSeedService seeds) : ICloudInitSeedProvider
{
    public string? GetSeedUrl(CloudInitSeedRequest request) =>
        request.Xname is { } xname && Xname.GetHmsType(xname) is HmsType.Node or HmsType.VirtualNode
            ? seeds.SeedUrlFor(xname, request.CloudInitBaseUrl)
            : DefaultCloudInitSeedProvider.Instance.GetSeedUrl(request);
}
