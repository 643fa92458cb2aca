using System.Collections.Concurrent;
using OpenChami.Core.Errors;
using OpenChami.Core.Inventory;
using OpenChami.Core.Model;
using OpenChami.Core.Storage;
using OpenChami.Core.Xnames;

namespace OpenChami.Core.Discovery;

/// <summary>
/// Discovery over the API (spec/smd.md §2.12): <c>POST /Inventory/Discover</c> runs OUR Redfish discovery on named
/// RedfishEndpoints in the background, with their stored credentials, and reports in a DiscoveryStatus row. The endpoints'
/// <c>DiscoveryInfo</c> moves to <c>DiscoveryStarted</c> when queued and to the outcome's status when done.
/// </summary>
public sealed class ApiDiscoveryService(IChamiStore store, RedfishEndpointService endpoints, DiscoveryService discovery, TimeProvider time)
{
    private readonly ConcurrentDictionary<int, Task> running = new();

    /// <summary>Scheme for endpoint addresses without one (Redfish is HTTPS; <c>OPENCHAMI_BMC_SCHEME=http</c> as for power control).</summary>
    public string DefaultScheme { get; set; } = new Power.PowerEngineOptions().DefaultScheme;

    /// <summary>Adjusts each run's options (timeouts, concurrency); tests shorten the timeouts.</summary>
    public Action<DiscoveryOptions>? ConfigureOptions { get; set; }

    /// <summary>Every run, row 0 first (shown as <c>NotStarted</c> before any run).</summary>
    public IReadOnlyList<DiscoveryRun> List()
    {
        var runs = store.Read(s => s.Collection<DiscoveryRun>().All()).OrderBy(r => r.ID).ToList();
        if (runs.Count == 0 || runs[0].ID != 0) runs.Insert(0, RowZero());
        return runs;
    }

