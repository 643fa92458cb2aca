using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using OpenChami.Core.Model;
using OpenChami.Core.Xnames;

namespace OpenChami.Core.Http.Smd;

/// <summary><c>/hsm/v2/State/Components</c> (spec/smd.md §2.2).</summary>
public static class SmdComponentsApi
{
    public static RouteGroupBuilder MapSmdComponentsApi(this RouteGroupBuilder smd)
    {
        smd.MapGet("/State/Components", (HttpRequest request, ChamiServices services) =>
        {
            var query = ComponentQueryParser.Parse(request.Query);
            var projection = ComponentQueryParser.Projection(request.Query);
            var components = services.Components.Query(query);
            return Results.Json(new ComponentArray(components.Select(c => Project(c, projection)).ToList()));
        });

        smd.MapGet("/State/Components/{xname}", (string xname, ChamiServices services) =>
            // Invalid xnames are "not found" here, as upstream answers.
            Xname.IsValid(xname) && services.Components.Find(xname) is { } component
                ? Results.Json(component)
                : Problem.Result(404, "no such xname."));
        return smd;
    }

    /// <summary>The stateonly/flagonly/roleonly/nidonly projections of spec/smd.md §3.1.</summary>
    public static Component Project(Component c, string? projection) => projection switch
    {
        "stateonly" => new Component { ID = c.ID, Type = c.Type, State = c.State, Flag = c.Flag },
        "flagonly" => new Component { ID = c.ID, Type = c.Type, Flag = c.Flag },
        "roleonly" => new Component { ID = c.ID, Type = c.Type, Role = c.Role, SubRole = c.SubRole },
        "nidonly" => new Component { ID = c.ID, Type = c.Type, NID = c.NID },
        _ => c,
    };
}

/// <summary>The <c>{"Components":[..]}</c> wrapper; an empty list is <c>[]</c>, never null.</summary>
public sealed record ComponentArray(IReadOnlyList<Component> Components);
