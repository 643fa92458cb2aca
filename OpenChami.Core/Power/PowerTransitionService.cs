using System.Collections.Concurrent;
using OpenChami.Core.Errors;
using OpenChami.Core.Storage;
using OpenChami.Core.Xnames;

namespace OpenChami.Core.Power;

/// <summary>
/// PCS transitions: created and read here, executed by the server's transition worker
/// (<see cref="PowerTransitionWorker"/>), kept in the store so they survive a restart.
/// </summary>
public sealed class PowerTransitionService
{
    /// <summary>Completed transitions are kept this long (spec: 24 h)...</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromHours(24);

    /// <summary>...and at most this many.</summary>
    public const int MaxKept = 20_000;

    private readonly IChamiStore store;
    private readonly PowerService power;
    private readonly ConcurrentDictionary<string, CancellationTokenSource> running = new(StringComparer.Ordinal);

    internal PowerTransitionService(IChamiStore store, PowerService power)
    {
        this.store = store;
        this.power = power;
    }

    // Timestamps, leases and expiry on the engine's clock (a fake one in tests).
    private DateTime Now => power.Options.TimeProvider.GetUtcNow().UtcDateTime;

    /// <summary>Raised after a transition is stored, so a worker in this process starts it at once.</summary>
    internal event Action? Created;

    /// <summary>Validates and stores a new transition (status <c>new</c>); the server's worker runs it.</summary>
    public PowerTransition Create(TransitionRequest? request)
    {
        if (request is null) throw ChamiException.Invalid("EmptyBody", "empty body not allowed");
        if (!PowerOperations.TryParse(request.Operation, out var operation))
        {
            throw ChamiException.Invalid("InvalidPowerOperation", $"invalid Operation type {request.Operation}");
        }

        var locations = request.Location ?? [];
        if (locations.Count == 0) throw ChamiException.Invalid("EmptyLocation", "no location specified: give at least one xname");
        var invalid = locations.Where(l => !Xname.IsValid(l.Xname)).Select(l => l.Xname ?? "").ToList();
        if (invalid.Count > 0) throw ChamiException.Invalid("InvalidXname", $"invalid xnames detected: {string.Join(" ", invalid)}");

        var now = Now;
        // Reservations (spec/discovery-power.md §4.5.1): a component locked or reserved by someone else fails at once,
        // unless its location carries the reservation's deputyKey; nothing is sent to its BMC.
        var keys = locations.GroupBy(l => Xname.Parse(l.Xname), StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(l => l.DeputyKey).FirstOrDefault(k => !string.IsNullOrEmpty(k)), StringComparer.Ordinal);
        var transition = new PowerTransition
        {
            TransitionID = Guid.NewGuid().ToString(),
            Operation = operation,
            CreateTime = now,
            AutomaticExpirationTime = now + Retention,
            TransitionStatus = TransitionStatus.New,
            TaskDeadlineMinutes = request.TaskDeadlineMinutes ?? 5,
            Tasks = locations.Select(l => Xname.Parse(l.Xname)).Distinct(StringComparer.Ordinal)
                .Select(x => new PowerTransitionTask { Xname = x, TaskStatus = TransitionTaskStatus.New, TaskStatusDescription = "Gathering data" })
                .ToList(),
            LastUpdated = now,
        };
        store.Write(s =>
        {
            foreach (var task in transition.Tasks)
            {
                if (power.ReservationRefusal(s, task.Xname, keys[task.Xname]) is not { } refusal) continue;
                task.TaskStatus = TransitionTaskStatus.Failed;
                task.TaskStatusDescription = "Failed to achieve transition";
                task.Error = refusal;
            }

            s.Collection<PowerTransition>().Insert(transition);
        });
        Created?.Invoke();
        return transition;
    }

    /// <summary>Every transition not yet expired, newest first.</summary>
    public IReadOnlyList<PowerTransition> List()
    {
        var now = Now;
        return store.Read(s => s.Collection<PowerTransition>().Find(t => t.AutomaticExpirationTime > now))
            .OrderByDescending(t => t.CreateTime).ToList();
    }

    /// <summary>One transition; InvalidArgument for a malformed ID, NotFound when unknown.</summary>
    public PowerTransition Get(string transitionId)
    {
        var id = ParseId(transitionId);
        return store.Read(s => s.Collection<PowerTransition>().Get(id))
            ?? throw ChamiException.NotFound("TransitionNotFound", "TransitionID does not exist", id);
    }

