namespace OpenChami.RedfishFixture;

/// <summary>Where a simulated BMC listens; the shape written by the standalone program's ports list.</summary>
public sealed record RedfishBmcEndpoint(string Address, int Port);
