using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OpenChami.Core.Model;
using OpenChami.Core.Xnames;

namespace OpenChami.Core.Http.Smd;

/// <summary><c>/hsm/v2/memberships</c>: each component's groups and partition (spec/smd.md §2.9, §9).</summary>
public static class SmdMembershipsApi
{
    public static RouteGroupBuilder MapSmdMembershipsApi(this RouteGroupBuilder smd)
    {
        var memberships = smd.MapGroup("/memberships");
        memberships.MapGet(string.Empty, GetMemberships).WithName(nameof(GetMemberships)).ProducesProblem(400);
        memberships.MapGet("/{xname}", GetMembership).WithName(nameof(GetMembership)).ProducesProblem(400).ProducesProblem(404);
        return smd;
    }

    public static Ok<IReadOnlyList<Membership>> GetMemberships(HttpRequest request, ChamiServices services) =>
        TypedResults.Ok(services.Memberships.Query(ComponentQueryParser.Parse(request.Query)));

    public static Results<Ok<Membership>, ProblemResult> GetMembership(string xname, ChamiServices services) =>
        Xname.IsValid(xname) ? TypedResults.Ok(services.Memberships.Get(xname)) : ProblemResult.BadRequest("invalid xname");
}
