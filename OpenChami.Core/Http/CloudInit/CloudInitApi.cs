using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OpenChami.Core.CloudInit;
using OpenChami.Core.Serialization;

namespace OpenChami.Core.Http.CloudInit;

/// <summary>
/// The cloud-init metadata server (spec/cloud-init.md §2): node-facing routes identified by source IP
/// or by a signed seed token, the admin API, and the service routes. Every route is served at the root
/// and under <c>/cloud-init</c>; token routes live under <c>/cloud-init/n/{token}/</c>. Errors are plain
/// text (<see cref="ErrorDialect.CloudInit"/>), except a bad token (403) and invalid base64 content (400),
/// which are problem+json as the spec says.
/// </summary>
public static class CloudInitApi
{
    public const string Prefix = "/cloud-init";
    private const string Yaml = "application/x-yaml";
    private const string Text = "text/plain; charset=utf-8";
    private static readonly string[] RootPaths = ["/n/", "/meta-data", "/user-data", "/vendor-data", "/admin/", "/phone-home/", "/version", "/openapi.json"];
    private static readonly DateTime Started = DateTime.UtcNow;

    /// <summary>True for paths this service answers (the pipeline leaves their 405s with an empty body).</summary>
    public static bool IsCloudInitPath(string? path) =>
        path is not null && (path == Prefix || path.StartsWith(Prefix + "/", StringComparison.Ordinal)
            || path.EndsWith(".yaml", StringComparison.Ordinal) && path.IndexOf('/', 1) < 0
            || RootPaths.Any(p => p.EndsWith('/') ? path.StartsWith(p, StringComparison.Ordinal) : path == p));

    public static IEndpointRouteBuilder MapCloudInitApi(this IEndpointRouteBuilder app)
    {
        MapRoutes(app.MapGroup(string.Empty)).WithNameSuffix("AtRoot");
        MapRoutes(app.MapGroup(Prefix));
        MapTokenRoutes(app.MapGroup(Prefix + "/n/{token}"));
        MapTokenRoutes(app.MapGroup("/n/{token}")).WithNameSuffix("AtRoot"); // behind a reverse proxy that strips /cloud-init
        return app;
    }

