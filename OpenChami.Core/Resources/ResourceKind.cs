using System.Security.Cryptography;

namespace OpenChami.Core.Resources;

/// <summary>
/// A kind of resource: its <c>kind</c> and <c>apiVersion</c> as they appear on the wire, and the route plural
/// (spec/boot-service.md §2–3, spec/metadata-service.md §2).
/// </summary>
public sealed record ResourceKind(string Name, string ApiVersion, string Plural)
{
    /// <summary>A new uid as upstream makes them: the lower-case kind, a dash, 8 random hex digits.</summary>
    public string NewUid() => $"{Name.ToLowerInvariant()}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";
}
