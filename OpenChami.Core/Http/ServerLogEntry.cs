namespace OpenChami.Core.Http;

/// <summary>One line of the server log.</summary>
public sealed record ServerLogEntry(DateTime Time, ServerLogLevel Level, string Category, string Message)
{
    public override string ToString() => $"{Time:O} {Level,-11} {Category}: {Message}";
}
