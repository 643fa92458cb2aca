using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using OpenChami.Core;
using OpenChami.Core.Errors;
using OpenChami.PowerShell.Infrastructure;

namespace OpenChami.PowerShell.Completers;

/// <summary>
/// Base of the completers that read the current database. They reach it the way any cmdlet does, opening the
/// default database on first use (so completion works in a fresh session), but never throw at the prompt.
/// </summary>
public abstract class ChamiCompleterBase : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        ChamiServices services;
        try
        {
            services = ChamiSession.Current;
        }
        catch (ChamiException)
        {
            return [];
        }
        return Complete(services, (wordToComplete ?? string.Empty).Trim('\'', '"')).ToList();
    }

    /// <summary>The completions for <paramref name="prefix"/> (the word typed so far, without quotes).</summary>
    protected abstract IEnumerable<CompletionResult> Complete(ChamiServices services, string prefix);

    /// <summary>Names starting with <paramref name="prefix"/> (any case), each described by its description when it has one.</summary>
    protected static IEnumerable<CompletionResult> NamesStartingWith<T>(IEnumerable<T> items, Func<T, string> name, Func<T, string?> description, string prefix) =>
        items
            .Where(item => name(item).StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            .Select(item => new CompletionResult(name(item), name(item), CompletionResultType.ParameterValue,
                string.IsNullOrEmpty(description(item)) ? name(item) : description(item)));
}
