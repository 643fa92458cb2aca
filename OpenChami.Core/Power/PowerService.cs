using OpenChami.Core.Errors;
using OpenChami.Core.Storage;
using OpenChami.Core.Xnames;

namespace OpenChami.Core.Power;

/// <summary>
/// Redfish power control over the inventory: live power status, power actions fanned out over many
/// components, and PCS transitions (<see cref="Transitions"/>). Cmdlets and <c>/power-control/v1</c> both
/// come here. Targets (BMC address, reset target, allowed ResetTypes, credential) come from
/// <see cref="Resolver"/>.
/// </summary>
public sealed class PowerService
{
    private readonly IChamiStore store;

    public PowerService(IChamiStore store, IPowerTargetResolver resolver)
    {
        this.store = store;
        Resolver = resolver;
        Transitions = new PowerTransitionService(store, this);
    }

    /// <summary>Power control over the inventory's ComponentEndpoints and the credential store.</summary>
    public static PowerService ForStore(IChamiStore store)
    {
        PowerService? service = null;
        service = new PowerService(store, new StorePowerTargetResolver(store, new Discovery.StoreCredentialStore(store), () => service!.Options.DefaultScheme));
        return service;
    }

    /// <summary>Where targets come from (the inventory by default; tests and scripts may bring their own).</summary>
    public IPowerTargetResolver Resolver { get; set; }

    /// <summary>Engine settings used by new runs (timeouts, retries, polling, TLS).</summary>
    public PowerEngineOptions Options { get; set; } = new();

    public PowerTransitionService Transitions { get; }

    /// <summary>The target of <paramref name="xname"/>, with <paramref name="credential"/> replacing the stored one when given.</summary>
    public PowerTarget Resolve(string xname, BmcCredential? credential = null)
    {
        if (!Xname.TryParse(xname, out _, out _))
        {
            throw ChamiException.Invalid("InvalidXname", $"'{xname}' is not a valid xname.", xname);
        }

        var target = Resolver.Resolve(xname);
        return credential is null ? target : target with { Credential = credential };
    }

    /// <summary>
    /// Refuses a power change of a component that is locked, reserved by someone else or has reservations disabled,
    /// unless <paramref name="key"/> is its reservation's deputy or reservation key (spec/discovery-power.md §4.5.1).
    /// The one check for PCS transitions and the power cmdlets alike; throws ComponentReserved (409).
    /// </summary>
    public void EnsureMayChange(string xname, string? key)
    {
        var id = Xname.TryParse(xname, out var parsed, out _) ? parsed : xname;
        if (store.Read(s => ReservationRefusal(s, id, key)) is { } refusal)
        {
            throw ChamiException.Conflict("ComponentReserved", refusal, id);
        }
    }

    /// <summary><see cref="EnsureMayChange"/> inside a unit of work: the refusal, or null.</summary>
    internal string? ReservationRefusal(IStoreSession session, string xname, string? key) =>
        Locks.LockService.PowerRefusal(session, xname, string.IsNullOrEmpty(key) ? null : key, Options.TimeProvider.GetUtcNow().UtcDateTime);

    /// <summary>
    /// Checks, before anything is sent, that the BMC advertised what <paramref name="action"/> needs; throws
    /// ResetTypeNotSupported otherwise. A target that advertised nothing inline is checked after its ActionInfo is read.
    /// </summary>
    public PowerPlan? Validate(PowerTarget target, PowerAction action, bool allowFallback) =>
        target.AllowedResetTypes.Count == 0 ? null : PowerPlanner.PlanAction(action, target.AllowedResetTypes, allowFallback, target.Xname);

    /// <summary>Runs <paramref name="action"/> on every target with bounded, staggered concurrency.</summary>
    public async Task RunActionAsync(IReadOnlyList<PowerTarget> targets, PowerAction action, bool allowFallback,
        NodeRunOptions nodeOptions, FanOutOptions fanOut, Action<PowerActionResult> onResult, CancellationToken cancellationToken,
        PowerEngineOptions? options = null)
    {
        using var client = new RedfishPowerClient((options ?? Options).Clone());
        var runner = new PowerNodeRunner(client);
        await PowerFanOut.RunAsync(targets,
            (target, ct) => runner.RunAsync(target, action.ToString(),
                (allowed, _) => PowerPlanner.PlanAction(action, allowed, allowFallback, target.Xname), nodeOptions, null, ct),
            (_, result) =>
            {
                if (result.Status == PowerActionStatus.Succeeded) store.Write(s => WriteBackState(s, result.Xname, result.FinalPowerState));
                onResult(result);
            }, fanOut, cancellationToken, client.Options.TimeProvider).ConfigureAwait(false);
    }

    /// <summary>
    /// Records a confirmed Redfish power state on the component (<c>State</c> On/Off), as PCS does with
    /// BulkStateData, so the inventory shows what the BMC reported. Unconfirmed or unknown states change nothing.
    /// </summary>
    internal static void WriteBackState(IStoreSession session, string xname, string? redfishPowerState)
    {
        if (redfishPowerState is not ("On" or "Off")) return;
        var components = session.Collection<Model.Component>();
        if (components.Get(xname) is not { } component) return;
        var state = redfishPowerState == "On" ? Model.HmsState.On : Model.HmsState.Off;
        if (component.State == state) return;
        component.State = state;
        components.Update(component);
    }

    /// <summary>
    /// Live power status of <paramref name="xnames"/> (every known target when empty). An xname without power
    /// control is reported <c>undefined</c>/<c>unavailable</c> with the reason, not dropped.
    /// </summary>
    public async Task<IReadOnlyList<PowerStatus>> GetStatusAsync(IReadOnlyList<string> xnames, BmcCredential? credential,
        int throttleLimit, CancellationToken cancellationToken, PowerEngineOptions? options = null)
    {
        var wanted = xnames.Count == 0 ? Resolver.ListXnames() : xnames.Select(x => Xname.Parse(x)).Distinct(StringComparer.Ordinal).ToList();
        var results = new PowerStatus[wanted.Count];
        using var client = new RedfishPowerClient((options ?? Options).Clone());
        var runner = new PowerNodeRunner(client);
        await PowerFanOut.RunAsync(Enumerable.Range(0, wanted.Count).ToList(), async (i, ct) =>
        {
            PowerTarget target;
            try
            {
                target = Resolve(wanted[i], credential);
            }
            catch (ChamiException ex)
            {
                return new PowerStatus { Xname = wanted[i], Error = ex.Message };
            }

            return await runner.GetStatusAsync(target, ct).ConfigureAwait(false);
        }, (i, status) => results[i] = status, new FanOutOptions { ThrottleLimit = throttleLimit }, cancellationToken, client.Options.TimeProvider).ConfigureAwait(false);
        return results;
    }
}
