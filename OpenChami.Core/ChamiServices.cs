using OpenChami.Core.Audit;
using OpenChami.Core.Boot;
using OpenChami.Core.Inventory;
using OpenChami.Core.Security;
using OpenChami.Core.Storage;

namespace OpenChami.Core;

/// <summary>
/// The services over one store. Cmdlets and HTTP handlers both take theirs from here, so a change
/// made one way is what the other sees next. Services are stateless apart from the store: no caches.
/// </summary>
public sealed class ChamiServices(IChamiStore store)
{
    public IChamiStore Store { get; } = store;

    public ComponentService Components { get; } = new(store);

    public NodeService Nodes { get; } = new(store);

    public EthernetInterfaceService EthernetInterfaces { get; } = new(store);

    public GroupService Groups { get; } = new(store);

    public AuditService Audit { get; } = new(store);

    public TokenService Tokens { get; } = new(store);

    public CertificateAuthority CertificateAuthority { get; } = new(store);

    public SecretProtector Secrets { get; } = new(store);

    public BootParamsService BootParams { get; } = new(store);

    public BootScriptService BootScripts { get; } = new(store);
}
