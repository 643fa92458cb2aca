using System.Collections.Concurrent;
using System.Net;
using OpenChami.Core.Errors;
using OpenChami.Core.Inventory;
using OpenChami.Core.Storage;

namespace OpenChami.Core.Discovery;

/// <summary>
/// Redfish discovery (spec/discovery-power.md §2): probe targets with real bounded concurrency, walk every BMC
/// that answers with its credential, store each BMC in its own transaction. One BMC's failure never stops the
/// others; every BMC named or found is reported. Progress and results are pushed to callbacks as they happen
/// (from worker threads: callers marshal them).
/// </summary>
public sealed class DiscoveryService(IChamiStore store, RedfishEndpointService endpoints)
{
    private readonly DiscoveredBmcWriter bmcWriter = new(endpoints);

    // Store writes are serialized: LiteDB allows one writer, and a stable order per BMC keeps runs deterministic.
    private readonly SemaphoreSlim storeGate = new(1, 1);

    /// <summary>Probes every target; returns those that answered as Redfish (all of them with <paramref name="includeSilent"/>).</summary>
    public async Task<IReadOnlyList<BmcProbeResult>> ScanAsync(IReadOnlyList<DiscoveryTarget> targets, DiscoveryOptions options,
        Action<BmcProbeResult>? onResult = null, Action<DiscoveryProgress>? onProgress = null, bool includeSilent = false,
        CancellationToken cancellationToken = default)
    {
        options.Validate();
        using var http = new RedfishHttp(options);
        var results = new ConcurrentBag<BmcProbeResult>();
        var completed = 0;
        var found = 0;
        void Report(DiscoveryTarget target, BmcProbeResult probe)
        {
            if (probe.IsRedfish) Interlocked.Increment(ref found);
            if (probe.IsRedfish || includeSilent || !target.FromSubnet)
            {
                results.Add(probe);
                onResult?.Invoke(probe);
            }
            onProgress?.Invoke(new DiscoveryProgress(Interlocked.Increment(ref completed), targets.Count, found, 0, target.ToString()));
        }
        await RunStagesAsync(targets, options, http,
            (target, closed, _) => { Report(target, closed); return Task.CompletedTask; },
            async (target, token) => Report(target, await http.ProbeAsync(target, token).ConfigureAwait(false)),
            cancellationToken).ConfigureAwait(false);
        return Sort(results, r => (r.Address, r.Port));
    }

