namespace OpenChami.PowerShell.Completers;

/// <summary>The values a string-typed boolean parameter accepts, for completion.</summary>
public enum BooleanValue { True, False }
