using OpenChami.Core.Storage;
using OpenChami.Core.Xnames;

namespace OpenChami.Core.Audit;

/// <summary>Reads the audit journal (Get-ChamiAuditLog, /openchami/v1/audit).</summary>
public sealed class AuditService(IChamiStore store)
{
    /// <summary>Newest entries last. <paramref name="target"/> matches an xname (normalized), MAC id or label exactly.</summary>
    public IReadOnlyList<AuditEntry> Query(string? target = null, DateTime? since = null, int? last = null, string? collection = null)
    {
        var normalizedTarget = target is null ? null : Xname.TryParse(target, out var id, out _) ? id : target.Trim().ToLowerInvariant();
        var sinceUtc = since?.ToUniversalTime();
        var entries = store.Read(s =>
        {
            var audit = s.Collection<AuditEntry>();
            IEnumerable<AuditEntry> found = normalizedTarget is not null
                ? audit.Find(e => e.Target == normalizedTarget)
                : sinceUtc is { } from ? audit.Find(e => e.Time >= from) : audit.All();
            return found.ToList();
        });
        IEnumerable<AuditEntry> result = entries
            .Where(e => sinceUtc is null || e.Time >= sinceUtc)
            .Where(e => collection is null || e.Collection.Equals(collection, StringComparison.OrdinalIgnoreCase))
            .OrderBy(e => e.Id, StringComparer.Ordinal);
        if (last is { } n) result = result.TakeLast(n);
        return result.ToList();
    }
}
