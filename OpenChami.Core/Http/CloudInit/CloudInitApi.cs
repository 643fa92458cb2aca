using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using OpenChami.Core.CloudInit;
using OpenChami.Core.Errors;
using OpenChami.Core.Serialization;

namespace OpenChami.Core.Http.CloudInit;

/// <summary>
/// The cloud-init metadata server (spec/cloud-init.md §2): node-facing routes identified by source IP
/// or by a signed seed token, the admin API, and the service routes. Every route is served at the root
/// and under <c>/cloud-init</c>; token routes live under <c>/cloud-init/n/{token}/</c>. Errors are plain
/// text (this service's contract), except a bad token (403) and invalid base64 content (400), which are
/// problem+json as the spec says.
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

    public static void MapCloudInitApi(this IEndpointRouteBuilder app)
    {
        MapRoutes(app.MapGroup(string.Empty));
        MapRoutes(app.MapGroup(Prefix));
        MapTokenRoutes(app.MapGroup(Prefix + "/n/{token}"));
        MapTokenRoutes(app.MapGroup("/n/{token}")); // behind a reverse proxy that strips /cloud-init
    }

    private static void MapRoutes(RouteGroupBuilder routes)
    {
        routes.AddEndpointFilter(PlainTextErrors);

        // Node-facing, identified by source address (§3).
        routes.MapGet("/meta-data", (HttpContext context, ChamiServices services, ChamiServerOptions options) =>
            ByAddress(context, services, options, (xname, ip) => MetaData(services, xname, ip)));
        routes.MapGet("/user-data", () => UserData());
        routes.MapGet("/vendor-data", (HttpContext context, ChamiServices services, ChamiServerOptions options) =>
            ByAddress(context, services, options, (xname, _) => TextResult(services.CloudInit.RenderVendorData(xname, RequestBaseUrl(context)))));
        routes.MapGet("/{group}.yaml", (string group, HttpContext context, ChamiServices services, ChamiServerOptions options) =>
            ByAddress(context, services, options, (xname, _) => GroupConfig(services, xname, group)));
        routes.MapPost("/phone-home/{id}", PhoneHome);

        // Admin (§2.2).
        routes.MapGet("/admin/cluster-defaults", (ChamiServices services) => JsonResult(services.CloudInit.GetDefaults()));
        routes.MapPost("/admin/cluster-defaults", async (HttpContext context, ChamiServices services) =>
        {
            var body = await ReadObjectAsync(context, 400);
            services.CloudInit.MergeDefaults(ParseDefaults(body));
            return Results.StatusCode(201);
        });
        routes.MapPut("/admin/cluster-defaults", async (HttpContext context, ChamiServices services) =>
        {
            var body = await ReadObjectAsync(context, 400);
            services.CloudInit.ReplaceDefaults(ParseDefaults(body));
            return Results.StatusCode(200);
        });

        routes.MapGet("/admin/instance-info/{id}", (string id, ChamiServices services) => JsonResult(services.CloudInit.GetInstance(id)));
        routes.MapPut("/admin/instance-info/{id}", async (string id, HttpContext context, ChamiServices services) =>
        {
            var body = await ReadObjectAsync(context, 400);
            services.CloudInit.SetInstance(id, ParseInstance(body));
            return Results.StatusCode(201);
        });
        routes.MapDelete("/admin/instance-info/{id}", (string id, ChamiServices services) =>
        {
            services.CloudInit.RemoveInstance(id);
            return Results.Ok();
        });

        routes.MapGet("/admin/groups", (ChamiServices services) =>
        {
            var all = new JsonObject();
            foreach (var group in services.CloudInit.GetGroups()) all[group.Name] = JsonSerializer.SerializeToNode(group, ChamiJson.Options);
            return JsonResult(all);
        });
        routes.MapPost("/admin/groups", async (HttpContext context, ChamiServices services) =>
        {
            var group = ParseGroup(await ReadObjectAsync(context, 422), pathName: null);
            var created = AsUnprocessable(() => services.CloudInit.CreateGroup(group));
            return Results.Created($"/groups/{created.Name}", null);
        });
        routes.MapGet("/admin/groups/{name}", (string name, ChamiServices services) => JsonResult(services.CloudInit.GetGroup(name)));
        routes.MapPut("/admin/groups/{name}", async (string name, HttpContext context, ChamiServices services) =>
        {
            var group = ParseGroup(await ReadObjectAsync(context, 422), pathName: name);
            var stored = AsUnprocessable(() => services.CloudInit.SetGroup(group, out _));
            return Results.Created($"/groups/{stored.Name}", null);
        });
        routes.MapDelete("/admin/groups/{name}", (string name, ChamiServices services) =>
        {
            services.CloudInit.RemoveGroup(name);
            return Results.Ok();
        });

        // Impersonation: what node {id} would receive (ochami `cloud-init node get`, `group render`).
        routes.MapGet("/admin/impersonation/{id}/meta-data", (string id, ChamiServices services) => MetaData(services, id, null));
        routes.MapGet("/admin/impersonation/{id}/user-data", (string id) => UserData());
        routes.MapGet("/admin/impersonation/{id}/vendor-data", (string id, HttpContext context, ChamiServices services) =>
            TextResult(services.CloudInit.RenderVendorData(id, RequestBaseUrl(context))));
        routes.MapGet("/admin/impersonation/{id}/{group}.yaml", (string id, string group, ChamiServices services) => GroupConfig(services, id, group));

        // Service (§2.3).
        routes.MapGet("/version", () => JsonResult(new JsonObject
        {
            ["process_name"] = "cloud-init-server",
            ["build_info"] = typeof(CloudInitApi).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown",
            ["uptime"] = (DateTime.UtcNow - Started).ToString(@"d\.hh\:mm\:ss", System.Globalization.CultureInfo.InvariantCulture),
            ["runtime_host"] = Environment.MachineName,
            ["bytes_allocated"] = GC.GetTotalAllocatedBytes(),
        }));
        routes.MapGet("/openapi.json", () => JsonResult(OpenApiDocument()));
    }

    // Node-facing routes under a signed seed URL (§3.0): the token alone names the node.
    private static void MapTokenRoutes(RouteGroupBuilder routes)
    {
        routes.AddEndpointFilter(PlainTextErrors);
        routes.MapGet("/meta-data", (string token, ChamiServices services) =>
            ByToken(token, services, xname => MetaData(services, xname, null)));
        routes.MapGet("/user-data", (string token, ChamiServices services) => ByToken(token, services, _ => UserData()));
        routes.MapGet("/vendor-data", (string token, HttpContext context, ChamiServices services) =>
            ByToken(token, services, xname => TextResult(services.CloudInit.RenderVendorData(xname, RequestBaseUrl(context), "/n/" + token))));
        routes.MapGet("/{group}.yaml", (string token, string group, ChamiServices services) =>
            ByToken(token, services, xname => GroupConfig(services, xname, group)));
    }

    private static IResult ByAddress(HttpContext context, ChamiServices services, ChamiServerOptions options, Func<string, string, IResult> serve)
    {
        var ip = CloudInitNodeIdentity.ClientAddress(context, options.TrustedProxies).ToString();
        var xname = services.EthernetInterfaces.FindComponentByIp(ip);
        return xname is null ? TextError(422, $"unknown node for address {ip}") : serve(xname, ip);
    }

    private static IResult ByToken(string token, ChamiServices services, Func<string, IResult> serve)
    {
        var xname = services.CloudInitSeeds.Verify(token);
        // Never echo the token, never fall back to the source address.
        return xname is null ? Problem.Result(403, "invalid or revoked cloud-init seed token") : serve(xname);
    }

    private static IResult MetaData(ChamiServices services, string xname, string? ip) =>
        TypedResults.Text(services.CloudInit.RenderMetaData(xname, ip), Yaml, Encoding.UTF8);

    private static IResult UserData() => TextResult(CloudInitService.EmptyCloudConfig);

    private static IResult GroupConfig(ChamiServices services, string xname, string group) =>
        TypedResults.Bytes(services.CloudInit.RenderGroupConfig(xname, group), Text);

    private static IResult TextResult(string body) => TypedResults.Text(body, Text, Encoding.UTF8);

    private static IResult TextError(int status, string message) => TypedResults.Text(message + "\n", Text, Encoding.UTF8, status);

    private static IResult JsonResult<T>(T value) => TypedResults.Json(value, ChamiJson.Options);

    /// <summary><c>http://&lt;Host&gt;/cloud-init</c>: the configured-BaseUrl default of spec §8.</summary>
    private static string RequestBaseUrl(HttpContext context) => $"{context.Request.Scheme}://{context.Request.Host}{Prefix}";

    private static async ValueTask<object?> PlainTextErrors(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        try
        {
            return await next(invocation).ConfigureAwait(false);
        }
        catch (CloudInitHttpError error)
        {
            return TextError(error.Status, error.Message);
        }
        catch (ChamiException ex) when (ex.Kind == ChamiErrorKind.Forbidden || ex.ErrorId == "InvalidCloudConfigEncoding" && ex.Kind == ChamiErrorKind.InvalidArgument)
        {
            return Problem.Result(ex);
        }
        catch (ChamiException ex) when (ex.Kind is not (ChamiErrorKind.Unavailable or ChamiErrorKind.Internal))
        {
            return TextError(Problem.StatusOf(ex.Kind), ex.Message);
        }
        catch (ChamiException ex)
        {
            return TextError(500, ex.Message);
        }
    }

    /// <summary>An error with a status this service's contract fixes (e.g. 422 for a bad group body).</summary>
    private sealed class CloudInitHttpError(int status, string message) : Exception(message)
    {
        public int Status { get; } = status;
    }

    private static T AsUnprocessable<T>(Func<T> work)
    {
        try
        {
            return work();
        }
        catch (ChamiException ex) when (ex.Kind == ChamiErrorKind.InvalidArgument && ex.ErrorId != "InvalidCloudConfigEncoding")
        {
            throw new CloudInitHttpError(422, ex.Message);
        }
    }

    private static async Task<IResult> PhoneHome(string id, HttpContext context, ChamiServices services)
    {
        if (!context.Request.HasFormContentType) return TextError(400, "unparsable form: expected application/x-www-form-urlencoded");
        IFormCollection form;
        try
        {
            form = await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
        }
        catch (InvalidDataException ex)
        {
            return TextError(400, $"unparsable form: {ex.Message}");
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
        return Results.Ok();
    }

    // ------------------------------------------------------------ request bodies

    private static async Task<JsonObject> ReadObjectAsync(HttpContext context, int status)
    {
        JsonNode? node;
        try
        {
            node = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException ex)
        {
            throw new CloudInitHttpError(status, $"error decoding JSON {ex.Message}");
        }
        return node as JsonObject ?? throw new CloudInitHttpError(status, "error decoding JSON: the body must be a JSON object");
    }

    /// <summary>The first present spelling of a key (<c>local-hostname</c> or <c>local_hostname</c>).</summary>
    private static JsonNode? Field(JsonObject body, string key)
    {
        foreach (var spelling in new[] { key, key.Replace('-', '_'), key.Replace('_', '-') })
        {
            if (body.TryGetPropertyValue(spelling, out var value)) return value;
        }
        return null;
    }

    private static string? String(JsonObject body, string key, int status = 400)
    {
        var value = Field(body, key);
        if (value is null) return null;
        return value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>()
            : throw new CloudInitHttpError(status, $"error decoding JSON: {key} must be a string");
    }

    private static List<string>? Strings(JsonObject body, string key)
    {
        var value = Field(body, key);
        if (value is null) return null;
        if (value is JsonArray list && list.All(v => v?.GetValueKind() == JsonValueKind.String)) return list.Select(v => v!.GetValue<string>()).ToList();
        throw new CloudInitHttpError(400, $"error decoding JSON: {key} must be an array of strings");
    }

    private static ClusterDefaults ParseDefaults(JsonObject body)
    {
        var nid = Field(body, "nid-length");
        int? nidLength = null;
        if (nid is not null)
        {
            nidLength = nid.GetValueKind() == JsonValueKind.Number && nid.AsValue().TryGetValue<int>(out var n) ? n
                : throw new CloudInitHttpError(400, "error decoding JSON: nid-length must be an integer");
        }
        return new ClusterDefaults
        {
            CloudProvider = String(body, "cloud_provider"),
            Region = String(body, "region"),
            AvailabilityZone = String(body, "availability-zone"),
            ClusterName = String(body, "cluster-name"),
            PublicKeys = Strings(body, "public-keys"),
            BaseUrl = String(body, "base-url"),
            BootSubnet = String(body, "boot-subnet"),
            WgSubnet = String(body, "wg-subnet"),
            ShortName = String(body, "short-name"),
            NidLength = nidLength,
        };
    }

    private static InstanceInfo ParseInstance(JsonObject body) => new()
    {
        InstanceId = String(body, "instance-id"),
        LocalHostname = String(body, "local-hostname"),
        Hostname = String(body, "hostname"),
        ClusterName = String(body, "cluster-name"),
        Region = String(body, "region"),
        AvailabilityZone = String(body, "availability-zone"),
        CloudProvider = String(body, "cloud-provider"),
        InstanceType = String(body, "instance-type"),
        CloudInitBaseUrl = String(body, "cloud-init-base-url"),
        PublicKeys = Strings(body, "public-keys"),
    };

    private static CloudInitGroup ParseGroup(JsonObject body, string? pathName)
    {
        var name = String(body, "name", 422);
        if (pathName is not null)
        {
            if (string.IsNullOrEmpty(name)) name = pathName;
            else if (!string.Equals(name.Trim(), pathName.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                throw new CloudInitHttpError(422, $"group name in body ({name}) does not match the path ({pathName})");
            }
        }
        if (string.IsNullOrWhiteSpace(name)) throw new CloudInitHttpError(422, "name is required");

        var meta = Field(body, "meta-data");
        if (meta is not (null or JsonObject)) throw new CloudInitHttpError(422, "meta-data must be a JSON object");
        CloudInitFile? file = null;
        switch (Field(body, "file"))
        {
            case null:
                break;
            case JsonObject given:
                file = new CloudInitFile
                {
                    Content = String(given, "content", 422) ?? string.Empty,
                    Filename = String(given, "filename", 422) ?? string.Empty,
                    Encoding = String(given, "encoding", 422) ?? string.Empty,
                };
                break;
            default:
                throw new CloudInitHttpError(422, "file must be a JSON object");
        }
        Dictionary<string, string>? versions = null;
        if (Field(body, "versions") is { } v)
        {
            versions = v is JsonObject map && map.All(p => p.Value?.GetValueKind() == JsonValueKind.String)
                ? map.ToDictionary(p => p.Key, p => p.Value!.GetValue<string>())
                : throw new CloudInitHttpError(422, "versions must be an object of strings");
        }
        return new CloudInitGroup
        {
            Name = name,
            Description = String(body, "description", 422),
            MetaData = (JsonObject?)meta?.DeepClone(),
            File = file,
            Versions = versions,
        };
    }

    private static JsonObject OpenApiDocument()
    {
        var paths = new JsonObject();
        void Add(string path, params string[] methods)
        {
            var item = new JsonObject();
            foreach (var method in methods) item[method] = new JsonObject { ["responses"] = new JsonObject { ["200"] = new JsonObject { ["description"] = "OK" } } };
            paths[path] = item;
        }
        Add("/meta-data", "get");
        Add("/user-data", "get");
        Add("/vendor-data", "get");
        Add("/{group}.yaml", "get");
        Add("/n/{token}/meta-data", "get");
        Add("/n/{token}/user-data", "get");
        Add("/n/{token}/vendor-data", "get");
        Add("/n/{token}/{group}.yaml", "get");
        Add("/phone-home/{id}", "post");
        Add("/admin/cluster-defaults", "get", "post", "put");
        Add("/admin/instance-info/{id}", "get", "put", "delete");
        Add("/admin/groups", "get", "post");
        Add("/admin/groups/{name}", "get", "put", "delete");
        Add("/admin/impersonation/{id}/meta-data", "get");
        Add("/admin/impersonation/{id}/user-data", "get");
        Add("/admin/impersonation/{id}/vendor-data", "get");
        Add("/admin/impersonation/{id}/{group}.yaml", "get");
        Add("/version", "get");
        return new JsonObject
        {
            ["openapi"] = "3.0.3",
            ["info"] = new JsonObject { ["title"] = "OpenChami cloud-init server", ["version"] = "1.0" },
            ["servers"] = new JsonArray(new JsonObject { ["url"] = Prefix }),
            ["paths"] = paths,
        };
    }
}
