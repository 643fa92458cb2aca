using System.Globalization;
using System.Text.RegularExpressions;
using OpenChami.Core.Errors;
using OpenChami.Core.Inventory;
using OpenChami.Core.Model;
using OpenChami.Core.Xnames;

namespace OpenChami.Core.Boot;

/// <summary>One normalized identity a boot configuration is stored under (spec/bss.md §3.2), with its architecture variant.</summary>
public readonly partial record struct BootIdentity(BootIdentityKind Kind, string Value, string? Arch = null)
{
    public const string DefaultTag = "Default";
    public const string GlobalTag = "Global";
    public const string UnknownTagPrefix = "Unknown-";

    /// <summary>Storage key. Tags and labels are case-insensitive, so the key is lower-case.</summary>
    public string Key => Arch is null ? BaseKey : $"{BaseKey}|{Arch}";

    public string BaseKey => $"{KindName(Kind)}:{Value.ToLowerInvariant()}";

    /// <summary>How messages name it: the bare xname / MAC / NID / tag, or <c>group:&lt;label&gt;</c>; with <c>(arch)</c> when a variant.</summary>
    public override string ToString() =>
        (Kind == BootIdentityKind.Group ? $"group:{Value}" : Value) + (Arch is null ? string.Empty : $" ({Arch})");

    public static string KindName(BootIdentityKind kind) => kind switch
    {
        BootIdentityKind.Host => "host",
        BootIdentityKind.Mac => "mac",
        BootIdentityKind.Nid => "nid",
        BootIdentityKind.Group => "group",
        BootIdentityKind.Glob => "glob",
        _ => "tag",
    };

    public static BootIdentity Mac(string mac, string? arch = null) =>
        new(BootIdentityKind.Mac, MacAddress.TryNormalize(mac, out var m) ? m
            : throw ChamiException.Invalid("InvalidMacAddress", $"invalid MAC address '{mac}'", mac), arch);

    public static BootIdentity Nid(long nid, string? arch = null) =>
        nid is >= 0 and <= int.MaxValue ? new(BootIdentityKind.Nid, nid.ToString(CultureInfo.InvariantCulture), arch)
            : throw ChamiException.Invalid("InvalidNid", $"invalid nid '{nid}' (must be 0 to {int.MaxValue})", nid.ToString(CultureInfo.InvariantCulture));

    public static BootIdentity Group(string label, string? arch = null) =>
        new(BootIdentityKind.Group, GroupService.NormalizeLabel(label), arch);

    /// <summary>
    /// A <c>hosts</c> value: any xname (normalized) or a recognized tag; anything else (a typo) is rejected. Upstream BSS
    /// takes any xname, and its own tests name nodes with BMC-style xnames, so a non-Node xname is accepted and
    /// <see cref="HostWarning"/> says why it is unusual (spec/bss.md §4.2).
    /// </summary>
    public static BootIdentity Host(string host, string? arch = null)
    {
        var text = (host ?? string.Empty).Trim();
        if (TryTag(text, out var tag)) return new(BootIdentityKind.Tag, tag, arch);
        if (Xname.TryParse(text, out var id, out _)) return new(BootIdentityKind.Host, id, arch);
        throw ChamiException.Invalid("InvalidBootHost",
            $"host '{host}' is neither an xname nor a tag (Default, a role such as {string.Join("/", HmsValues.Roles)}, Unknown-<arch>)", host);
    }

    /// <summary>
    /// Why a stored host is unusual, or null: a host entry under a non-Node xname (a BMC's, a chassis') is kept, as
    /// upstream keeps it, but only a component with exactly that xname boots from it.
    /// </summary>
    public string? HostWarning =>
        Kind == BootIdentityKind.Host && Xname.TryParse(Value, out _, out var type) && type != HmsType.Node
            ? $"host '{Value}' is a {type} xname, not a Node: stored as upstream BSS does, but only a component named '{Value}' boots from it"
            : null;

    /// <summary>The identity for a <c>name=</c> lookup value: an xname or a tag; null when it is neither (finds nothing).</summary>
    public static BootIdentity? TryHost(string name)
    {
        try
        {
            return Host(name);
        }
        catch (ChamiException)
        {
            return null;
        }
    }

    public static bool TryTag(string text, out string tag)
    {
        tag = string.Empty;
        if (text.Equals(DefaultTag, StringComparison.OrdinalIgnoreCase)) tag = DefaultTag;
        else if (text.Equals(GlobalTag, StringComparison.OrdinalIgnoreCase)) tag = GlobalTag;
        else if (HmsValues.CanonicalRole(text) is { } role) tag = role;
        else if (text.StartsWith(UnknownTagPrefix, StringComparison.OrdinalIgnoreCase) && BootArch.TryNormalize(text[UnknownTagPrefix.Length..], out var arch)) tag = UnknownTagPrefix + arch;
        return tag.Length > 0;
    }

    public static BootIdentity UnknownTag(string arch) => new(BootIdentityKind.Tag, UnknownTagPrefix + arch);
}

/// <summary>iPXE build architectures (<c>${buildarch}</c>): x86_64, i386, arm64, arm32, riscv64... with common aliases folded.</summary>
public static partial class BootArch
{
    [GeneratedRegex(@"\A[a-z][a-z0-9_]{0,15}\z", RegexOptions.CultureInvariant)]
    private static partial Regex ArchPattern();

    public static bool TryNormalize(string? input, out string arch)
    {
        arch = (input ?? string.Empty).Trim().ToLowerInvariant() switch
        {
            "aarch64" => "arm64",
            "amd64" or "x86-64" or "x64" => "x86_64",
            "i686" or "x86" => "i386",
            var other => other,
        };
        return ArchPattern().IsMatch(arch);
    }

    public static string? NormalizeOrNull(string? input) =>
        string.IsNullOrWhiteSpace(input) ? null
        : TryNormalize(input, out var arch) ? arch
        : throw ChamiException.Invalid("InvalidArch", $"invalid architecture '{input}' (iPXE buildarch such as x86_64 or arm64)", input);

    /// <summary>The iPXE name of an SMD architecture, for nodes whose firmware didn't say.</summary>
    public static string? FromSmd(HmsArch? arch) => arch switch
    {
        HmsArch.X86 => "x86_64",
        HmsArch.ARM => "arm64",
        _ => null,
    };
}
