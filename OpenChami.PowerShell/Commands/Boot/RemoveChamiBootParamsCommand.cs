using System.Management.Automation;
using OpenChami.Core.Boot;
using OpenChami.Core.Errors;
using OpenChami.PowerShell.Completers;
using OpenChami.PowerShell.Infrastructure;

namespace OpenChami.PowerShell.Commands.Boot;

/// <summary>
/// Removes stored boot parameters (every architecture variant unless -Arch is given). Everything the
/// pipeline names is removed in one transaction; if one of them has no parameters, nothing is removed.
/// </summary>
[Cmdlet(VerbsCommon.Remove, "ChamiBootParams", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = InputObjectSet)]
[OutputType(typeof(BootParamsEntry))]
public sealed class RemoveChamiBootParamsCommand : ChamiCmdlet
{
    private const string XnameSet = "Xname";
    private const string MacSet = "MacAddress";
    private const string NidSet = "Nid";
    private const string GroupSet = "Group";
    private const string RoleSet = "Role";
    private const string DefaultSet = "Default";
    private const string UnknownSet = "Unknown";
    private const string InputObjectSet = "InputObject";

    private readonly List<BootIdentity> identities = [];
    private bool exactArch;
    private int badInputs;

    // By property name only (Get-ChamiNode | Remove-ChamiBootParams): whole objects piped in are -InputObject.
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = XnameSet, ValueFromPipelineByPropertyName = true)]
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

    [Parameter(Mandatory = true, ParameterSetName = UnknownSet)]
    public SwitchParameter Unknown { get; set; }

    /// <summary>Entries from Get-ChamiBootParams.</summary>
    [Parameter(Mandatory = true, ParameterSetName = InputObjectSet, ValueFromPipeline = true)]
    public BootParamsEntry[]? InputObject { get; set; }

    /// <summary>Remove only this architecture's variant.</summary>
    [Parameter]
    public string? Arch { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        if (ParameterSetName == InputObjectSet)
        {
            foreach (var entry in InputObject ?? []) identities.Add(new BootIdentity(entry.Kind, entry.Value, entry.Arch));
            exactArch = true;
            return;
        }
        exactArch |= Arch is not null && !Unknown;
        if (!TryItem(() => identities.AddRange(BootIdentityParameters.From(Xname, MacAddress, Nid, Group, Role, Default, Unknown, Arch)),
                (object?)Xname?.FirstOrDefault() ?? MacAddress?.FirstOrDefault()))
        {
            badInputs++;
        }
    }

    protected override void EndProcessing()
    {
        if (badInputs > 0)
        {
            ThrowChamiError(ChamiException.Invalid("BootParamsBatchAborted",
                $"{badInputs} input(s) were invalid (see the errors above); no boot parameters were removed."));
        }
        var approved = identities.DistinctBy(i => i.Key).Where(id => ShouldProcess(id.ToString(), "Remove boot parameters")).ToList();
        if (approved.Count == 0) return;
        try
        {
            var removed = Services.BootParams.Remove(approved, exactArch);
            if (PassThru) foreach (var entry in removed) WriteObject(entry);
        }
        catch (ChamiException ex)
        {
            ThrowChamiError(ex);
        }
    }
}