    private static RouteGroupBuilder MapRoutes(RouteGroupBuilder routes)
    {
        routes.WithTags("cloud-init").WithErrorDialect(ErrorDialect.CloudInit);

        // Node-facing, identified by source address (§3).
        routes.MapGet("/meta-data", GetMetaData).WithName(nameof(GetMetaData)).Produces<string>(200, Yaml).Produces<string>(422, Text);
        routes.MapGet("/user-data", GetUserData).WithName(nameof(GetUserData)).Produces<string>(200, Text);
        routes.MapGet("/vendor-data", GetVendorData).WithName(nameof(GetVendorData)).Produces<string>(200, Text).Produces<string>(422, Text);
        routes.MapGet("/{group}.yaml", GetGroupConfig).WithName(nameof(GetGroupConfig)).Produces<string>(200, Text).Produces<string>(404, Text).Produces<string>(422, Text);
        routes.MapPost("/phone-home/{id}", PostPhoneHome).WithName(nameof(PostPhoneHome)).Produces<string>(400, Text);

        // Admin (§2.2).
        routes.MapGet("/admin/cluster-defaults", GetClusterDefaults).WithName(nameof(GetClusterDefaults)).Produces<ClusterDefaults>(200);
        routes.MapPost("/admin/cluster-defaults", PostClusterDefaults).WithName(nameof(PostClusterDefaults)).Produces<string>(400, Text);
        routes.MapPut("/admin/cluster-defaults", PutClusterDefaults).WithName(nameof(PutClusterDefaults)).Produces<string>(400, Text);
        routes.MapGet("/admin/instance-info/{id}", GetInstanceInfo).WithName(nameof(GetInstanceInfo)).Produces<InstanceInfo>(200).Produces<string>(404, Text);
        routes.MapPut("/admin/instance-info/{id}", PutInstanceInfo).WithName(nameof(PutInstanceInfo)).Produces<string>(400, Text);
        routes.MapDelete("/admin/instance-info/{id}", DeleteInstanceInfo).WithName(nameof(DeleteInstanceInfo)).Produces<string>(404, Text);
        routes.MapGet("/admin/groups", GetCloudInitGroups).WithName(nameof(GetCloudInitGroups)).Produces<JsonObject>(200);
        routes.MapPost("/admin/groups", PostCloudInitGroup).WithName(nameof(PostCloudInitGroup)).WithErrorDialect(ErrorDialect.CloudInitGroupBody)
            .ProducesProblem(400).Produces<string>(409, Text).Produces<string>(422, Text);
        routes.MapGet("/admin/groups/{name}", GetCloudInitGroup).WithName(nameof(GetCloudInitGroup)).Produces<CloudInitGroup>(200).Produces<string>(404, Text);
        routes.MapPut("/admin/groups/{name}", PutCloudInitGroup).WithName(nameof(PutCloudInitGroup)).WithErrorDialect(ErrorDialect.CloudInitGroupBody)
            .ProducesProblem(400).Produces<string>(422, Text);
        routes.MapDelete("/admin/groups/{name}", DeleteCloudInitGroup).WithName(nameof(DeleteCloudInitGroup)).Produces<string>(404, Text);

        // Impersonation: what node {id} would receive (ochami `cloud-init node get`, `group render`).
        routes.MapGet("/admin/impersonation/{id}/meta-data", (string id, ChamiServices services) => MetaData(services, id, null))
            .WithName("GetImpersonatedMetaData").Produces<string>(200, Yaml);
        routes.MapGet("/admin/impersonation/{id}/user-data", (string id) => UserData())
            .WithName("GetImpersonatedUserData").Produces<string>(200, Text);
        routes.MapGet("/admin/impersonation/{id}/vendor-data", (string id, HttpContext context, ChamiServices services) =>
            TextResult(services.CloudInit.RenderVendorData(id, RequestBaseUrl(context))))
            .WithName("GetImpersonatedVendorData").Produces<string>(200, Text);
        routes.MapGet("/admin/impersonation/{id}/{group}.yaml", (string id, string group, ChamiServices services) => GroupConfig(services, id, group))
            .WithName("GetImpersonatedGroupConfig").Produces<string>(200, Text).Produces<string>(404, Text);

        // Service (§2.3).
        routes.MapGet("/version", GetCloudInitVersion).WithName(nameof(GetCloudInitVersion)).Produces<JsonObject>(200);
        routes.MapGet("/openapi.json", () => TypedResults.Json(CloudInitOpenApiDocument.Create(), ChamiJson.Options))
            .WithName("GetCloudInitOpenApi").Produces<JsonObject>(200);
        return routes;
    }

    // Node-facing routes under a signed seed URL (§3.0): the token alone names the node.
    private static RouteGroupBuilder MapTokenRoutes(RouteGroupBuilder routes)
    {
        routes.WithTags("cloud-init").WithErrorDialect(ErrorDialect.CloudInit);
        routes.MapGet("/meta-data", GetMetaDataByToken).WithName(nameof(GetMetaDataByToken)).Produces<string>(200, Yaml).ProducesProblem(403);
        routes.MapGet("/user-data", GetUserDataByToken).WithName(nameof(GetUserDataByToken)).Produces<string>(200, Text).ProducesProblem(403);
        routes.MapGet("/vendor-data", GetVendorDataByToken).WithName(nameof(GetVendorDataByToken)).Produces<string>(200, Text).ProducesProblem(403);
        routes.MapGet("/{group}.yaml", GetGroupConfigByToken).WithName(nameof(GetGroupConfigByToken))
            .Produces<string>(200, Text).ProducesProblem(403).Produces<string>(404, Text);
        return routes;
    }

    public static ContentHttpResult GetMetaData(HttpContext context, ChamiServices services, ChamiServerOptions options)
    {
        var (xname, ip) = NodeByAddress(context, services, options);
        return xname is null ? UnknownNode(ip) : MetaData(services, xname, ip);
    }

