using System.Management.Automation;

namespace OpenChami.PowerShell.Infrastructure;

/// <summary>
/// The selectors every boot cmdlet takes, each in its own parameter set: -Xname, -MacAddress, -Nid, and -Arch beside
/// them. -Xname is declared by each cmdlet because how it binds from the pipeline differs (Remove-ChamiBootParams takes
/// whole objects as -InputObject, so its -Xname binds by property name only).
/// </summary>
public abstract class BootIdentityCmdletBase : ChamiCmdletBase
{
    protected const string XnameSet = "Xname";
    protected const string MacSet = "MacAddress";
    protected const string NidSet = "Nid";

    /// <summary>Node xnames.</summary>
    public abstract string[]? Xname { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = MacSet)]
    [Alias("MAC")]
    public string[]? MacAddress { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = NidSet)]
    public long[]? Nid { get; set; }

    /// <summary>The iPXE build architecture (x86_64, arm64...): which variant a boot cmdlet reads, writes or removes.</summary>
    [Parameter]
    public string? Arch { get; set; }
}
