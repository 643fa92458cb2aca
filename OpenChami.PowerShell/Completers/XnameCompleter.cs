using System.Management.Automation;
using OpenChami.Core;
using OpenChami.Core.Inventory;
using OpenChami.Core.Xnames;

namespace OpenChami.PowerShell.Completers;

/// <summary>Completes xnames of components in the current database (nodes first).</summary>
public sealed class XnameCompleter : ChamiCompleterBase
{
    protected override IEnumerable<CompletionResult> Complete(ChamiServices services, string prefix)
    {
        var query = new ComponentQuery();
        query.Wildcards.Add(prefix.ToLowerInvariant() + "*");
        return services.Components.Query(query)
            .OrderBy(c => c.Type == HmsType.Node ? 0 : 1).ThenBy(c => c.NID ?? long.MaxValue).ThenBy(c => c.ID, StringComparer.Ordinal)
            .Take(200)
            .Select(c => new CompletionResult(c.ID, c.ID, CompletionResultType.ParameterValue, $"{c.ID} ({c.Type}{(c.NID is { } n ? $", NID {n}" : string.Empty)})"));
    }
}