    /// <summary>
    /// Discovers every target: probe, walk, store (or only plan, with <see cref="DiscoveryOptions.Preview"/>).
    /// Subnet addresses where nothing answers are counted, not reported; explicit addresses always are.
    /// On cancellation the BMCs already stored stay stored and the summary says it was stopped.
    /// </summary>
    public async Task<DiscoverySummary> DiscoverAsync(IReadOnlyList<DiscoveryTarget> targets, DiscoveryOptions options,
        Action<DiscoveryResult>? onResult = null, Action<DiscoveryProgress>? onProgress = null, CancellationToken cancellationToken = default)
    {
        options.Validate();
        var time = options.TimeProvider;
        var summary = new DiscoverySummary { Targets = targets.Count, WhatIf = options.Preview, Started = time.GetLocalNow() };
        var started = time.GetTimestamp();
        var results = new ConcurrentBag<DiscoveryResult>();
        var completed = 0;
        var found = 0;
        var failed = 0;
        var silent = 0;
        using var http = new RedfishHttp(options);
        try
        {
            void Report(DiscoveryTarget target, DiscoveryResult? result)
            {
                if (result is null)
                {
                    Interlocked.Increment(ref silent);
                }
                else
                {
                    if (result.Stage is not ("Connect" or "Probe")) Interlocked.Increment(ref found); // answered as Redfish
                    if (result.Status == BmcDiscoveryStatus.Failed) Interlocked.Increment(ref failed);
                    results.Add(result);
                    onResult?.Invoke(result);
                }
                onProgress?.Invoke(new DiscoveryProgress(Interlocked.Increment(ref completed), targets.Count, found, failed, target.ToString()));
            }
            await RunStagesAsync(targets, options, http,
                (target, closed, _) => { Report(target, target.FromSubnet ? null : ClosedResult(target, closed, options)); return Task.CompletedTask; },
                async (target, token) => Report(target, await DiscoverOneAsync(http, target, options, token).ConfigureAwait(false)),
                cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            summary.Cancelled = true;
        }

        summary.Results = Sort(results, r => (r.Address, r.Port)).ToList();
        summary.Found = found;
        summary.Silent = silent;
        summary.Added = summary.Results.Count(r => r.Status == BmcDiscoveryStatus.Added);
        summary.Updated = summary.Results.Count(r => r.Status == BmcDiscoveryStatus.Updated);
        summary.Unchanged = summary.Results.Count(r => r.Status == BmcDiscoveryStatus.Unchanged);
        summary.Failed = summary.Results.Count(r => r.Status == BmcDiscoveryStatus.Failed);
        summary.Warnings = summary.Results.Sum(r => r.Warnings.Count);
        summary.Duration = time.GetElapsedTime(started);
        return summary;
    }

    /// <summary>
    /// Two stages: TCP connects run wide (<see cref="DiscoveryOptions.ConnectThrottleLimit"/>), so silence costs about
    /// one connect timeout; targets with an open port go on to <paramref name="onOpen"/>, <see cref="DiscoveryOptions.ThrottleLimit"/>
    /// at a time. A failure or cancellation of either stage stops both.
    /// </summary>
    private static async Task RunStagesAsync(IReadOnlyList<DiscoveryTarget> targets, DiscoveryOptions options, RedfishHttp http,
        Func<DiscoveryTarget, BmcProbeResult, CancellationToken, Task> onClosed, Func<DiscoveryTarget, CancellationToken, Task> onOpen,
        CancellationToken cancellationToken)
    {
        using var both = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var open = System.Threading.Channels.Channel.CreateBounded<DiscoveryTarget>(Math.Max(16, options.ThrottleLimit * 2));
        var connectStage = Task.Run(async () =>
        {
            try
            {
                await Parallel.ForEachAsync(targets,
                    new ParallelOptions { MaxDegreeOfParallelism = Math.Max(options.ConnectThrottleLimit, options.ThrottleLimit), CancellationToken = both.Token },
                    async (target, token) =>
                    {
                        if (await http.ConnectAsync(target, token).ConfigureAwait(false) is { } closed) await onClosed(target, closed, token).ConfigureAwait(false);
                        else await open.Writer.WriteAsync(target, token).ConfigureAwait(false);
                    }).ConfigureAwait(false);
            }
            catch
            {
                await both.CancelAsync().ConfigureAwait(false);
                throw;
            }
            finally
            {
                open.Writer.TryComplete();
            }
        }, CancellationToken.None);
        var workStage = Task.Run(async () =>
        {
            try
            {
                await Parallel.ForEachAsync(open.Reader.ReadAllAsync(both.Token),
                    new ParallelOptions { MaxDegreeOfParallelism = options.ThrottleLimit, CancellationToken = both.Token },
                    async (target, token) => await onOpen(target, token).ConfigureAwait(false)).ConfigureAwait(false);
            }
            catch
            {
                await both.CancelAsync().ConfigureAwait(false);
                throw;
            }
        }, CancellationToken.None);
        try
        {
            await Task.WhenAll(connectStage, workStage).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancellationToken);
        }
        catch when (!cancellationToken.IsCancellationRequested)
        {
            // Surface the real failure, not the cancellation it caused in the other stage.
            var real = new[] { connectStage, workStage }.Select(t => t.Exception?.InnerException).FirstOrDefault(e => e is not null and not OperationCanceledException);
            if (real is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(real);
            throw;
        }
    }

    private DiscoveryResult ClosedResult(DiscoveryTarget target, BmcProbeResult closed, DiscoveryOptions options)
    {
        RecordFailure(target, DiscoveryFailure.Closed, options);
        var now = options.TimeProvider.GetLocalNow();
        return new DiscoveryResult
        {
            Address = target.Host, Port = target.Port, Scheme = target.Scheme, Status = BmcDiscoveryStatus.Failed, Reason = DiscoveryFailure.Closed,
            Stage = "Connect", Error = closed.Message, WhatIf = options.Preview, Started = now - closed.Duration, Finished = now,
        };
    }

    /// <summary>One target with an open port, end to end; null for a subnet address that is not Redfish.</summary>
    private async Task<DiscoveryResult?> DiscoverOneAsync(RedfishHttp http, DiscoveryTarget target, DiscoveryOptions options, CancellationToken cancellationToken)
    {
        var result = new DiscoveryResult { Address = target.Host, Port = target.Port, Scheme = target.Scheme, Started = options.TimeProvider.GetLocalNow(), WhatIf = options.Preview };
        DiscoveryResult Fail(DiscoveryFailure reason, string stage, string message, int? status = null)
        {
            result.Status = BmcDiscoveryStatus.Failed;
            result.Reason = reason;
            result.Stage = stage;
            result.Error = message;
            if (status is not null) result.HttpStatus = status;
            RecordFailure(target, reason, options);
            result.Finished = options.TimeProvider.GetLocalNow();
            return result;
        }

        var probe = await http.ProbeAsync(target, cancellationToken).ConfigureAwait(false);
        result.HttpStatus = probe.HttpStatus;
        if (!probe.IsRedfish)
        {
            if (target.FromSubnet && probe.Status is BmcProbeStatus.Closed or BmcProbeStatus.NotRedfish) return null;
            var reason = probe.Status switch
            {
                BmcProbeStatus.Closed => DiscoveryFailure.Closed,
                BmcProbeStatus.Timeout => DiscoveryFailure.Timeout,
                BmcProbeStatus.TlsError => DiscoveryFailure.TlsError,
                _ => DiscoveryFailure.NotRedfish,
            };
            return Fail(reason, probe.Status == BmcProbeStatus.Closed ? "Connect" : "Probe", probe.Message ?? probe.Status.ToString());
        }

        RedfishBmcInventory inventory;
        using (var bmcBudget = http.StartDeadline(options.BmcTimeout, cancellationToken))
        {
            var connection = new RedfishConnection(http, target, options.Credentials.Resolve(target) ?? StoredCredential(target));
            try
            {
                inventory = await new RedfishWalker(connection, bmcBudget.Token).WalkAsync().ConfigureAwait(false);
            }
            catch (RedfishRequestException e)
            {
                return Fail(e.Reason, e.Reason == DiscoveryFailure.AuthFailed ? "Auth" : "Walk", e.Message, e.HttpStatus);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return Fail(DiscoveryFailure.Timeout, "Walk", $"the walk took longer than the BMC budget of {options.BmcTimeout.TotalSeconds:0.#} s");
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Whatever a vendor's JSON does to the walker, it costs this BMC only, never the run.
                return Fail(DiscoveryFailure.WalkFailed, "Walk", $"unexpected answer: {e.Message}");
            }
        }

        result.Inventory = inventory;
        result.Systems = inventory.Systems.Count;
        result.Managers = inventory.Managers.Count;
        result.MacAddresses = inventory.Systems.SelectMany(s => s.MacAddresses).Distinct().ToList();
        result.BmcMacAddress = inventory.BmcMacAddress;
        result.Warnings.AddRange(inventory.Warnings);

        // The store is shared by all workers; the cancellation token is not passed into the transaction on purpose:
        // a BMC that reached this point is stored completely or not at all.
        await storeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        BmcWriteOutcome? outcome = null;
        try
        {
            try
            {
                store.Write(s =>
                {
                    outcome = bmcWriter.Write(s, inventory, options.XnameMap, options.SkipCertificateCheck, options.TimeProvider.GetUtcNow().UtcDateTime);
                    // -WhatIf runs the very same code and rolls it back: what it reports is what a real run does.
                    if (options.Preview || outcome.Failure is not null) throw new RollbackException();
                });
            }
            catch (RollbackException)
            {
            }
            result.Xname = outcome!.Xname;
            // Named after the BMC only now: its xname is decided by the write step.
            result.Warnings.AddRange(inventory.Skipped.Select(f => f.Describe(result.Xname ?? target.HostWithPort)));
            result.Nodes = outcome.Nodes;
            result.Changes = outcome.Changes;
            result.Warnings.AddRange(outcome.Warnings);
            result.Record = outcome.Record;
            if (outcome.Failure is { } failure)
            {
                return Fail(failure, failure == DiscoveryFailure.Unmapped ? "Map" : "Store", outcome.Error ?? failure.ToString());
            }
            result.Status = outcome.Status;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The transaction rolled back: the store is as it was for this BMC.
            if (result.Xname is null) result.Warnings.AddRange(inventory.Skipped.Select(f => f.Describe(outcome?.Xname ?? target.HostWithPort)));
            return Fail(DiscoveryFailure.StoreFailed, "Store", e.Message);
        }
        finally
        {
            storeGate.Release();
        }
        result.Finished = options.TimeProvider.GetLocalNow();
        return result;
    }

    private sealed class RollbackException : Exception;

    /// <summary>
    /// Without a credential for this run (spec §2.6): the one stored for the endpoint already known at this address:port.
    /// An explicit -Credential/-CredentialMap wins and is never written back.
    /// </summary>
    private NetworkCredential? StoredCredential(DiscoveryTarget target)
    {
        var fqdn = target.HostWithPort;
        var known = store.Read(s => s.Collection<Model.RedfishEndpoint>().FindOne(r => r.FQDN == fqdn));
        return known is not null && endpoints.Credentials.Get(known.ID) is { } stored ? new NetworkCredential(stored.User, stored.Secret) : null;
    }

    /// <summary>A known endpoint whose discovery failed gets the SMD status for it (§2.7); unknown targets leave no trace.</summary>
    private void RecordFailure(DiscoveryTarget target, DiscoveryFailure reason, DiscoveryOptions options)
    {
        if (options.Preview) return;
        var status = reason switch
        {
            DiscoveryFailure.AuthFailed => Model.DiscoveryStatus.VerificationFailed,
            DiscoveryFailure.Closed or DiscoveryFailure.Timeout or DiscoveryFailure.TlsError or DiscoveryFailure.NotRedfish => Model.DiscoveryStatus.HTTPsGetFailed,
            DiscoveryFailure.WalkFailed => Model.DiscoveryStatus.EPResponseFailedDecode,
            DiscoveryFailure.StoreFailed => Model.DiscoveryStatus.StoreFailed,
            _ => (Model.DiscoveryStatus?)null,
        };
        if (status is null) return;
        var fqdn = target.HostWithPort;
        var known = store.Read(s => s.Collection<Model.RedfishEndpoint>().FindOne(r => r.FQDN == fqdn));
        if (known is null || known.DiscoveryInfo.LastDiscoveryStatus == status) return;
        try
        {
            endpoints.SetDiscoveryStatus(known.ID, status.Value, options.TimeProvider.GetUtcNow().UtcDateTime);
        }
        catch (ChamiException)
        {
            // Deleted meanwhile: nothing to mark.
        }
    }

    private static IReadOnlyList<T> Sort<T>(IEnumerable<T> items, Func<T, (string Address, int Port)> key) =>
        items.OrderBy(i => AddressKey(key(i).Address)).ThenBy(i => key(i).Port).ToList();

    /// <summary>Numeric order for IPv4 (10.0.0.9 before 10.0.0.10), text order otherwise.</summary>
    private static string AddressKey(string address) =>
        System.Net.IPAddress.TryParse(address, out var ip) && ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork
            ? string.Concat(ip.GetAddressBytes().Select(b => b.ToString("000", System.Globalization.CultureInfo.InvariantCulture)))
            : "~" + address;
}
