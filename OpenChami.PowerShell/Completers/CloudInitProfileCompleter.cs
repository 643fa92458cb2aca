using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using OpenChami.PowerShell.Infrastructure;

namespace OpenChami.PowerShell.Completers;

/// <summary>Completes cloud-init (metadata-service) profile names from the current database.</summary>
public sealed class CloudInitProfileCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var services = ChamiSession.CurrentOrNull;
        if (services is null) return [];
        var prefix = (wordToComplete ?? string.Empty).Trim('\'', '"');
        return services.Metadata.Profiles.GetProfiles()
            .Where(p => p.Name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            .Select(p => new CompletionResult(p.Name, p.Name, CompletionResultType.ParameterValue, $"{p.Name} (group {p.Group}{(p.Active ? string.Empty : ", expired")})"))
            .ToList();
    }
}
