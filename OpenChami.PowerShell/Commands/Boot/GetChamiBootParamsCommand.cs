using System.Management.Automation;
using OpenChami.Core.Boot;
using OpenChami.Core.Errors;
using OpenChami.PowerShell.Completers;
using OpenChami.PowerShell.Infrastructure;

namespace OpenChami.PowerShell.Commands.Boot;

/// <summary>
/// Lists stored boot parameters, one object per identity (xname, MAC, NID, group, role, Default,
/// Unknown-&lt;arch&gt;) and architecture. To see what a node actually boots, use Get-ChamiBootScript.
/// </summary>
[Cmdlet(VerbsCommon.Get, "ChamiBootParams", DefaultParameterSetName = AllSet)]
[OutputType(typeof(BootParamsEntry))]
public sealed class GetChamiBootParamsCommand : BootParamsCmdletBase
{
    private const string AllSet = "All";

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = XnameSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("ID")]
    [ArgumentCompleter(typeof(XnameCompleter))]
    public override string[]? Xname { get; set; }

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
                var ids = SelectedIdentities(unknown: false, arch: null);
                entries = ids.SelectMany(id => Services.BootParams.GetEntries(Filter(id, query)).Where(e => e.Kind == id.Kind));
                WriteNotFound(ids, id => entries.Any(e => e.Kind == id.Kind && e.Value == id.Value),
                    id => ChamiException.NotFound("BootParamsNotFound", $"No boot parameters for {id}", id.ToString()));
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
