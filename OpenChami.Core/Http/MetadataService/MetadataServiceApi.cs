using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using OpenChami.Core.Errors;
using OpenChami.Core.Http.CloudInit;
using OpenChami.Core.Http.Resources;
using OpenChami.Core.MetadataService;

namespace OpenChami.Core.Http.MetadataService;

/// <summary>
/// metadata-service under <c>/metadata-service</c> (spec/metadata-service.md): the resources of §2 with the envelope
/// of spec/boot-service.md §2, and the node-facing documents of §3, identified by source address exactly as /cloud-init
/// does (trusted proxies only) or by OpenChami's signed seed token under <c>/metadata-service/n/{token}</c>. Errors
/// are upstream's <c>{"error": ...}</c>.
/// </summary>
internal static class MetadataServiceApi
{
    public const string Prefix = "/metadata-service";
    private const string Tag = "metadata-service";
    private const string Yaml = "application/x-yaml";
    private const string Text = "text/plain; charset=utf-8";
    private const string CloudConfig = "text/cloud-config; charset=utf-8";

    public static void MapMetadataServiceApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapResourceServiceGroup(Prefix, Tag);
        group.MapResources(Tag, MetadataKinds.ClusterDefaults, s => s.Metadata.ClusterDefaults);
        group.MapResources(Tag, MetadataKinds.Group, s => s.Metadata.Groups);
        group.MapResources(Tag, MetadataKinds.InstanceInfo, s => s.Metadata.InstanceInfos);
        group.MapResources(Tag, MetadataKinds.Profile, s => s.Metadata.Profiles);
        group.MapResources(Tag, MetadataKinds.WireGuardPeer, s => s.Metadata.WireGuardPeers.Resources);

        // Node-facing (§3), by source address.
        group.MapGet("/meta-data", (HttpContext context, ChamiServices services, ChamiServerOptions options) =>
                ByAddress(context, services, options, (xname, ip) => TypedResults.Text(services.Metadata.Documents.MetaData(xname, ip), Yaml, Encoding.UTF8)))
            .WithName("metadata-service-meta-data")
            .Produces<string>(StatusCodes.Status200OK, Yaml).Produces<ResourceError>(StatusCodes.Status404NotFound);
        group.MapGet("/user-data", (HttpContext context, ChamiServices services, ChamiServerOptions options) =>
                ByAddress(context, services, options, (_, _) => UserData()))
            .WithName("metadata-service-user-data")
            .Produces<string>(StatusCodes.Status200OK, Text).Produces<ResourceError>(StatusCodes.Status404NotFound);
        group.MapGet("/vendor-data", (HttpContext context, ChamiServices services, ChamiServerOptions options) =>
                ByAddress(context, services, options, (xname, _) => TypedResults.Text(services.Metadata.Documents.VendorData(xname, RequestBaseUrl(context)), Text, Encoding.UTF8)))
            .WithName("metadata-service-vendor-data")
            .Produces<string>(StatusCodes.Status200OK, Text).Produces<ResourceError>(StatusCodes.Status404NotFound);
        group.MapGet("/network-config", (HttpContext context, ChamiServices services, ChamiServerOptions options) =>
                ByAddress(context, services, options, (xname, _) => TypedResults.Text(services.Metadata.Documents.NetworkConfig(xname), Yaml, Encoding.UTF8)))
            .WithName("metadata-service-network-config")
            .Produces<string>(StatusCodes.Status200OK, Yaml).Produces<ResourceError>(StatusCodes.Status404NotFound);
        group.MapGet("/{group}.yaml", (string group, HttpContext context, ChamiServices services, ChamiServerOptions options) =>
                ByAddress(context, services, options, (xname, _) => TypedResults.Bytes(services.Metadata.Documents.GroupTemplate(xname, group), CloudConfig)))
            .WithName("metadata-service-group-template")
            .Produces<string>(StatusCodes.Status200OK, CloudConfig).Produces<ResourceError>(StatusCodes.Status404NotFound);

        // The same, under a signed per-node seed URL: the token alone names the node (spec/cloud-init.md §3.0).
        var seeded = group.MapGroup("/n/{token}");
        seeded.MapGet("/meta-data", (string token, ChamiServices services) =>
                ByToken(token, services, xname => TypedResults.Text(services.Metadata.Documents.MetaData(xname), Yaml, Encoding.UTF8)))
            .WithName("metadata-service-seed-meta-data")
            .Produces<string>(StatusCodes.Status200OK, Yaml).Produces<ResourceError>(StatusCodes.Status404NotFound);
        seeded.MapGet("/user-data", (string token, ChamiServices services) => ByToken(token, services, _ => UserData()))
            .WithName("metadata-service-seed-user-data")
            .Produces<string>(StatusCodes.Status200OK, Text).Produces<ResourceError>(StatusCodes.Status404NotFound);
        seeded.MapGet("/vendor-data", (string token, HttpContext context, ChamiServices services) =>
                ByToken(token, services, xname => TypedResults.Text(services.Metadata.Documents.VendorData(xname, RequestBaseUrl(context), "/n/" + token), Text, Encoding.UTF8)))
            .WithName("metadata-service-seed-vendor-data")
            .Produces<string>(StatusCodes.Status200OK, Text).Produces<ResourceError>(StatusCodes.Status404NotFound);
        seeded.MapGet("/network-config", (string token, ChamiServices services) =>
                ByToken(token, services, xname => TypedResults.Text(services.Metadata.Documents.NetworkConfig(xname), Yaml, Encoding.UTF8)))
            .WithName("metadata-service-seed-network-config")
            .Produces<string>(StatusCodes.Status200OK, Yaml).Produces<ResourceError>(StatusCodes.Status404NotFound);
        seeded.MapGet("/{group}.yaml", (string token, string group, ChamiServices services) =>
                ByToken(token, services, xname => TypedResults.Bytes(services.Metadata.Documents.GroupTemplate(xname, group), CloudConfig)))
            .WithName("metadata-service-seed-group-template")
            .Produces<string>(StatusCodes.Status200OK, CloudConfig).Produces<ResourceError>(StatusCodes.Status404NotFound);
    }

    private static IResult UserData() => TypedResults.Text(MetadataServiceRenderer.UserData, Text, Encoding.UTF8);

    /// <summary>The node behind the request's source address (§3); an address the inventory doesn't know is 404.</summary>
    private static IResult ByAddress(HttpContext context, ChamiServices services, ChamiServerOptions options, Func<string, string, IResult> serve)
    {
        var ip = CloudInitNodeIdentity.ClientAddress(context, options.TrustedProxies).ToString();
        var xname = services.EthernetInterfaces.FindComponentByIp(ip)
            ?? throw ChamiException.NotFound("UnknownNode", $"unknown node for address {ip}", ip);
        return serve(xname, ip);
    }

    private static IResult ByToken(string token, ChamiServices services, Func<string, IResult> serve)
    {
        // Never echo the token, never fall back to the source address.
        var xname = services.CloudInitSeeds.Verify(token) ?? throw new ChamiException(ChamiErrorKind.Forbidden, "InvalidSeedToken", "invalid or revoked seed token");
        return serve(xname);
    }

    /// <summary><c>http://&lt;Host&gt;/metadata-service</c>: where group templates are, when nothing configured says otherwise.</summary>
    private static string RequestBaseUrl(HttpContext context) => $"{context.Request.Scheme}://{context.Request.Host}{Prefix}";
}
