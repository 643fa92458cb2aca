using OpenChami.Core.Errors;
using OpenChami.Core.Model;
using OpenChami.Core.Storage;
using OpenChami.Core.Xnames;

namespace OpenChami.Core.Inventory;

/// <summary>Default NIDs and roles per node xname (SMD's NodeMaps): NIDs are positive and unique across maps.</summary>
public sealed class NodeMapService(IChamiStore store)
{
    public IReadOnlyList<NodeMap> All() => store.Read(s => s.Collection<NodeMap>().All());

    public NodeMap? Find(string xname) =>
        Xname.TryParse(xname, out var id, out _) ? store.Read(s => s.Collection<NodeMap>().Get(id)) : null;

    /// <summary>Normalizes and validates one map; <paramref name="index"/> is named in the message for bulk requests.</summary>
    public static NodeMap Prepare(NodeMap input, int? index = null)
    {
        try
        {
            var id = Xname.Parse(input.ID, HmsType.Node, HmsType.VirtualNode);
            if (input.NID <= 0) throw ChamiException.Invalid("InvalidNid", $"NID {input.NID} must be greater than 0", id);
            return new NodeMap
            {
                ID = id,
                NID = input.NID,
                Role = string.IsNullOrEmpty(input.Role) ? null : HmsValues.ParseRole(input.Role),
                SubRole = string.IsNullOrEmpty(input.SubRole) ? null : HmsValues.ParseSubRole(input.SubRole),
            };
        }
        catch (ChamiException ex) when (index is { } i)
        {
            throw new ChamiException(ex.Kind, ex.ErrorId, $"couldn't validate map data at idx {i}: {ex.Message}", ex.Target, ex);
        }
    }

    /// <summary>Creates or replaces maps, all or nothing; a NID already used by another xname is a conflict.</summary>
    public int Upsert(IReadOnlyList<NodeMap> input)
    {
        var maps = input.Select((m, i) => Prepare(m, input.Count > 1 ? i : null)).ToList();
        return store.Write(s =>
        {
            var collection = s.Collection<NodeMap>();
            var final = collection.All().ToDictionary(m => m.ID);
            foreach (var map in maps) final[map.ID] = map;
            if (final.Values.GroupBy(m => m.NID).FirstOrDefault(g => g.Count() > 1) is { } clash)
            {
                var culprit = clash.FirstOrDefault(m => maps.Contains(m)) ?? clash.First();
                throw ChamiException.Conflict("DuplicateNid",
                    $"NID {clash.Key} of {culprit.ID}: operation would conflict with an existing xname ID that has the same NID.", culprit.ID);
            }
            foreach (var map in maps) collection.Upsert(map);
            return maps.Count;
        });
    }

    public void Delete(string xname) => store.Write(s =>
    {
        if (!Xname.TryParse(xname, out var id, out _) || !s.Collection<NodeMap>().Delete(id))
        {
            throw ChamiException.NotFound("NodeMapNotFound", $"no such xname.", xname);
        }
    });

    public int DeleteAll() => store.Write(s => s.Collection<NodeMap>().DeleteAll());

    /// <summary>Fills NID, Role and SubRole of new Node components from their maps where the input left them out.</summary>
    internal static void ApplyDefaults(IStoreSession session, IReadOnlyList<Component> inputs, IReadOnlyList<Component> prepared)
    {
        var collection = session.Collection<NodeMap>();
        if (collection.Count() == 0) return;
        for (var i = 0; i < prepared.Count; i++)
        {
            if (prepared[i].Type is not (HmsType.Node or HmsType.VirtualNode) || collection.Get(prepared[i].ID) is not { } map) continue;
            if (inputs[i].NID is null) prepared[i].NID = map.NID;
            if (inputs[i].Role is null && map.Role is not null) prepared[i].Role = map.Role;
            if (inputs[i].SubRole is null && map.SubRole is not null) prepared[i].SubRole = map.SubRole;
        }
    }
}
