using OpenChami.Core.Model;
using OpenChami.Core.Storage;
using OpenChami.Core.Xnames;

namespace OpenChami.Core.Inventory;

/// <summary>One ingestion transaction: its session, the changes it reports, its clock and the NIDs it hands out.</summary>
internal sealed class IngestContext(IStoreSession session, InventoryChangeSet changes, IngestOptions options)
{
    private SortedSet<long>? usedNids;
    private long nextCandidate = 1;

    public IStoreSession Session { get; } = session;

    public InventoryChangeSet Changes { get; } = changes;

    public IngestOptions Options { get; } = options;

    public DateTime Now { get; } = options.Now ?? DateTime.UtcNow;

    /// <summary>Lowest NID ≥ 1 not used by any Node (smd.md §7 ✱; upstream gave every BMC's first node NID 1).</summary>
    public long NextFreeNid()
    {
        usedNids ??= new SortedSet<long>(Session.Collection<Component>().Find(c => c.Type == HmsType.Node)
            .Where(c => c.NID is not null).Select(c => c.NID!.Value));
        while (usedNids.Contains(nextCandidate)) nextCandidate++;
        usedNids.Add(nextCandidate);
        return nextCandidate;
    }
}
