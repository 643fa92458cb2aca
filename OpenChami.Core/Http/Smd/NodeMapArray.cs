using OpenChami.Core.Model;

namespace OpenChami.Core.Http.Smd;

/// <summary>The <c>{"NodeMaps":[..]}</c> wrapper.</summary>
public sealed record NodeMapArray(IReadOnlyList<NodeMap> NodeMaps);
