namespace OpenChami.Core.Boot;

/// <summary>The kinds of identity a boot configuration can be stored under.</summary>
public enum BootIdentityKind
{
    /// <summary>A Node xname.</summary>
    Host,

    Mac,

    Nid,

    /// <summary>An SMD group label.</summary>
    Group,

    /// <summary><c>Default</c>, a role name, <c>Unknown-&lt;arch&gt;</c> or <c>Global</c>.</summary>
    Tag,

    /// <summary>A host glob of a boot configuration (<c>x1000c0s*</c>, <c>*</c>); ranks after role, before Default.</summary>
    Glob,
}

/// <summary>
/// One stored boot configuration (spec/bss.md §3.2): one document per identity and architecture,
/// so a bulk change is many small documents written in one transaction, and a lookup is a key read.
/// </summary>
public sealed class BootParamsEntry
{
    /// <summary><c>&lt;kind&gt;:&lt;value&gt;</c>, plus <c>|&lt;arch&gt;</c> for an architecture variant. See <see cref="BootIdentity.Key"/>.</summary>
    public string Key { get; set; } = string.Empty;

    public BootIdentityKind Kind { get; set; }

    /// <summary>Normalized xname, MAC, NID, group label, or tag as spelled canonically (<c>Default</c>, <c>Compute</c>).</summary>
    public string Value { get; set; } = string.Empty;

    /// <summary>Normalized iPXE build architecture, or null for "any".</summary>
    public string? Arch { get; set; }

    public string Kernel { get; set; } = string.Empty;

    public string Initrd { get; set; } = string.Empty;

    public string Params { get; set; } = string.Empty;

    /// <summary>The <c>cloud-init</c> object as JSON text, stored and echoed verbatim.</summary>
    public string? CloudInit { get; set; }

    public string ReferralToken { get; set; } = string.Empty;

    public DateTime Updated { get; set; }

    /// <summary>Every boot configuration with this selector (uids); the values above are the winner's (BootSelectorIndex).</summary>
    public List<string> Configs { get; set; } = [];

    /// <summary>Uid of the configuration these values come from.</summary>
    public string? Config { get; set; }

    /// <summary>Name and priority of that configuration (host globs are ranked by them).</summary>
    public string? Name { get; set; }

    public int Priority { get; set; }

    internal BootParamsEntry Clone()
    {
        var copy = (BootParamsEntry)MemberwiseClone();
        copy.Configs = [.. Configs];
        return copy;
    }
}
