using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using OpenChami.Core.Inventory;
using OpenChami.Core.Xnames;
using OpenChami.PowerShell.Infrastructure;

namespace OpenChami.PowerShell.Completers;

/// <summary>Completes xnames of components in the current database (nodes first).</summary>
public sealed class XnameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        if (CompletionServices.TryGet() is not { } services) return [];
        var prefix = (wordToComplete ?? string.Empty).Trim('\'', '"').ToLowerInvariant();
        var query = new ComponentQuery();
        query.Wildcards.Add(prefix + "*");
        return services.Components.Query(query)
            .OrderBy(c => c.Type == HmsType.Node ? 0 : 1).ThenBy(c => c.NID ?? long.MaxValue).ThenBy(c => c.ID, StringComparer.Ordinal)
            .Take(200)
            .Select(c => new CompletionResult(c.ID, c.ID, CompletionResultType.ParameterValue, $"{c.ID} ({c.Type}{(c.NID is { } n ? $", NID {n}" : string.Empty)})"))
            .ToList();
    }
}

/// <summary>Completes group labels from the current database.</summary>
public sealed class GroupCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        if (CompletionServices.TryGet() is not { } services) return [];
        var prefix = (wordToComplete ?? string.Empty).Trim('\'', '"');
        return services.Groups.All()
            .Where(g => g.Label.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            .Select(g => new CompletionResult(g.Label, g.Label, CompletionResultType.ParameterValue, string.IsNullOrEmpty(g.Description) ? g.Label : g.Description))
            .ToList();
    }
}

/// <summary>
/// The database completers read: the session's, opening the default one like any cmdlet would
/// (so completion works in a fresh session). A completer must never throw at the prompt.
/// </summary>
internal static class CompletionServices
{
    public static OpenChami.Core.ChamiServices? TryGet()
    {
        try
        {
            return ChamiSession.Current;
        }
        catch (OpenChami.Core.Errors.ChamiException)
        {
            return null;
        }
    }
}

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

/// <summary>The values a string-typed boolean parameter accepts, for completion.</summary>
public enum BooleanValue { True, False }
