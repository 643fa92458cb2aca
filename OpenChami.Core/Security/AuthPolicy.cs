namespace OpenChami.Core.Security;

/// <summary>
/// Which scope a request needs when authentication is on. Boot-time reads stay open as the specs say
/// (iPXE and cloud-init on a booting node cannot send tokens); other reads need <c>read</c>; every
/// write needs <c>write</c>. One table, so a new route is protected unless it is listed here as public.
/// </summary>
public static class AuthPolicy
{
    // (method or "*", path prefix or exact path ending in '$') that are public.
    private static readonly (string Method, string Path)[] PublicRoutes =
    [
        ("GET", "/healthz$"),
        ("GET", "/openapi/"),
        // SMD: service routes and the two routes coresmd, BSS and cloud-init read while nodes boot.
        ("GET", "/hsm/v2/service/"),
        ("GET", "/hsm/v2/State/Components$"),
        ("GET", "/hsm/v2/Inventory/EthernetInterfaces$"),
        // BSS: everything but bootparameters is node-facing or a status probe.
        ("*", "/boot/v1/bootscript"),
        ("GET", "/boot/v1/hosts"),
        ("POST", "/boot/v1/hosts$"),
        ("GET", "/boot/v1/dumpstate"),
        ("GET", "/boot/v1/endpoint-history"),
        ("GET", "/boot/v1/service/"),
        // cloud-init: what a node fetches for itself.
        ("GET", "/meta-data$"),
        ("GET", "/user-data$"),
        ("GET", "/vendor-data$"),
        ("GET", "/cloud-init/meta-data$"),
        ("GET", "/cloud-init/user-data$"),
        ("GET", "/cloud-init/vendor-data$"),
        ("GET", "/cloud-init/n/"),
        ("POST", "/cloud-init/phone-home"),
        ("POST", "/phone-home"),
    ];

    public static ChamiScope RequiredScope(string method, string path)
    {
        foreach (var (m, p) in PublicRoutes)
        {
            if (m != "*" && !string.Equals(m, method, StringComparison.OrdinalIgnoreCase)) continue;
            var exact = p.EndsWith('$');
            var prefix = exact ? p[..^1] : p;
            if (exact ? string.Equals(path, prefix, StringComparison.Ordinal) : path.StartsWith(prefix, StringComparison.Ordinal)) return ChamiScope.None;
        }
        // cloud-init group documents (/<group>.yaml, /cloud-init/<group>.yaml) are fetched by #include from nodes.
        if (HttpMethodIsRead(method) && path.EndsWith(".yaml", StringComparison.Ordinal) && path.Count(c => c == '/') <= 2) return ChamiScope.None;
        return HttpMethodIsRead(method) ? ChamiScope.Read : ChamiScope.Write;
    }

    private static bool HttpMethodIsRead(string method) =>
        method.Equals("GET", StringComparison.OrdinalIgnoreCase) || method.Equals("HEAD", StringComparison.OrdinalIgnoreCase);
}
