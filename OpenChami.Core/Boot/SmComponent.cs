using OpenChami.Core.Model;
using OpenChami.Core.Xnames;

namespace OpenChami.Core.Boot;

/// <summary>BSS's view of a node (spec/bss.md §6.1): the SMD component keys plus FQDN, MACs and EndpointEnabled.</summary>
public sealed class SmComponent
{
    public string ID { get; set; } = string.Empty;
    public HmsType Type { get; set; }
    public HmsState? State { get; set; }
    public HmsFlag? Flag { get; set; }
    public bool? Enabled { get; set; }
    public string? SoftwareStatus { get; set; }
    public string? Role { get; set; }
    public string? SubRole { get; set; }
    public long? NID { get; set; }
    public string? Subtype { get; set; }
    public HmsNetType? NetType { get; set; }
    public HmsArch? Arch { get; set; }
    public HmsClass? Class { get; set; }
    /// <summary>The node's ComponentEndpoint FQDN; <c>""</c> without one. Always sent, as upstream's SMComponent does.</summary>
    public string FQDN { get; set; } = string.Empty;
    public List<string>? MAC { get; set; }
    public bool EndpointEnabled { get; set; } = true;

    internal static SmComponent From(Component c, IReadOnlyList<string> macs, ComponentEndpoint? endpoint = null) => new()
    {
        ID = c.ID, Type = c.Type, State = c.State, Flag = c.Flag, Enabled = c.Enabled, SoftwareStatus = c.SoftwareStatus,
        Role = c.Role, SubRole = c.SubRole, NID = c.NID, Subtype = c.Subtype, NetType = c.NetType, Arch = c.Arch, Class = c.Class,
        MAC = macs.Count > 0 ? macs.ToList() : null,
        FQDN = endpoint?.FQDN ?? string.Empty,
        // No ComponentEndpoint means enabled (spec/bss.md §9 #8).
        EndpointEnabled = endpoint?.Enabled ?? true,
    };
}
