using OpenChami.Core.Model;
using OpenChami.Core.Storage;

namespace OpenChami.Core.Discovery;

/// <summary>
/// The one place BMC secrets are kept, keyed by RedfishEndpoint ID (BMC xname). Readable records
/// (RedfishEndpoint, exports, cmdlet output) never contain the secret; discovery and power control
/// ask here. Writes take the caller's session so a secret changes in the same transaction as its
/// endpoint. Encryption at rest will be added behind this interface without touching callers.
/// </summary>
public interface ICredentialStore
{
    /// <summary>The credential of an endpoint, or null when none is stored.</summary>
    EndpointCredential? Get(string endpointId);

    bool Exists(string endpointId);

    void Set(IStoreSession session, string endpointId, string user, string secret);

    void Remove(IStoreSession session, string endpointId);

    void RemoveAll(IStoreSession session);
}

/// <summary>Credentials in the store's own <c>credentials</c> collection (plain today; see ICredentialStore).</summary>
public sealed class StoreCredentialStore(IChamiStore store) : ICredentialStore
{
    public EndpointCredential? Get(string endpointId) => store.Read(s => s.Collection<EndpointCredential>().Get(endpointId));

    public bool Exists(string endpointId) => store.Read(s => s.Collection<EndpointCredential>().Exists(endpointId));

    public void Set(IStoreSession session, string endpointId, string user, string secret) =>
        session.Collection<EndpointCredential>().Upsert(new EndpointCredential { ID = endpointId, User = user, Secret = secret });

    public void Remove(IStoreSession session, string endpointId) => session.Collection<EndpointCredential>().Delete(endpointId);

    public void RemoveAll(IStoreSession session) => session.Collection<EndpointCredential>().DeleteAll();
}
