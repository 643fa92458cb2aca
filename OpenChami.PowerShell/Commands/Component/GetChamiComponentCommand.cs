using System.Management.Automation;
using OpenChami.Core.Inventory;
using OpenChami.Core.Model;
using OpenChami.Core.Xnames;
using OpenChami.PowerShell.Completers;
using OpenChami.PowerShell.Infrastructure;
using CoreComponent = OpenChami.Core.Model.Component;

namespace OpenChami.PowerShell.Commands.Component;

/// <summary>Lists components of any HMS type, filtered like SMD's GET /State/Components.</summary>
[Cmdlet(VerbsCommon.Get, "ChamiComponent")]
[OutputType(typeof(CoreComponent))]
public sealed class GetChamiComponentCommand : XnameFilterCmdletBase
{
    [Parameter]
    public HmsType[]? Type { get; set; }

    [Parameter]
    public HmsState[]? State { get; set; }

    [Parameter]
    public HmsFlag[]? Flag { get; set; }

    [Parameter]
    public string[]? Role { get; set; }

    [Parameter]
    public long[]? Nid { get; set; }

    [Parameter]
    [ArgumentCompleter(typeof(GroupCompleter))]
    public string[]? Group { get; set; }

    [Parameter]
    public bool? Enabled { get; set; }

    protected override void ProcessRecord()
    {
        var query = new ComponentQuery();
        query.Wildcards.AddRange(XnamePatterns);
        foreach (var t in Type ?? []) query.Type.AddValue(t);
        foreach (var s in State ?? []) query.State.AddValue(s);
        foreach (var f in Flag ?? []) query.Flag.AddValue(f);
        if (!TryItem(() => { foreach (var r in Role ?? []) query.Role.AddValue(HmsValues.ParseRole(r)); })) return;
        query.Nids.AddRange(Nid ?? []);
        query.Groups.AddRange(Group ?? []);
        query.Enabled = Enabled;
        var found = Services.Components.Query(query);
        foreach (var component in found) WriteObject(component);
        WriteXnamesNotFound(found.Select(c => c.ID), "Component");
    }
}