    public DiscoveryRun Get(int id) =>
        store.Read(s => s.Collection<DiscoveryRun>().Get(DiscoveryRun.KeyOf(id))) ?? (id == 0 ? RowZero() : throw ChamiException.NotFound("DiscoveryStatusNotFound", "no such DiscoveryStatus ID.", id.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>The run's background task (tests wait on it); null when it is not running in this process.</summary>
    public Task? Running(int id) => running.GetValueOrDefault(id);

    /// <summary>
    /// Queues discovery of <paramref name="xnames"/> (every RedfishEndpoint when empty). Unknown or invalid xnames refuse
    /// the whole request (nothing queued). Without <paramref name="force"/>, an endpoint already in <c>DiscoveryStarted</c>
    /// is left to the run that has it; a disabled one is marked <c>EndpointNotEnabled</c>.
    /// </summary>
    public DiscoveryRun Start(IReadOnlyList<string> xnames, bool force)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var (run, queued) = store.Write(s =>
        {
            var rfes = s.Collection<RedfishEndpoint>();
            List<RedfishEndpoint> chosen;
            if (xnames.Count == 0)
            {
                chosen = rfes.All().ToList();
            }
            else
            {
                chosen = [];
                foreach (var raw in xnames)
                {
                    if (!Xname.TryParse(raw, out var id, out _)) throw ChamiException.Invalid("InvalidXname", $"invalid xname: {raw}", raw);
                    var rfe = rfes.Get(id) ?? throw ChamiException.NotFound("EndpointNotFound", $"no such RedfishEndpoint: {id}", id);
                    if (!chosen.Contains(rfe)) chosen.Add(rfe);
                }
            }
            var runs = s.Collection<DiscoveryRun>();
            if (!runs.Exists(DiscoveryRun.KeyOf(0))) runs.Insert(WithKey(RowZero()));
            var details = new DiscoveryRunDetails { Xnames = chosen.Select(r => r.ID).ToList(), Force = force };
            var queued = new List<RedfishEndpoint>();
            foreach (var rfe in chosen)
            {
                if (!rfe.Enabled)
                {
                    Mark(rfes, rfe, DiscoveryStatus.EndpointNotEnabled, now);
                    details.Results[rfe.ID] = nameof(DiscoveryStatus.EndpointNotEnabled);
                }
                else if (!force && rfe.DiscoveryInfo.LastDiscoveryStatus == DiscoveryStatus.DiscoveryStarted)
                {
                    details.Results[rfe.ID] = nameof(DiscoveryStatus.DiscoveryStarted); // another run has it
                }
                else
                {
                    Mark(rfes, rfe, DiscoveryStatus.DiscoveryStarted, now);
                    queued.Add(rfe);
                }
            }
            var run = WithKey(new DiscoveryRun { ID = runs.Count(), Status = DiscoveryRunStatus.Pending, LastUpdateTime = now, Details = details });
            runs.Insert(run);
            return (run, queued);
        });
        running[run.ID] = Task.Run(() => RunAsync(run, queued));
        return run;
    }

    private async Task RunAsync(DiscoveryRun run, List<RedfishEndpoint> queued)
    {
        try
        {
            Save(run, DiscoveryRunStatus.InProgress);
            // An endpoint's certificate choice is its own (SkipCertificateCheck), so each choice is one discovery pass.
            foreach (var group in queued.GroupBy(r => r.SkipCertificateCheck == true))
            {
                var options = new DiscoveryOptions { TimeProvider = time, SkipCertificateCheck = group.Key };
                ConfigureOptions?.Invoke(options);
                var targets = new List<DiscoveryTarget>();
                foreach (var rfe in group)
                {
                    try
                    {
                        var (host, port, scheme) = DiscoveryTargets.ParseAddress(rfe.FQDN, DefaultScheme);
                        targets.Add(new DiscoveryTarget(host, port ?? DiscoveryTarget.DefaultPort(scheme), scheme));
                    }
                    catch (ChamiException e)
                    {
                        Finish(run, rfe.ID, DiscoveryStatus.EndpointInvalid, e.Message);
                    }
                }
                var summary = await discovery.DiscoverAsync(targets, options).ConfigureAwait(false);
                foreach (var result in summary.Results)
                {
                    var rfe = group.FirstOrDefault(r => r.FQDN == new DiscoveryTarget(result.Address, result.Port, result.Scheme).HostWithPort);
                    if (rfe is null) continue;
                    var status = endpoints.Find(rfe.ID)?.DiscoveryInfo.LastDiscoveryStatus ?? DiscoveryStatus.UnexpectedErrorPreStore;
                    if (result.Status == BmcDiscoveryStatus.Failed && status == DiscoveryStatus.DiscoveryStarted) status = DiscoveryStatus.UnexpectedErrorPreStore;
                    Finish(run, rfe.ID, status, result.Status == BmcDiscoveryStatus.Failed ? result.Error : null);
                }
            }
        }
        catch (Exception e)
        {
            run.Details ??= new DiscoveryRunDetails();
            (run.Details.Errors ??= [])["*"] = e.Message;
        }
        finally
        {
            Save(run, DiscoveryRunStatus.Complete);
            running.TryRemove(run.ID, out _);
        }
    }

    /// <summary>Records one endpoint's outcome; one whose discovery left no status of its own (e.g. the endpoint moved) gets it here.</summary>
    private void Finish(DiscoveryRun run, string xname, DiscoveryStatus status, string? error)
    {
        run.Details!.Results[xname] = status.ToString();
        if (error is not null) (run.Details.Errors ??= [])[xname] = error;
        if (status is not (DiscoveryStatus.DiscoverOK or DiscoveryStatus.DiscoveryStarted))
        {
            try
            {
                if (endpoints.Find(xname)?.DiscoveryInfo.LastDiscoveryStatus != status) endpoints.SetDiscoveryStatus(xname, status, time.GetUtcNow().UtcDateTime);
            }
            catch (ChamiException)
            {
                // deleted meanwhile
            }
        }
    }

    private void Save(DiscoveryRun run, string status)
    {
        run.Status = status;
        run.LastUpdateTime = time.GetUtcNow().UtcDateTime;
        store.Write(s => s.Collection<DiscoveryRun>().Upsert(run));
    }

    private static void Mark(IDocumentCollection<RedfishEndpoint> rfes, RedfishEndpoint rfe, DiscoveryStatus status, DateTime now)
    {
        var copy = rfe.Clone();
        copy.DiscoveryInfo.LastDiscoveryStatus = status;
        copy.DiscoveryInfo.LastDiscoveryAttempt = now;
        rfes.Update(copy);
    }

    private static DiscoveryRun RowZero() => WithKey(new DiscoveryRun { ID = 0, Status = DiscoveryRunStatus.NotStarted, LastUpdateTime = DateTime.UnixEpoch });

    private static DiscoveryRun WithKey(DiscoveryRun run)
    {
        run.Key = DiscoveryRun.KeyOf(run.ID);
        return run;
    }
}