    public static ContentHttpResult GetUserData() => UserData();

    public static ContentHttpResult GetVendorData(HttpContext context, ChamiServices services, ChamiServerOptions options)
    {
        var (xname, ip) = NodeByAddress(context, services, options);
        return xname is null ? UnknownNode(ip) : TextResult(services.CloudInit.RenderVendorData(xname, RequestBaseUrl(context)));
    }

    public static Results<FileContentHttpResult, ContentHttpResult> GetGroupConfig(string group, HttpContext context, ChamiServices services, ChamiServerOptions options)
    {
        var (xname, ip) = NodeByAddress(context, services, options);
        return xname is null ? UnknownNode(ip) : GroupConfig(services, xname, group);
    }

    public static Results<ContentHttpResult, ProblemResult> GetMetaDataByToken(string token, ChamiServices services) =>
        services.CloudInitSeeds.Verify(token) is { } xname ? MetaData(services, xname, null) : InvalidToken();

    public static Results<ContentHttpResult, ProblemResult> GetUserDataByToken(string token, ChamiServices services) =>
        services.CloudInitSeeds.Verify(token) is not null ? UserData() : InvalidToken();

    public static Results<ContentHttpResult, ProblemResult> GetVendorDataByToken(string token, HttpContext context, ChamiServices services) =>
        services.CloudInitSeeds.Verify(token) is { } xname
            ? TextResult(services.CloudInit.RenderVendorData(xname, RequestBaseUrl(context), "/n/" + token))
            : InvalidToken();

    public static Results<FileContentHttpResult, ProblemResult> GetGroupConfigByToken(string token, string group, ChamiServices services) =>
        services.CloudInitSeeds.Verify(token) is { } xname ? GroupConfig(services, xname, group) : InvalidToken();

    public static async Task<Results<Ok, ContentHttpResult>> PostPhoneHome(string id, HttpContext context, ChamiServices services)
    {
        if (!context.Request.HasFormContentType) return ChamiErrorMapping.TextError(400, "unparsable form: expected application/x-www-form-urlencoded");
        IFormCollection form;
        try
        {
            form = await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
        }
        catch (InvalidDataException ex)
        {
            return ChamiErrorMapping.TextError(400, $"unparsable form: {ex.Message}");
        }
        string? Field(string name) => form.TryGetValue(name, out var v) && v.Count > 0 && !string.IsNullOrEmpty(v[0]) ? v[0] : null;
        services.CloudInit.RecordPhoneHome(new CloudInitPhoneHome
        {
            Id = id,
            InstanceId = Field("instance_id"),
            Hostname = Field("hostname"),
            Fqdn = Field("fqdn"),
            PubKeyRsa = Field("pub_key_rsa"),
            PubKeyEcdsa = Field("pub_key_ecdsa"),
            PubKeyEd25519 = Field("pub_key_ed25519"),
        });
        return TypedResults.Ok();
    }

    public static JsonHttpResult<ClusterDefaults> GetClusterDefaults(ChamiServices services) => JsonResult(services.CloudInit.GetDefaults());

    public static async Task<Created> PostClusterDefaults(HttpContext context, ChamiServices services)
    {
        var body = await CloudInitRequestBodies.ReadObjectAsync(context);
        services.CloudInit.MergeDefaults(CloudInitRequestBodies.ParseDefaults(body));
        return TypedResults.Created();
    }

    public static async Task<Ok> PutClusterDefaults(HttpContext context, ChamiServices services)
    {
        var body = await CloudInitRequestBodies.ReadObjectAsync(context);
        services.CloudInit.ReplaceDefaults(CloudInitRequestBodies.ParseDefaults(body));
        return TypedResults.Ok();
    }

    public static JsonHttpResult<InstanceInfo> GetInstanceInfo(string id, ChamiServices services) => JsonResult(services.CloudInit.GetInstance(id));

    public static async Task<Created> PutInstanceInfo(string id, HttpContext context, ChamiServices services)
    {
        var body = await CloudInitRequestBodies.ReadObjectAsync(context);
        services.CloudInit.SetInstance(id, CloudInitRequestBodies.ParseInstance(body));
        return TypedResults.Created();
    }

