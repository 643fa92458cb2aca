using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OpenChami.Core.Subscriptions;

namespace OpenChami.Core.Http.Smd;

/// <summary><c>/hsm/v2/Subscriptions/SCN</c> (spec/smd.md §2.10.3): state-change notification subscriptions over <see cref="ScnService"/>.</summary>
public static class SmdSubscriptionsApi
{
    public static RouteGroupBuilder MapSmdSubscriptionsApi(this RouteGroupBuilder smd)
    {
        var scn = smd.MapGroup("/Subscriptions/SCN");
        scn.MapGet(string.Empty, GetScnSubscriptions).WithName(nameof(GetScnSubscriptions));
        scn.MapPost(string.Empty, PostScnSubscription).WithName(nameof(PostScnSubscription)).ProducesProblem(400).ProducesProblem(409);
        scn.MapDelete(string.Empty, DeleteScnSubscriptions).WithName(nameof(DeleteScnSubscriptions));
        scn.MapGet("/{id}", GetScnSubscription).WithName(nameof(GetScnSubscription)).ProducesProblem(400).ProducesProblem(404);
        scn.MapPut("/{id}", PutScnSubscription).WithName(nameof(PutScnSubscription)).ProducesProblem(400).ProducesProblem(404);
        scn.MapPatch("/{id}", PatchScnSubscription).WithName(nameof(PatchScnSubscription)).ProducesProblem(400).ProducesProblem(404);
        scn.MapDelete("/{id}", DeleteScnSubscription).WithName(nameof(DeleteScnSubscription)).ProducesProblem(400).ProducesProblem(404);
        return smd;
    }

    public static Ok<ScnSubscriptionList> GetScnSubscriptions(ChamiServices services) =>
        TypedResults.Ok(new ScnSubscriptionList(services.Subscriptions.List().Select(ScnSubscriptionWire.From).ToList()));

    public static async Task<Ok<ScnSubscriptionWire>> PostScnSubscription(HttpRequest request, ChamiServices services)
    {
        var input = await SmdHttp.ReadJsonAsync<ScnSubscriptionInput>(request);
        return TypedResults.Ok(ScnSubscriptionWire.From(services.Subscriptions.Create(input)));
    }

    public static Ok<SmdMessage> DeleteScnSubscriptions(ChamiServices services) =>
        SmdHttp.Message($"{services.Subscriptions.DeleteAll()} Subscriptions deleted");

    public static Ok<ScnSubscriptionWire> GetScnSubscription(string id, ChamiServices services) =>
        TypedResults.Ok(ScnSubscriptionWire.From(services.Subscriptions.Get(id)));

    public static async Task<NoContent> PutScnSubscription(string id, HttpRequest request, ChamiServices services)
    {
        var input = await SmdHttp.ReadJsonAsync<ScnSubscriptionInput>(request);
        services.Subscriptions.Replace(id, input);
        return TypedResults.NoContent();
    }

    public static async Task<NoContent> PatchScnSubscription(string id, HttpRequest request, ChamiServices services)
    {
        var patch = await SmdHttp.ReadJsonAsync<ScnSubscriptionPatch>(request);
        services.Subscriptions.Patch(id, patch);
        return TypedResults.NoContent();
    }

    public static Ok<SmdMessage> DeleteScnSubscription(string id, ChamiServices services)
    {
        services.Subscriptions.Delete(id);
        return SmdHttp.Message("deleted 1 entry");
    }
}

/// <summary><c>{"SubscriptionList":[..]}</c>.</summary>
public sealed record ScnSubscriptionList(IReadOnlyList<ScnSubscriptionWire> SubscriptionList);

/// <summary>A subscription as upstream sends it: <c>ID</c> is a number.</summary>
public sealed record ScnSubscriptionWire(long ID, string Subscriber, bool? Enabled, IReadOnlyList<string>? Roles, IReadOnlyList<string>? SubRoles,
    IReadOnlyList<string>? SoftwareStatus, IReadOnlyList<string>? States, string Url)
{
    public static ScnSubscriptionWire From(ScnSubscription s) =>
        new(long.Parse(s.ID, System.Globalization.CultureInfo.InvariantCulture), s.Subscriber, s.Enabled, s.Roles, s.SubRoles, s.SoftwareStatus, s.States, s.Url);
}
