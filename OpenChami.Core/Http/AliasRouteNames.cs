using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace OpenChami.Core.Http;

/// <summary>
/// Endpoint names are OpenAPI operationIds and must be unique, but cloud-init and PCS serve the same routes again
/// under other base paths (spec/cloud-init.md §1, spec/discovery-power.md §4): the copies get a suffix.
/// </summary>
internal static class AliasRouteNames
{
    /// <summary>Appends <paramref name="suffix"/> to the name of every route of <paramref name="group"/>.</summary>
    public static RouteGroupBuilder WithNameSuffix(this RouteGroupBuilder group, string suffix)
    {
        // Finally: after each route's own WithName has run.
        ((IEndpointConventionBuilder)group).Finally(endpoint =>
        {
            for (var i = 0; i < endpoint.Metadata.Count; i++)
            {
                endpoint.Metadata[i] = endpoint.Metadata[i] switch
                {
                    EndpointNameMetadata name => new EndpointNameMetadata(name.EndpointName + suffix),
                    RouteNameMetadata route => new RouteNameMetadata(route.RouteName + suffix),
                    var other => other,
                };
            }
        });
        return group;
    }
}