    /// <summary>Signals a running transition to stop; remaining tasks end <c>failed</c> with "Transition aborted".</summary>
    public PowerTransition Abort(string transitionId)
    {
        var id = ParseId(transitionId);
        var aborted = store.Write(s =>
        {
            var collection = s.Collection<PowerTransition>();
            var transition = collection.Get(id) ?? throw ChamiException.NotFound("TransitionNotFound", "TransitionID does not exist", id);
            if (transition.IsFinished())
            {
                throw ChamiException.Invalid("TransitionFinished", "Transition is already finished and cannot be aborted.", id);
            }

            transition.TransitionStatus = TransitionStatus.AbortSignaled;
            transition.LastUpdated = Now;
            collection.Update(transition);
            return transition;
        });
        if (running.TryGetValue(id, out var cancel)) cancel.Cancel();
        Created?.Invoke(); // wake the worker: a transition that never started is finished there
        return aborted;
    }

    private static string ParseId(string transitionId) =>
        Guid.TryParse(transitionId, out var guid)
            ? guid.ToString()
            : throw ChamiException.Invalid("InvalidTransitionId", $"invalid transitionID {transitionId}: not a UUID", transitionId);

    // ---- execution (called by the worker) ----

    /// <summary>A worker whose heartbeat is older than this is gone (process ended); its transitions may be taken over.</summary>
    internal static readonly TimeSpan OwnerLease = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Claims <paramref name="id"/> for <paramref name="ownerId"/> when it is new, or when its owner stopped renewing
    /// its heartbeat (a server that ended mid-transition, in this process or another one on the same database).
    /// Null when someone else is running it.
    /// </summary>
    internal PowerTransition? Claim(string id, string ownerId) => store.Write(s =>
    {
        var collection = s.Collection<PowerTransition>();
        var t = collection.Get(id);
        if (t is null || t.IsFinished()) return null;
        var now = Now;
        var orphaned = t.OwnerId is null || t.OwnerHeartbeat is not { } beat || now - beat > OwnerLease;
        if (t.OwnerId == ownerId || !orphaned) return null;
        if (t.TransitionStatus == TransitionStatus.New) t.TransitionStatus = TransitionStatus.InProgress;
        t.OwnerId = ownerId;
        t.OwnerHeartbeat = now;
        t.LastUpdated = now;
        collection.Update(t);
        return t;
    });

    /// <summary>Renews the owner's heartbeat on a transition it is running.</summary>
    internal void Heartbeat(string id, string ownerId) => store.Write(s =>
    {
        var collection = s.Collection<PowerTransition>();
        var t = collection.Get(id);
        if (t is null || t.OwnerId != ownerId || t.IsFinished()) return;
        t.OwnerHeartbeat = Now;
        collection.Update(t);
    });

    internal IReadOnlyList<PowerTransition> Unfinished() => store.Read(s => s.Collection<PowerTransition>()
        .Find(t => t.TransitionStatus == TransitionStatus.New || t.TransitionStatus == TransitionStatus.InProgress || t.TransitionStatus == TransitionStatus.AbortSignaled));

    internal bool IsAbortSignaled(string id) =>
        store.Read(s => s.Collection<PowerTransition>().Get(id))?.TransitionStatus == TransitionStatus.AbortSignaled;

    /// <summary>Runs the unfinished tasks of a claimed transition to the end (or until aborted / stopped).</summary>
    internal async Task ExecuteAsync(PowerTransition transition, CancellationToken stopping)
    {
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        running[transition.TransitionID] = abort;
        try
        {
            if (transition.TransitionStatus != TransitionStatus.AbortSignaled)
            {
                await RunTasksAsync(transition, abort.Token, stopping).ConfigureAwait(false);
            }
        }
        finally
        {
            running.TryRemove(transition.TransitionID, out _);
        }

        if (stopping.IsCancellationRequested && !IsAbortSignaled(transition.TransitionID))
        {
            return; // server stopping: leave it in-progress; the next start resumes it
        }

        Finish(transition.TransitionID);
    }

    internal void CancelIfRunning(string id)
    {
        if (running.TryGetValue(id, out var cancel)) cancel.Cancel();
    }

