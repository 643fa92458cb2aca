using OpenChami.Core.Model;

namespace OpenChami.Core.Boot;

/// <summary>A node the written entry applies to that boots from a more specific entry instead.</summary>
public sealed record BootParamsShadow(string Xname, BootIdentity Written, BootIdentity Winner)
{
    /// <summary>e.g. "x1000c0s0b0n0: the boot parameters set for MAC 52:54:00:be:ef:01 do not apply: the node-level entry for x1000c0s0b0n0 outranks them".</summary>
    public string Message => $"{Xname}: the boot parameters set for {Describe(Written)} do not apply: the {DescribeEntry(Winner)} outranks them";

    public override string ToString() => Message;

    /// <summary>How a selector reads in a sentence: "MAC 52:54:...", "group compute", "role Compute", "Default (arm64)".</summary>
    public static string Describe(BootIdentity id) => id.Kind switch
    {
        BootIdentityKind.Host => $"node {id.Value}",
        BootIdentityKind.Mac => $"MAC {id.Value}",
        BootIdentityKind.Nid => $"NID {id.Value}",
        BootIdentityKind.Group => $"group {id.Value}",
        _ when HmsValues.CanonicalRole(id.Value) is not null => $"role {id.Value}",
        _ => id.Value,
    } + ArchSuffix(id);

    private static string DescribeEntry(BootIdentity id) => id.Kind switch
    {
        BootIdentityKind.Host => $"node-level entry for {id.Value}{ArchSuffix(id)}",
        BootIdentityKind.Tag when id.Value == BootIdentity.DefaultTag => $"Default entry{ArchSuffix(id)}",
        _ => $"entry for {Describe(id)}",
    };

    private static string ArchSuffix(BootIdentity id) => id.Arch is null ? string.Empty : $" ({id.Arch})";
}
