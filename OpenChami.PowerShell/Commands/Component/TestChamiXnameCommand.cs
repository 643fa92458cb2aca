using System.Management.Automation;
using OpenChami.Core.Xnames;
using OpenChami.PowerShell.Infrastructure;

namespace OpenChami.PowerShell.Commands.Component;

/// <summary>Tests whether strings are valid xnames (optionally of given HMS types).</summary>
[Cmdlet(VerbsDiagnostic.Test, "ChamiXname", DefaultParameterSetName = BooleanSet)]
[OutputType(typeof(bool), ParameterSetName = [BooleanSet])]
[OutputType(typeof(XnameInfo), ParameterSetName = [DetailedSet])]
public sealed class TestChamiXnameCommand : ChamiCmdletBase
{
    private const string BooleanSet = "Boolean";
    private const string DetailedSet = "Detailed";

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("ID")]
    [AllowEmptyString]
    public string[] Xname { get; set; } = [];

    /// <summary>Valid only if the xname is one of these types.</summary>
    [Parameter(ParameterSetName = BooleanSet)]
    public HmsType[]? Type { get; set; }

    /// <summary>Return the normalized xname, its type and parent instead of a boolean.</summary>
    [Parameter(Mandatory = true, ParameterSetName = DetailedSet)]
    public SwitchParameter Detailed { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var input in Xname)
        {
            var info = XnameInfo.Of(input);
            if (Detailed) WriteObject(info);
            else WriteObject(info.IsValid && (Type is null || Type.Length == 0 || Type.Contains(info.Type)));
        }
    }
}
