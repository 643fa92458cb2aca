using OpenChami.Core.Errors;
using OpenChami.Core.Model;
using OpenChami.Core.Xnames;

namespace OpenChami.Core.Inventory;

// ComponentEndpoints: what a RedfishEndpoint fronts (its Systems and Managers), written by the ingestion.
public sealed partial class RedfishEndpointService
{
    public ComponentEndpoint? FindComponentEndpoint(string xname) =>
        Xname.TryParse(xname, out var id, out _) ? store.Read(s => s.Collection<ComponentEndpoint>().Get(id)) : null;

    public IReadOnlyList<ComponentEndpoint> QueryComponentEndpoints(ComponentEndpointQuery? query = null) => store.Read(s =>
    {
        query ??= new ComponentEndpointQuery();
        return s.Collection<ComponentEndpoint>().All()
            .Where(c => query.Id.Matches(c.ID)
                && query.RedfishEndpoint.Matches(c.RedfishEndpointID)
                && query.Type.Matches(c.Type)
                && query.RedfishType.Matches(c.RedfishType, StringComparer.OrdinalIgnoreCase))
            .OrderBy(c => c.ID, XnameComparer.Instance)
            .ToList();
    });

    /// <summary>The ComponentEndpoints of one endpoint (power control: which Systems a BMC fronts).</summary>
    public IReadOnlyList<ComponentEndpoint> ComponentEndpointsOf(string endpointXname)
    {
        var id = Xname.Parse(endpointXname);
        return store.Read(s => s.Collection<ComponentEndpoint>().Find(c => c.RedfishEndpointID == id));
    }

    public ComponentEndpoint DeleteComponentEndpoint(string xname)
    {
        var id = Xname.TryParse(xname, out var parsed, out _)
            ? parsed
            : throw ChamiException.Invalid("InvalidXname", "Argument was not a valid xname ID", xname);
        return store.Write(s =>
        {
            var ces = s.Collection<ComponentEndpoint>();
            var ce = ces.Get(id) ?? throw ChamiException.NotFound("ComponentEndpointNotFound", "no such xname.", id);
            ces.Delete(id);
            MarkEmpty(s, [id]);
            return ce;
        });
    }

    public int DeleteAllComponentEndpoints() => store.Write(s =>
    {
        var ids = s.Collection<ComponentEndpoint>().All().Select(c => c.ID).ToList();
        if (ids.Count == 0) throw NoEntries();
        s.Collection<ComponentEndpoint>().DeleteAll();
        MarkEmpty(s, ids);
        return ids.Count;
    });
}
