using System.Management.Automation;
using OpenChami.Core.Boot;
using OpenChami.Core.Errors;
using OpenChami.Core.Model;
using OpenChami.PowerShell.Completers;

namespace OpenChami.PowerShell.Infrastructure;

/// <summary>
/// Get-, Set- and Remove-ChamiBootParams: the boot identity selectors plus -Group, -Role, -Default and -Unknown, turned
/// into Core boot identities (validation lives in Core); and, for Set and Remove, the batch that writes everything
/// the pipeline names in ONE transaction at the end: all of it, or (if any input is bad) none of it.
/// </summary>
public abstract class BootParamsCmdletBase : BootIdentityCmdletBase
{
    protected const string GroupSet = "Group";
    protected const string RoleSet = "Role";
    protected const string DefaultSet = "Default";
    protected const string UnknownSet = "Unknown";

    private int badInputs;

    [Parameter(Mandatory = true, ParameterSetName = GroupSet)]
    [ArgumentCompleter(typeof(GroupCompleter))]
    public string[]? Group { get; set; }

    /// <summary>Role tag (Compute, Service...): nodes of that role without closer parameters boot its entry.</summary>
    [Parameter(Mandatory = true, ParameterSetName = RoleSet)]
    public string[]? Role { get; set; }

    /// <summary>The Default entry: what every known node without closer parameters boots.</summary>
    [Parameter(Mandatory = true, ParameterSetName = DefaultSet)]
    public SwitchParameter Default { get; set; }

    /// <summary>The Unknown-&lt;arch&gt; entries: what nodes SMD doesn't know boot (discovery images).</summary>
    [Parameter(Mandatory = true, ParameterSetName = UnknownSet)]
    public SwitchParameter Unknown { get; set; }

    /// <summary>The identities collected for the one transaction of EndProcessing.</summary>
    protected List<BootIdentity> Batch { get; } = [];

    /// <summary>The identities the selectors name; -Arch makes them that architecture's variants.</summary>
    protected List<BootIdentity> SelectedIdentities(bool unknown, string? arch)
    {
        var normalizedArch = BootArch.NormalizeOrNull(arch);
        var ids = new List<BootIdentity>();
        foreach (var x in Xname ?? []) ids.Add(BootIdentity.Host(x, normalizedArch) is { Kind: BootIdentityKind.Host } host ? host
            : throw ChamiException.Invalid("InvalidXname", $"'{x}' is a tag, not a node xname; use -Default or -Role", x));
        foreach (var m in MacAddress ?? []) ids.Add(BootIdentity.Mac(m, normalizedArch));
        foreach (var n in Nid ?? []) ids.Add(BootIdentity.Nid(n, normalizedArch));
        foreach (var g in Group ?? []) ids.Add(BootIdentity.Group(g, normalizedArch));
        foreach (var r in Role ?? []) ids.Add(new BootIdentity(BootIdentityKind.Tag, HmsValues.ParseRole(r), normalizedArch));
        if (Default) ids.Add(new BootIdentity(BootIdentityKind.Tag, BootIdentity.DefaultTag, normalizedArch));
        if (unknown)
        {
            // Unknown-<arch> carries its architecture in the tag itself.
            ids.Add(normalizedArch is null
                ? throw ChamiException.Invalid("BootArchRequired", "-Unknown needs -Arch (the iPXE buildarch of the discovery image, e.g. x86_64)")
                : BootIdentity.UnknownTag(normalizedArch));
        }
        return ids;
    }

    /// <summary>Adds this input's identities to the batch; a bad input is its own error and spoils the batch.</summary>
    protected void AddSelectedToBatch()
    {
        // The error names the input by its first xname or MAC.
        if (!TryItem(() => Batch.AddRange(SelectedIdentities(Unknown, Arch)), (object?)Xname?.FirstOrDefault() ?? MacAddress?.FirstOrDefault())) badInputs++;
    }

    /// <summary>Refuses the whole batch when any input was bad (<paramref name="changed"/>: "changed", "removed").</summary>
    protected void RefuseBatchWithBadInputs(string changed)
    {
        if (badInputs > 0)
        {
            ThrowChamiError(ChamiException.Invalid("BootParamsBatchAborted",
                $"{badInputs} input(s) were invalid (see the errors above); no boot parameters were {changed}."));
        }
    }
}
