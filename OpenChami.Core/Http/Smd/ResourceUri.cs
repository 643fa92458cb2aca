namespace OpenChami.Core.Http.Smd;

/// <summary>SMD's <c>{"URI":"/hsm/v2/..."}</c>.</summary>
public sealed record ResourceUri(string URI);
