using OpenChami.Core.Errors;
using OpenChami.Core.Model;
using OpenChami.Core.Xnames;

namespace OpenChami.Core.Inventory;

/// <summary>Validation and defaults for component writes (spec/smd.md §6).</summary>
public static class ComponentRules
{
    /// <summary>
    /// Returns a normalized copy ready to insert: ID normalized, Type derived from it,
    /// Flag OK and Enabled true by default, Node defaults (NID, Role) filled when missing.
    /// </summary>
    public static Component PrepareNew(Component input, bool requireState = true)
    {
        var component = input.Clone();
        component.ID = ParseId(input.ID);
        component.Type = Xname.GetHmsType(component.ID);
        if (component.State is null)
        {
            if (requireState) throw ChamiException.Invalid("MissingState", $"component '{component.ID}' has no State", component.ID);
            component.State = HmsState.On;
        }
        component.Flag ??= HmsFlag.OK;
        component.Enabled ??= true;
        component.Role = component.Role is null ? null : HmsValues.ParseRole(component.Role);
        component.SubRole = component.SubRole is null ? null : HmsValues.ParseSubRole(component.SubRole);
        if (component.Type is HmsType.Node or HmsType.VirtualNode)
        {
            component.NID ??= Xname.ComputeNid(component.ID);
            component.Role ??= "Compute";
        }
        if (component.NID is < 0) throw ChamiException.Invalid("InvalidNid", $"NID {component.NID} is negative", component.ID);
        return component;
    }

    public static string ParseId(string? id)
    {
        var xname = Xname.Parse(id);
        var type = Xname.GetHmsType(xname);
        if (type is HmsType.All or HmsType.AllComp or HmsType.AllSvc or HmsType.Partition)
        {
            throw ChamiException.Invalid("InvalidXnameType", $"'{xname}' ({type}) cannot be a component", xname);
        }
        return xname;
    }

    /// <summary>State transitions allowed without Force (spec/smd.md §6).</summary>
    public static bool IsTransitionAllowed(HmsState? from, HmsState to) => to switch
    {
        HmsState.Off => from is HmsState.Off or HmsState.On or HmsState.Standby or HmsState.Halt or HmsState.Ready,
        HmsState.On => from is HmsState.On or HmsState.Off or HmsState.Standby or HmsState.Halt,
        HmsState.Standby => from is HmsState.Standby or HmsState.Ready,
        HmsState.Halt => from is HmsState.Halt or HmsState.Ready,
        HmsState.Ready => from is HmsState.Ready or HmsState.On or HmsState.Off or HmsState.Standby or HmsState.Halt,
        _ => false,
    };
}
