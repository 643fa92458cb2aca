using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using OpenChami.PowerShell.Infrastructure;

namespace OpenChami.PowerShell.Completers;

/// <summary>Completes cloud-init group names from the current database.</summary>
public sealed class CloudInitGroupCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var services = ChamiSession.CurrentOrNull;
        if (services is null) return [];
        var prefix = (wordToComplete ?? string.Empty).Trim('\'', '"');
        return services.CloudInit.GetGroups()
            .Where(g => g.Name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            .Select(g => new CompletionResult(g.Name, g.Name, CompletionResultType.ParameterValue, string.IsNullOrEmpty(g.Description) ? g.Name : g.Description))
            .ToList();
    }
}
