using System.Management.Automation;
using OpenChami.Core.Audit;
using OpenChami.PowerShell.Completers;
using OpenChami.PowerShell.Infrastructure;

namespace OpenChami.PowerShell.Commands.Audit;

/// <summary>Reads the audit journal: every change to the store, from cmdlets or HTTP, with who, what, when and the values before and after.</summary>
[Cmdlet(VerbsCommon.Get, "ChamiAuditLog")]
[OutputType(typeof(AuditEntry))]
public sealed class GetChamiAuditLogCommand : ChamiCmdletBase
{
    /// <summary>Only changes of this object (an xname, a MAC id such as 525400beef01, or a group label).</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("ID", "Target")]
    [ArgumentCompleter(typeof(XnameCompleter))]
    public string? Xname { get; set; }

    /// <summary>Only changes at or after this time.</summary>
    [Parameter]
    public DateTime? Since { get; set; }

    /// <summary>Only the last N matching changes.</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int? Last { get; set; }

    /// <summary>Only changes of one stored collection (components, ethernet_interfaces, groups, ...).</summary>
    [Parameter]
    public string? Collection { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var entry in Services.Audit.Query(Xname, Since, Last, Collection)) WriteObject(entry);
    }
}
