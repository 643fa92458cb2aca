using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace OpenChami.PowerShell.Completers;

/// <summary>Completes the names of an HMS enumeration (for parameters kept as strings, see PipelineValues).</summary>
public sealed class EnumCompleter<TEnum> : IArgumentCompleter where TEnum : struct, Enum
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var prefix = (wordToComplete ?? string.Empty).Trim('\'', '"');
        return Enum.GetNames<TEnum>()
            .Where(n => n.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            .Select(n => new CompletionResult(n, n, CompletionResultType.ParameterValue, n))
            .ToList();
    }
}