    private async Task RunTasksAsync(PowerTransition transition, CancellationToken cancellationToken, CancellationToken stopping)
    {
        var deadline = transition.TaskDeadlineMinutes;
        var nodeOptions = new NodeRunOptions
        {
            Wait = true,
            NoConfirm = deadline == 0,
            StepTimeout = deadline < 0 ? TimeSpan.FromDays(1) : TimeSpan.FromMinutes(Math.Max(deadline, 0)),
        };
        var operation = transition.Operation;
        var operationName = PowerOperations.CanonicalName(operation);
        var pending = transition.Tasks.Where(t => !t.IsFinished()).Select(t => t.Xname).ToList();
        using var client = new RedfishPowerClient(power.Options.Clone());
        var runner = new PowerNodeRunner(client);
        try
        {
            await PowerFanOut.RunAsync(pending, async (xname, ct) =>
            {
                PowerTarget target;
                try
                {
                    target = power.Resolve(xname);
                }
                catch (ChamiException ex)
                {
                    UpdateTask(transition.TransitionID, xname, TransitionTaskStatus.Failed, "Failed to achieve transition", ex.Message, null);
                    return (PowerActionResult?)null;
                }

                UpdateTask(transition.TransitionID, xname, TransitionTaskStatus.InProgress, "Gathering data", null, null);
                return await runner.RunAsync(target, operationName,
                    (allowed, current) => PowerPlanner.PlanOperation(operation, allowed, current), nodeOptions,
                    description => UpdateTask(transition.TransitionID, xname, TransitionTaskStatus.InProgress, description, null, null),
                    ct).ConfigureAwait(false);
            }, (xname, result) =>
            {
                if (result is null) return;
                var status = result.Status == PowerActionStatus.Succeeded ? TransitionTaskStatus.Succeeded
                    : result.Unsupported ? TransitionTaskStatus.Unsupported
                    : TransitionTaskStatus.Failed;
                var interrupted = cancellationToken.IsCancellationRequested && status == TransitionTaskStatus.Failed;
                if (interrupted && stopping.IsCancellationRequested) return; // server stopping: resumed on the next start
                var error = interrupted ? "Transition aborted" : result.Error;
                UpdateTask(transition.TransitionID, xname, status, result.Message ?? status.ToString(), error, result);
            }, new FanOutOptions { ThrottleLimit = 64 }, cancellationToken, client.Options.TimeProvider).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // aborted or stopping: Finish (or the next start) settles the remaining tasks
        }
    }

    private void UpdateTask(string transitionId, string xname, TransitionTaskStatus status, string description, string? error, PowerActionResult? result) =>
        store.Write(s =>
        {
            var collection = s.Collection<PowerTransition>();
            var transition = collection.Get(transitionId);
            var task = transition?.Tasks.FirstOrDefault(t => t.Xname == xname);
            if (transition is null || task is null || task.IsFinished()) return;
            task.TaskStatus = status;
            task.TaskStatusDescription = description;
            task.Error = error;
            if (result is not null) task.ResetTypesSent = result.ResetTypesSent.ToList();
            transition.LastUpdated = Now;
            collection.Update(transition);

            // Write the confirmed state back to the inventory (BulkStateData in upstream PCS).
            if (status == TransitionTaskStatus.Succeeded) PowerService.WriteBackState(s, xname, result?.FinalPowerState);
        });

    private void Finish(string transitionId) => store.Write(s =>
    {
        var collection = s.Collection<PowerTransition>();
        var transition = collection.Get(transitionId);
        if (transition is null || transition.IsFinished()) return;
        var aborted = transition.TransitionStatus == TransitionStatus.AbortSignaled;
        foreach (var task in transition.Tasks.Where(t => !t.IsFinished()))
        {
            task.TaskStatus = TransitionTaskStatus.Failed;
            task.TaskStatusDescription = "Failed to achieve transition";
            task.Error = aborted ? "Transition aborted" : task.Error ?? "Transition ended before this task ran";
        }

        transition.TransitionStatus = aborted ? TransitionStatus.Aborted : TransitionStatus.Completed;
        transition.LastUpdated = Now;
        collection.Update(transition);
    });

    /// <summary>Drops finished transitions past their expiration, and the oldest beyond <see cref="MaxKept"/>.</summary>
    internal int Expire()
    {
        var now = Now;
        return store.Write(s =>
        {
            var collection = s.Collection<PowerTransition>();
            var removed = collection.DeleteMany(t => t.AutomaticExpirationTime <= now
                && (t.TransitionStatus == TransitionStatus.Completed || t.TransitionStatus == TransitionStatus.Aborted));
            var count = collection.Count();
            if (count > MaxKept)
            {
                foreach (var old in collection.Find(t => t.TransitionStatus == TransitionStatus.Completed || t.TransitionStatus == TransitionStatus.Aborted)
                             .OrderBy(t => t.CreateTime).Take(count - MaxKept))
                {
                    removed += collection.Delete(old.TransitionID) ? 1 : 0;
                }
            }

            return removed;
        });
    }
}
