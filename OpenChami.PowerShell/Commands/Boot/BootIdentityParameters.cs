using OpenChami.Core.Boot;
using OpenChami.Core.Errors;
using OpenChami.Core.Model;

namespace OpenChami.PowerShell.Commands.Boot;

/// <summary>Turns the boot cmdlets' identity parameters into Core identities (validation lives in Core).</summary>
internal static class BootIdentityParameters
{
    public static List<BootIdentity> From(string[]? xname, string[]? mac, long[]? nid, string[]? group, string[]? role, bool isDefault, bool unknown, string? arch)
    {
        var normalizedArch = BootArch.NormalizeOrNull(arch);
        var ids = new List<BootIdentity>();
        foreach (var x in xname ?? []) ids.Add(BootIdentity.Host(x, normalizedArch) is { Kind: BootIdentityKind.Host } host ? host
            : throw ChamiException.Invalid("InvalidXname", $"'{x}' is a tag, not a node xname; use -Default or -Role", x));
        foreach (var m in mac ?? []) ids.Add(BootIdentity.Mac(m, normalizedArch));
        foreach (var n in nid ?? []) ids.Add(BootIdentity.Nid(n, normalizedArch));
        foreach (var g in group ?? []) ids.Add(BootIdentity.Group(g, normalizedArch));
        foreach (var r in role ?? []) ids.Add(new BootIdentity(BootIdentityKind.Tag, HmsValues.ParseRole(r), normalizedArch));
        if (isDefault) ids.Add(new BootIdentity(BootIdentityKind.Tag, BootIdentity.DefaultTag, normalizedArch));
        if (unknown)
        {
            // Unknown-<arch> carries its architecture in the tag itself.
            ids.Add(normalizedArch is null
                ? throw ChamiException.Invalid("BootArchRequired", "-Unknown needs -Arch (the iPXE buildarch of the discovery image, e.g. x86_64)")
                : BootIdentity.UnknownTag(normalizedArch));
        }
        return ids;
    }
}
