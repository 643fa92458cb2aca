using System.Text.Json.Nodes;

namespace OpenChami.Core.Http.CloudInit;

/// <summary>
/// cloud-init's own <c>/openapi.json</c> (spec/cloud-init.md §2.3), as upstream serves it: a fixed list of its routes
/// relative to <c>/cloud-init</c>. The server-wide, generated index is <see cref="OpenApiApi"/>.
/// </summary>
internal static class CloudInitOpenApiDocument
{
    public static JsonObject Create()
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
            ["servers"] = new JsonArray(new JsonObject { ["url"] = CloudInitApi.Prefix }),
            ["paths"] = paths,
        };
    }
}
