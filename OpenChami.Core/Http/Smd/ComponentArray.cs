using OpenChami.Core.Model;

namespace OpenChami.Core.Http.Smd;

/// <summary>The <c>{"Components":[..]}</c> wrapper; an empty list is <c>[]</c>, never null.</summary>
public sealed record ComponentArray(IReadOnlyList<Component> Components);
