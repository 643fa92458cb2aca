namespace OpenChami.Core.Security;

/// <summary>
/// Which scope a request needs when authentication is on. Boot-time reads stay open as the specs say
/// (iPXE and cloud-init on a booting node cannot send tokens); other reads need <c>read</c>; every
/// write needs <c>write</c>. One table, so a new route is protected unless it is listed here as public.
/// </summary>
/// <remarks>
/// Public routes are matched segment by segment against the whole path (never by prefix, so a new route
/// under a public one is protected): <c>*</c> is exactly one segment, <c>*.yaml</c> one segment ending in
/// <c>.yaml</c>, a trailing <c>**</c> one or more segments. Matching ignores case like ASP.NET Core routing
/// does, so a path can't reach an endpoint in one spelling and skip the policy in another. The same function
/// accepts route patterns (<c>/cloud-init/n/{token}/meta-data</c>) for the OpenAPI index.
/// </remarks>
public static class AuthPolicy
{
    private static readonly string[] CloudInitSeedPrefixes = ["", "/cloud-init", "/n/*", "/cloud-init/n/*", "/metadata-service", "/metadata-service/n/*"];
    private static readonly string[] CloudInitPrefixes = ["", "/cloud-init"];
    private static readonly string[] PcsPrefixes = ["/power-control/v1", "/v1", ""];

    private static readonly (string Method, string[] Segments)[] PublicRoutes = BuildPublicRoutes();

    private static (string, string[])[] BuildPublicRoutes()
    {
        var routes = new List<(string Method, string Path)>
        {
            ("GET", "/healthz"),
            ("GET", "/openapi/v1.json"),
            // SMD (smd.md "pub"): the service routes and the two routes coresmd, BSS and cloud-init read while nodes boot.
            ("GET", "/hsm/v2/service/**"),
            ("GET", "/hsm/v2/State/Components"),
            ("GET", "/hsm/v2/Inventory/EthernetInterfaces"),
            // BSS (bss.md §1): everything but /bootparameters is node-facing or a status probe.
            ("GET", "/boot/v1/bootscript"),
            ("GET", "/boot/v1/hosts"),
            ("POST", "/boot/v1/hosts"),
            // Not /dumpstate: the spec leaves it public, but it returns every boot parameter (which
            // /bootparameters protects) and no booting node needs it, so it takes a read token (✱ ours).
            ("GET", "/boot/v1/endpoint-history"),
            ("GET", "/boot/v1/service/**"),
            // boot-service (boot-service.md §3–4): the node-facing script and the health probe.
            ("GET", "/boot-service/bootscript"),
            ("GET", "/boot-service/health"),
        };
        // cloud-init (cloud-init.md §2.1, §4): what a node fetches for itself, under every prefix incl. seed-token URLs.
        foreach (var prefix in CloudInitSeedPrefixes)
        {
            routes.Add(("GET", prefix + "/meta-data"));
            routes.Add(("GET", prefix + "/user-data"));
            routes.Add(("GET", prefix + "/vendor-data"));
            routes.Add(("GET", prefix + "/*.yaml"));
        }
        routes.Add(("GET", "/metadata-service/network-config"));      // metadata-service.md §3: node-facing too
        routes.Add(("GET", "/metadata-service/n/*/network-config"));
        foreach (var prefix in CloudInitPrefixes)
        {
            routes.Add(("POST", prefix + "/phone-home/*"));
            routes.Add(("GET", prefix + "/version"));      // §2.3 container health check
            routes.Add(("GET", prefix + "/openapi.json")); // §2.3 `ochami cloud-init service status`
        }
        // PCS (discovery-power.md): JWT on everything except the three probes.
        foreach (var prefix in PcsPrefixes)
        {
            routes.Add(("GET", prefix + "/liveness"));
            routes.Add(("GET", prefix + "/readiness"));
            routes.Add(("GET", prefix + "/health"));
        }
        return routes.Select(r => (r.Method, r.Path.Split('/'))).ToArray();
    }

    public static ChamiScope RequiredScope(string method, string path)
    {
        var read = HttpMethodIsRead(method);
        var segments = path.Split('/');
        foreach (var (publicMethod, pattern) in PublicRoutes)
        {
            var methodMatches = publicMethod == "GET" ? read : string.Equals(publicMethod, method, StringComparison.OrdinalIgnoreCase);
            if (methodMatches && Matches(pattern, segments)) return ChamiScope.None;
        }
        return read ? ChamiScope.Read : ChamiScope.Write;
    }

    private static bool Matches(string[] pattern, string[] segments)
    {
        for (var i = 0; i < pattern.Length; i++)
        {
            if (pattern[i] == "**") return i == pattern.Length - 1 && segments.Length > i && segments.Skip(i).All(s => s.Length > 0);
            if (i >= segments.Length) return false;
            var segment = segments[i];
            var matches = pattern[i] switch
            {
                "*" => segment.Length > 0,
                "*.yaml" => segment.Length > ".yaml".Length && segment.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase),
                var literal => string.Equals(literal, segment, StringComparison.OrdinalIgnoreCase),
            };
            if (!matches) return false;
        }
        return pattern.Length == segments.Length;
    }

    private static bool HttpMethodIsRead(string method) =>
        method.Equals("GET", StringComparison.OrdinalIgnoreCase) || method.Equals("HEAD", StringComparison.OrdinalIgnoreCase);
}
