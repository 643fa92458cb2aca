using OpenChami.Core.Errors;
using OpenChami.Core.Model;
using OpenChami.Core.Storage;

namespace OpenChami.Core.Subscriptions;

/// <summary>
/// State-change notification subscriptions (spec/smd.md §2.10.3), for <c>/hsm/v2/Subscriptions/SCN</c> and the
/// subscription cmdlets. Creating the service starts delivery for its store (<see cref="ScnDispatcher"/>): changes to
/// components committed through this store reach the matching subscribers, whatever path made them.
/// </summary>
public sealed class ScnService
{
    private readonly IChamiStore store;

    public ScnService(IChamiStore store, Func<TimeProvider> clock)
    {
        this.store = store;
        Dispatcher = ScnDispatcher.For(store, clock);
    }

    /// <summary>The delivery of this store's notifications (one per store, whatever the number of services over it).</summary>
    public ScnDispatcher Dispatcher { get; }

    public IReadOnlyList<ScnSubscription> List() =>
        store.Read(s => s.Collection<ScnSubscription>().All()).OrderBy(Number).ToList();

    public ScnSubscription Get(string id) =>
        store.Read(s => s.Collection<ScnSubscription>().Get(CheckId(id)))
        ?? throw ChamiException.NotFound("SubscriptionNotFound", "Subscription not found", id);

    /// <summary>Validates and stores a new subscription; the same Subscriber with the same Url twice is a conflict.</summary>
    public ScnSubscription Create(ScnSubscriptionInput input)
    {
        var subscription = Validate(input);
        return store.Write(s =>
        {
            var collection = s.Collection<ScnSubscription>();
            var all = collection.All();
            if (all.Any(x => x.Subscriber == subscription.Subscriber && x.Url == subscription.Url))
            {
                throw ChamiException.Conflict("SubscriptionExists", "operation would conflict with an existing subscription", subscription.Subscriber);
            }

            subscription.ID = ((all.Count == 0 ? 0 : all.Max(Number)) + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
            collection.Insert(subscription);
            return subscription;
        });
    }

    /// <summary>Replaces a subscription (PUT).</summary>
    public ScnSubscription Replace(string id, ScnSubscriptionInput input)
    {
        var key = CheckId(id);
        var subscription = Validate(input);
        subscription.ID = key;
        return store.Write(s =>
        {
            if (!s.Collection<ScnSubscription>().Update(subscription)) throw ChamiException.NotFound("SubscriptionNotFound", "Subscription not found", id);
            return subscription;
        });
    }

    /// <summary>Adds, removes or replaces values of the lists given (PATCH); Enabled is set when given.</summary>
    public ScnSubscription Patch(string id, ScnSubscriptionPatch patch)
    {
        var key = CheckId(id);
        var op = patch.Op?.Trim().ToLowerInvariant() switch
        {
            "add" => "add",
            "remove" => "remove",
            "replace" => "replace",
            _ => throw ChamiException.Invalid("InvalidPatchOp", $"Op must be add, remove or replace, not '{patch.Op}'"),
        };
        return store.Write(s =>
        {
            var collection = s.Collection<ScnSubscription>();
            var subscription = collection.Get(key) ?? throw ChamiException.NotFound("SubscriptionNotFound", "Subscription not found", id);
            subscription.States = Apply(op, subscription.States, Canonical(patch.States, CanonicalState, "state"));
            subscription.Roles = Apply(op, subscription.Roles, Canonical(patch.Roles, HmsValues.CanonicalRole, "role"));
            subscription.SubRoles = Apply(op, subscription.SubRoles, Canonical(patch.SubRoles, HmsValues.CanonicalSubRole, "subrole"));
            subscription.SoftwareStatus = Apply(op, subscription.SoftwareStatus, patch.SoftwareStatus);
            if (patch.Enabled is { } enabled) subscription.Enabled = op == "remove" ? null : enabled;
            collection.Update(subscription);
            return subscription;
        });
    }

    public bool Delete(string id)
    {
        var key = CheckId(id);
        return store.Write(s => s.Collection<ScnSubscription>().Delete(key))
            ? true
            : throw ChamiException.NotFound("SubscriptionNotFound", "Subscription not found", id);
    }

    /// <summary>Deletes every subscription; the number deleted.</summary>
    public int DeleteAll() => store.Write(s => s.Collection<ScnSubscription>().DeleteAll());

    private static List<string>? Apply(string op, List<string>? current, List<string>? given)
    {
        if (given is null) return current;
        var result = op switch
        {
            "add" => (current ?? []).Concat(given).Distinct(StringComparer.Ordinal).ToList(),
            "remove" => (current ?? []).Where(v => !given.Contains(v, StringComparer.Ordinal)).ToList(),
            _ => given.Distinct(StringComparer.Ordinal).ToList(),
        };
        return result.Count == 0 ? null : result;
    }

    private static ScnSubscription Validate(ScnSubscriptionInput input)
    {
        if (string.IsNullOrWhiteSpace(input.Subscriber)) throw ChamiException.Invalid("MissingSubscriber", "Missing Subscriber");
        if (string.IsNullOrWhiteSpace(input.Url)) throw ChamiException.Invalid("MissingUrl", "Missing Url");
        if (!Uri.TryCreate(input.Url.Trim(), UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https") || string.IsNullOrEmpty(url.Host))
        {
            throw ChamiException.Invalid("InvalidUrl", $"Url must be an absolute http or https URL, not '{input.Url}'");
        }

        var subscription = new ScnSubscription
        {
            Subscriber = input.Subscriber.Trim(),
            Url = url.AbsoluteUri,
            Enabled = input.Enabled,
            States = Canonical(input.States, CanonicalState, "state"),
            Roles = Canonical(input.Roles, HmsValues.CanonicalRole, "role"),
            SubRoles = Canonical(input.SubRoles, HmsValues.CanonicalSubRole, "subrole"),
            SoftwareStatus = input.SoftwareStatus is { Count: > 0 } sw ? sw.Distinct(StringComparer.Ordinal).ToList() : null,
        };
        if (subscription.States is null && subscription.Roles is null && subscription.SubRoles is null && subscription.SoftwareStatus is null && subscription.Enabled != true)
        {
            throw ChamiException.Invalid("NoTrigger", "a subscription needs at least one of States, Roles, SubRoles, SoftwareStatus or Enabled:true");
        }

        return subscription;
    }

    private static string? CanonicalState(string? value) => HmsValues.TryParse<HmsState>(value, out var state) ? state.ToString() : null;

    private static List<string>? Canonical(List<string>? values, Func<string?, string?> canonical, string what)
    {
        if (values is not { Count: > 0 }) return null;
        return values.Select(v => canonical(v) ?? throw ChamiException.Invalid("InvalidSubscriptionValue", $"{what} '{v}' is invalid"))
            .Distinct(StringComparer.Ordinal).ToList();
    }

    private static string CheckId(string id) =>
        long.TryParse(id, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n > 0
            ? n.ToString(System.Globalization.CultureInfo.InvariantCulture)
            : throw ChamiException.Invalid("InvalidSubscriptionId", $"invalid subscription ID '{id}': not a positive number", id);

    private static long Number(ScnSubscription s) => long.TryParse(s.ID, out var n) ? n : 0;
}
