namespace OpenChami.Core.Storage;

/// <summary>
/// Changes a store committed, for whoever watches a collection (state-change notifications, Subscriptions/ScnDispatcher).
/// Every insert, update and delete already passes the audit recorder inside its transaction
/// (<see cref="Audit.AuditRecorder"/>); a watcher's <c>project</c> turns each one into a small record right there (or
/// drops it), and <c>committed</c> receives a unit of work's records after its commit, on the writer's thread — so it
/// must only hand them over (e.g. to a queue), never block. A rolled-back unit of work publishes nothing.
/// Changes made by another process are that process's to publish.
/// </summary>
public sealed class CommitFeed
{
    private readonly Lock gate = new();
    private volatile Watcher[] watchers = [];

    /// <summary>Starts watching <paramref name="collection"/> (a StoreSchema name such as <c>components</c>); dispose to stop.</summary>
    public IDisposable Watch(string collection, Func<string, object?, object?, object?> project, Action<IReadOnlyList<object>> committed)
    {
        var watcher = new Watcher(this, collection, project, committed);
        lock (gate) watchers = [.. watchers, watcher];
        return watcher;
    }

    /// <summary>A recorder for one unit of work, or null when nobody watches (then changes cost nothing extra).</summary>
    internal CommitBatch? Begin()
    {
        var current = watchers;
        return current.Length == 0 ? null : new CommitBatch(current);
    }

    private void Remove(Watcher watcher)
    {
        lock (gate) watchers = watchers.Where(w => w != watcher).ToArray();
    }

    internal sealed class Watcher(CommitFeed feed, string collection, Func<string, object?, object?, object?> project, Action<IReadOnlyList<object>> committed) : IDisposable
    {
        public string Collection { get; } = collection;

        public Func<string, object?, object?, object?> Project { get; } = project;

        public Action<IReadOnlyList<object>> Committed { get; } = committed;

        public void Dispose() => feed.Remove(this);
    }
}

/// <summary>The watched changes of one unit of work, published after its commit.</summary>
internal sealed class CommitBatch(CommitFeed.Watcher[] watchers)
{
    private readonly List<object>?[] records = new List<object>?[watchers.Length];

    public void Record(string collection, string id, object? before, object? after)
    {
        for (var i = 0; i < watchers.Length; i++)
        {
            if (!string.Equals(watchers[i].Collection, collection, StringComparison.Ordinal)) continue;
            if (watchers[i].Project(id, before, after) is { } record) (records[i] ??= []).Add(record);
        }
    }

    /// <summary>After the commit: a watcher's failure never turns a committed write into an error.</summary>
    public void Publish()
    {
        for (var i = 0; i < watchers.Length; i++)
        {
            if (records[i] is not { Count: > 0 } list) continue;
            try
            {
                watchers[i].Committed(list);
            }
            catch (Exception)
            {
                // the watcher keeps its own log; the data is committed either way
            }
        }
    }
}
