namespace OpenChami.Core.Http.Pcs;

/// <summary>Body of <c>GET /health</c>: the state of each PCS dependency, here all the one store (spec/discovery-power.md §4.2).</summary>
public sealed record PcsHealth(string KvStore, string DistLocking, string StateManager, string Vault, string TaskRunner);
