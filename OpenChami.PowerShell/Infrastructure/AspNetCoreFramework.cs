using System.Runtime.InteropServices;

namespace OpenChami.PowerShell.Infrastructure;

/// <summary>Finds the ASP.NET Core shared framework that matches the running .NET runtime.</summary>
public static class AspNetCoreFramework
{
    private static readonly Lazy<string?> Located = new(Locate);

    public static string? Directory => Located.Value;

    public static string ExpectedLocation =>
        Path.Combine(DotnetRoot, "shared", "Microsoft.AspNetCore.App", Environment.Version.ToString());

    private static string DotnetRoot =>
        // .../shared/Microsoft.NETCore.App/<version>/ → the dotnet root three levels up.
        Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));

    private static string? Locate()
    {
        var root = Path.Combine(DotnetRoot, "shared", "Microsoft.AspNetCore.App");
        if (!System.IO.Directory.Exists(root)) return null;
        var exact = Path.Combine(root, Environment.Version.ToString());
        if (System.IO.Directory.Exists(exact)) return exact;
        // Same major.minor, highest patch: what the host's roll-forward would pick.
        return System.IO.Directory.GetDirectories(root)
            .Select(d => (Dir: d, Ok: Version.TryParse(Path.GetFileName(d), out var v), Version: v))
            .Where(x => x.Ok && x.Version!.Major == Environment.Version.Major && x.Version.Minor == Environment.Version.Minor)
            .OrderByDescending(x => x.Version)
            .Select(x => x.Dir)
            .FirstOrDefault();
    }
}