    public static Ok DeleteInstanceInfo(string id, ChamiServices services)
    {
        services.CloudInit.RemoveInstance(id);
        return TypedResults.Ok();
    }

    public static JsonHttpResult<JsonObject> GetCloudInitGroups(ChamiServices services)
    {
        var all = new JsonObject();
        foreach (var group in services.CloudInit.GetGroups()) all[group.Name] = JsonSerializer.SerializeToNode(group, ChamiJson.Options);
        return JsonResult(all);
    }

    public static async Task<Created> PostCloudInitGroup(HttpContext context, ChamiServices services)
    {
        var group = CloudInitRequestBodies.ParseGroup(await CloudInitRequestBodies.ReadObjectAsync(context), pathName: null);
        var created = services.CloudInit.CreateGroup(group);
        return TypedResults.Created($"/groups/{created.Name}");
    }

    public static JsonHttpResult<CloudInitGroup> GetCloudInitGroup(string name, ChamiServices services) => JsonResult(services.CloudInit.GetGroup(name));

    public static async Task<Created> PutCloudInitGroup(string name, HttpContext context, ChamiServices services)
    {
        var group = CloudInitRequestBodies.ParseGroup(await CloudInitRequestBodies.ReadObjectAsync(context), pathName: name);
        var stored = services.CloudInit.SetGroup(group, out _);
        return TypedResults.Created($"/groups/{stored.Name}");
    }

    public static Ok DeleteCloudInitGroup(string name, ChamiServices services)
    {
        services.CloudInit.RemoveGroup(name);
        return TypedResults.Ok();
    }

    public static JsonHttpResult<JsonObject> GetCloudInitVersion() => JsonResult(new JsonObject
    {
        ["process_name"] = "cloud-init-server",
        ["build_info"] = typeof(CloudInitApi).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown",
        ["uptime"] = (DateTime.UtcNow - Started).ToString(@"d\.hh\:mm\:ss", System.Globalization.CultureInfo.InvariantCulture),
        ["runtime_host"] = Environment.MachineName,
        ["bytes_allocated"] = GC.GetTotalAllocatedBytes(),
    });

    /// <summary>The node a node-facing request comes from, by its source address (spec/cloud-init.md §3); null when unknown.</summary>
    private static (string? Xname, string Ip) NodeByAddress(HttpContext context, ChamiServices services, ChamiServerOptions options)
    {
        var ip = CloudInitNodeIdentity.ClientAddress(context, options.TrustedProxies).ToString();
        return (services.EthernetInterfaces.FindComponentByIp(ip), ip);
    }

    private static ContentHttpResult UnknownNode(string ip) => ChamiErrorMapping.TextError(StatusCodes.Status422UnprocessableEntity, $"unknown node for address {ip}");

    // Never echo the token, never fall back to the source address (spec/cloud-init.md §3.0).
    private static ProblemResult InvalidToken() => new(StatusCodes.Status403Forbidden, "invalid or revoked cloud-init seed token");

    private static ContentHttpResult MetaData(ChamiServices services, string xname, string? ip) =>
        TypedResults.Text(services.CloudInit.RenderMetaData(xname, ip), Yaml, Encoding.UTF8);

    private static ContentHttpResult UserData() => TextResult(CloudInitService.EmptyCloudConfig);

    private static FileContentHttpResult GroupConfig(ChamiServices services, string xname, string group) =>
        TypedResults.Bytes(services.CloudInit.RenderGroupConfig(xname, group), Text);

    private static ContentHttpResult TextResult(string body) => TypedResults.Text(body, Text, Encoding.UTF8);

    private static JsonHttpResult<T> JsonResult<T>(T value) => TypedResults.Json(value, ChamiJson.Options);

    /// <summary><c>http://&lt;Host&gt;/cloud-init</c>: the configured-BaseUrl default of spec §8.</summary>
    private static string RequestBaseUrl(HttpContext context) => $"{context.Request.Scheme}://{context.Request.Host}{Prefix}";
}
