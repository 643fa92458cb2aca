using System.Management.Automation;
using OpenChami.Core.Errors;
using OpenChami.Core.Inventory;
using OpenChami.PowerShell.Completers;

namespace OpenChami.PowerShell.Infrastructure;

/// <summary>
/// Get-ChamiComponent, Get-ChamiNode and Get-ChamiRedfishEndpoint: -Xname takes exact xnames and wildcard patterns,
/// compared by Core's pattern-or-xname rule (<see cref="Wildcard.XnamePattern"/>). An exact xname that matches
/// nothing is an error; a pattern that matches nothing is not.
/// </summary>
public abstract class XnameFilterCmdletBase : ChamiCmdletBase
{
    /// <summary>Xnames or wildcard patterns.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("ID")]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(XnameCompleter))]
    public string[]? Xname { get; set; }

    /// <summary>-Xname as the stores compare it.</summary>
    protected List<string> XnamePatterns => (Xname ?? []).Select(Wildcard.XnamePattern).ToList();

    /// <summary>Writes <c>&lt;kind&gt;NotFound</c> for each exact xname of -Xname that is not among <paramref name="foundIds"/>.</summary>
    protected void WriteXnamesNotFound(IEnumerable<string> foundIds, string kind)
    {
        var found = foundIds.ToHashSet(StringComparer.Ordinal);
        WriteNotFoundForExactNames(Xname, x => found.Contains(Wildcard.XnamePattern(x)),
            x => ChamiException.NotFound($"{kind}NotFound", $"{kind} '{x}' was not found", x));
    }
}
