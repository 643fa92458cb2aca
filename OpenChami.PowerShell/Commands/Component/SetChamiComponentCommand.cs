using System.Management.Automation;
using OpenChami.Core.Inventory;
using OpenChami.Core.Model;
using OpenChami.PowerShell.Infrastructure;
using CoreComponent = OpenChami.Core.Model.Component;

namespace OpenChami.PowerShell.Commands.Component;

/// <summary>Changes fields of existing components; fields not given are left as they are.</summary>
[Cmdlet(VerbsCommon.Set, "ChamiComponent", SupportsShouldProcess = true)]
[OutputType(typeof(CoreComponent))]
public sealed class SetChamiComponentCommand : SetComponentCmdletBase
{
    [Parameter]
    public string? SoftwareStatus { get; set; }

    [Parameter]
    public HmsClass? Class { get; set; }

    [Parameter]
    public HmsNetType? NetType { get; set; }

    protected override string Action => "Set component";

    protected override CoreComponent Stored() => Services.Components.Get(Core.Xnames.Xname.Parse(Xname));

    protected override object Update(ComponentPatch patch) => Services.Components.Update(Xname, patch);

    protected override ComponentPatch Patch()
    {
        var patch = base.Patch();
        patch.SoftwareStatus = SoftwareStatus;
        patch.Class = Class;
        patch.NetType = NetType;
        return patch;
    }
}
