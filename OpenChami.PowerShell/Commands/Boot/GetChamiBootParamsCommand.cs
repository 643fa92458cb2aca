using System.Management.Automation;
using OpenChami.Core.Boot;
using OpenChami.PowerShell.Completers;
using OpenChami.PowerShell.Infrastructure;

namespace OpenChami.PowerShell.Commands.Boot;

/// <summary>
/// Lists stored boot parameters, one object per identity (xname, MAC, NID, group, role, Default,
/// Unknown-&lt;arch&gt;) and architecture. To see what a node actually boots, use Get-ChamiBootScript.
/// </summary>
[Cmdlet(VerbsCommon.Get, "ChamiBootParams", DefaultParameterSetName = AllSet)]
[OutputType(typeof(BootParamsEntry))]
public sealed class GetChamiBootParamsCommand : ChamiCmdlet
{
    private const string AllSet = "All";
    private const string XnameSet = "Xname";
    private const string MacSet = "MacAddress";
    private const string NidSet = "Nid";
    private const string GroupSet = "Group";
    private const string RoleSet = "Role";
    private const string DefaultSet = "Default";
    private const string UnknownSet = "Unknown";

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = XnameSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("ID")]
    [ArgumentCompleter(typeof(XnameCompleter))]
    public string[]? Xname { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = MacSet)]
    [Alias("MAC")]
    public string[]? MacAddress { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = NidSet)]
    public long[]? Nid { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = GroupSet)]
    [ArgumentCompleter(typeof(GroupCompleter))]
    public string[]? Group { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = RoleSet)]
    public string[]? Role { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = DefaultSet)]
    public SwitchParameter Default { get; set; }

    /// <summary>The Unknown-&lt;arch&gt; entries (discovery images for nodes SMD doesn't know).</summary>
    [Parameter(Mandatory = true, ParameterSetName = UnknownSet)]
    public SwitchParameter Unknown { get; set; }

    /// <summary>Only this architecture's variants (x86_64, arm64...).</summary>
    [Parameter]
    public string? Arch { get; set; }

    /// <summary>Only entries booting this kernel URL.</summary>
    [Parameter]
    public string? Kernel { get; set; }

    protected override void ProcessRecord()
    {
        TryItem(() =>
        {
            var query = new BootParamsQuery { Kernel = Kernel };
            var arch = BootArch.NormalizeOrNull(Arch);
            IEnumerable<BootParamsEntry> entries;
            if (ParameterSetName == UnknownSet)
            {
                entries = Services.BootParams.GetEntries(query).Where(e => e.Kind == BootIdentityKind.Tag && e.Value.StartsWith(BootIdentity.UnknownTagPrefix, StringComparison.Ordinal));
            }
            else if (ParameterSetName == AllSet)
            {
                entries = Services.BootParams.GetEntries(query);
            }
            else
            {
                var ids = BootIdentityParameters.From(Xname, MacAddress, Nid, Group, Role, Default, false, null);
                entries = ids.SelectMany(id => Services.BootParams.GetEntries(Filter(id, query)).Where(e => e.Kind == id.Kind));
                foreach (var id in ids.Where(id => !entries.Any(e => e.Kind == id.Kind && e.Value == id.Value)))
                {
                    WriteChamiError(Core.Errors.ChamiException.NotFound("BootParamsNotFound", $"No boot parameters for {id}", id.ToString()));
                }
            }
            foreach (var entry in entries.Where(e => arch is null || e.Arch == arch)) WriteObject(entry);
        });
    }

    private static BootParamsQuery Filter(BootIdentity id, BootParamsQuery template)
    {
        var query = new BootParamsQuery { Kernel = template.Kernel };
        switch (id.Kind)
        {
            case BootIdentityKind.Mac: query.Macs.Add(id.Value); break;
            case BootIdentityKind.Nid: query.Nids.Add(long.Parse(id.Value, System.Globalization.CultureInfo.InvariantCulture)); break;
            case BootIdentityKind.Group: query.Groups.Add(id.Value); break;
            default: query.Names.Add(id.Value); break;
        }
        return query;
    }
}
