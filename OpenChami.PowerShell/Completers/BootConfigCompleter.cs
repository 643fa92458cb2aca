using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using OpenChami.PowerShell.Infrastructure;

namespace OpenChami.PowerShell.Completers;

/// <summary>Completes boot configuration names from the current database.</summary>
public sealed class BootConfigCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var services = ChamiSession.CurrentOrNull;
        if (services is null) return [];
        var prefix = (wordToComplete ?? string.Empty).Trim('\'', '"');
        return services.BootConfigurations.Documents()
            .Where(c => c.Name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            .Select(c => new CompletionResult(c.Name, c.Name, CompletionResultType.ParameterValue, $"{c.Name} ({c.Uid}): {c.Kernel}"))
            .ToList();
    }
}
