using OpenChami.Core.Serialization;
using OpenChami.Core.Storage;

namespace OpenChami.Core.Audit;

/// <summary>
/// Writes audit entries inside the transaction that makes the change, so the journal and the data
/// can never disagree. Collections that hold secrets or are themselves logs are not audited.
/// </summary>
internal sealed class AuditRecorder(IStoreSession session, CommitBatch? commits = null)
{
    private static long sequence;

    public void Record(CollectionDefinition definition, string id, AuditOperation operation, object? before, object? after)
    {
        commits?.Record(definition.Name, id, before, after); // watchers of committed changes (CommitFeed)
        if (!definition.Audited) return;
        var actor = ChamiActor.Current;
        var now = DateTime.UtcNow;
        session.Collection<AuditEntry>().Insert(new AuditEntry
        {
            Id = $"{now.Ticks:D19}-{Environment.ProcessId:D7}-{Interlocked.Increment(ref sequence):D9}",
            Time = now,
            Actor = actor.Name,
            Action = actor.Action,
            Collection = definition.Name,
            Target = id,
            Operation = operation,
            Before = before is null ? null : System.Text.Json.JsonSerializer.Serialize(before, before.GetType(), ChamiJson.Options),
            After = after is null ? null : System.Text.Json.JsonSerializer.Serialize(after, after.GetType(), ChamiJson.Options),
        });
    }
}
