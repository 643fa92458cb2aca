namespace OpenChami.Core.Http;

/// <summary>Severity of a server log entry (our own type, so PowerShell never needs ASP.NET Core types to bind parameters).</summary>
public enum ServerLogLevel { Trace, Debug, Information, Warning, Error, Critical }
