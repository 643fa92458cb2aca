using OpenChami.Core.Errors;
using OpenChami.Core.Model;
using OpenChami.Core.Xnames;

namespace OpenChami.Core.Inventory;

// ServiceEndpoints: the Redfish services (UpdateService, EventService...) a RedfishEndpoint offers, found by discovery.
public sealed partial class RedfishEndpointService
{
    public IReadOnlyList<ServiceEndpoint> QueryServiceEndpoints(string? service = null, string? endpointXname = null)
    {
        var endpoint = endpointXname is null ? null : Xname.TryParse(endpointXname, out var id, out _) ? id : "\0";
        return store.Read(s => s.Collection<ServiceEndpoint>().All()
            .Where(e => (service is null || e.RedfishType.Equals(service, StringComparison.OrdinalIgnoreCase))
                && (endpoint is null || e.RedfishEndpointID == endpoint))
            .OrderBy(e => e.RedfishEndpointID, XnameComparer.Instance).ThenBy(e => e.RedfishType, StringComparer.Ordinal)
            .ToList());
    }

    /// <summary>Stores ServiceEndpoints found by discovery (replacing those of the same type and endpoint).</summary>
    public InventoryChangeSet UpsertServiceEndpoints(IEnumerable<ServiceEndpoint> serviceEndpoints) => store.Write(s =>
    {
        var changes = new InventoryChangeSet();
        var collection = s.Collection<ServiceEndpoint>();
        foreach (var se in serviceEndpoints)
        {
            se.RedfishEndpointID = Xname.Parse(se.RedfishEndpointID);
            se.Key = ServiceEndpoint.KeyOf(se.RedfishType, se.RedfishEndpointID);
            var existing = collection.Get(se.Key);
            changes.Record(InventoryObjectTypes.ServiceEndpoint, se.Key, collection.WriteIfChanged(existing, se));
        }
        return changes;
    });

    public ServiceEndpoint DeleteServiceEndpoint(string service, string endpointXname)
    {
        var id = Xname.TryParse(endpointXname, out var parsed, out _) ? parsed : throw ServiceNotFound();
        return store.Write(s =>
        {
            var collection = s.Collection<ServiceEndpoint>();
            var se = collection.All().FirstOrDefault(e => e.RedfishEndpointID == id && e.RedfishType.Equals(service, StringComparison.OrdinalIgnoreCase))
                ?? throw ServiceNotFound();
            collection.Delete(se.Key);
            return se;
        });
    }

    public int DeleteAllServiceEndpoints() => store.Write(s =>
    {
        var count = s.Collection<ServiceEndpoint>().DeleteAll();
        return count == 0 ? throw NoEntries() : count;
    });

    internal static ChamiException ServiceNotFound() =>
        ChamiException.NotFound("ServiceEndpointNotFound", "no such service under redfish endpoint.");
}
