using OpenChami.Core.Discovery;
using OpenChami.Core.Errors;
using OpenChami.Core.Model;
using OpenChami.Core.Storage;
using OpenChami.Core.Xnames;

namespace OpenChami.Core.Power;

/// <summary>
/// Power targets from SMD data, as PCS reads it (spec §4.5, smd.md §3.3): the component's ComponentEndpoint
/// gives the BMC address (<c>RedfishEndpointFQDN</c>, port kept), the Redfish path (<c>OdataID</c>) and the reset
/// action (<c>target</c>, <c>ResetType@Redfish.AllowableValues</c>, <c>@Redfish.ActionInfo</c>); the credential is
/// the one stored for its RedfishEndpoint (else the <c>default</c> entry).
/// </summary>
public sealed class StorePowerTargetResolver(IChamiStore store, ICredentialStore credentials, Func<string> defaultScheme) : IPowerTargetResolver
{
    /// <summary>Credential-store key used when a BMC has no entry of its own (spec §2.6).</summary>
    public const string DefaultCredentialKey = "default";

    public PowerTarget Resolve(string xname)
    {
        var id = Xname.Parse(xname);
        var (endpoint, component) = store.Read(s => (s.Collection<ComponentEndpoint>().Get(id), s.Collection<Component>().Get(id)));
        if (endpoint is null)
        {
            throw component is null
                ? ChamiException.NotFound("PowerTargetNotFound", $"Xname not found in HSM: {id}", id)
                : ChamiException.NotFound("PowerTargetNotFound", $"No power control for component type {component.Type}: {id} has no Redfish endpoint (discover its BMC first)", id);
        }

        var reset = endpoint.GetResetAction()
            ?? throw ChamiException.NotFound("PowerTargetNotFound", $"No power control for {id}: its Redfish {endpoint.RedfishType} has no reset action", id);
        // The endpoint itself: its address when the CE has none, and the TLS choice remembered for it.
        var rfe = store.Read(s => s.Collection<RedfishEndpoint>().Get(endpoint.RedfishEndpointID));
        var fqdn = endpoint.RedfishEndpointFQDN;
        if (string.IsNullOrEmpty(fqdn)) fqdn = rfe?.FQDN ?? string.Empty;

        if (string.IsNullOrEmpty(fqdn))
        {
            throw ChamiException.NotFound("PowerTargetNotFound", $"No power control for {id}: its Redfish endpoint {endpoint.RedfishEndpointID} has no address", id);
        }

        var stored = credentials.Get(endpoint.RedfishEndpointID) ?? credentials.Get(DefaultCredentialKey);
        return new PowerTarget
        {
            Xname = id,
            BmcXname = endpoint.RedfishEndpointID,
            BmcBaseUrl = fqdn.Contains("://", StringComparison.Ordinal) ? fqdn.TrimEnd('/') : $"{defaultScheme()}://{fqdn.TrimEnd('/')}",
            SystemPath = endpoint.OdataID,
            ResetTarget = reset.Target,
            AllowedResetTypes = reset.AllowableValues,
            ActionInfo = reset.ActionInfo,
            Credential = stored is { User.Length: > 0 } ? new BmcCredential(stored.User, stored.Secret) : null,
            RedfishType = endpoint.RedfishType,
            SkipCertificateCheck = rfe?.SkipCertificateCheck == true,
        };
    }

    public IReadOnlyList<string> ListXnames() => store.Read(s => s.Collection<ComponentEndpoint>()
            .Find(c => c.RedfishType == RedfishTypes.ComputerSystem))
        .Select(c => c.ID).Order(XnameComparer.Instance).ToList();
}
