using OpenChami.Core.Model;

namespace OpenChami.Core.Http.Smd;

/// <summary>Input form of <see cref="NodeMapArray"/>.</summary>
public sealed class NodeMapArrayInput
{
    public List<NodeMap>? NodeMaps { get; set; }
}
