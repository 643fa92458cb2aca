using System.Management.Automation;
using OpenChami.Core.Inventory;
using OpenChami.Core.Model;
using OpenChami.PowerShell.Completers;

namespace OpenChami.PowerShell.Infrastructure;

/// <summary>
/// Set-ChamiComponent and Set-ChamiNode: the component fields both change (a node is a Node component), checked
/// against the stored component before asking, so -WhatIf reports what the real run would refuse.
/// </summary>
public abstract class SetComponentCmdletBase : ChamiCmdletBase
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("ID")]
    [ArgumentCompleter(typeof(XnameCompleter))]
    public string Xname { get; set; } = string.Empty;

    [Parameter]
    public long? Nid { get; set; }

    [Parameter]
    public string? Role { get; set; }

    [Parameter]
    public string? SubRole { get; set; }

    [Parameter]
    public HmsArch? Arch { get; set; }

    [Parameter]
    public HmsState? State { get; set; }

    [Parameter]
    public HmsFlag? Flag { get; set; }

    [Parameter]
    public bool? Enabled { get; set; }

    /// <summary>Allow state changes SMD's state machine refuses (e.g. to Unknown or Empty).</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Write the changed component or node.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary>What ShouldProcess asks about (Set component, Set node).</summary>
    protected abstract string Action { get; }

    /// <summary>The stored component <see cref="Xname"/> names (an error when there is none, or of the wrong type).</summary>
    protected abstract Component Stored();

    /// <summary>Writes <paramref name="patch"/>; returns what -PassThru shows.</summary>
    protected abstract object Update(ComponentPatch patch);

    /// <summary>The change the parameters ask for; fields not given are left as they are.</summary>
    protected virtual ComponentPatch Patch() => new()
    {
        NID = Nid, Role = Role, SubRole = SubRole, Arch = Arch, State = State, Flag = Flag, Enabled = Enabled, Force = Force,
    };

    protected override void ProcessRecord()
    {
        var patch = Patch();
        TryItem(() =>
        {
            ComponentService.Preview(Stored(), patch);
            if (!ShouldProcess(Xname, Action)) return;
            var updated = Update(patch);
            if (PassThru) WriteObject(updated);
        }, Xname);
    }
}
