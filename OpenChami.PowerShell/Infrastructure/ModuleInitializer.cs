using System.Management.Automation;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;
using OpenChami.Core.Http;

namespace OpenChami.PowerShell.Infrastructure;

/// <summary>
/// Runs when the module is imported and removed. pwsh does not load the ASP.NET Core shared
/// framework, so assemblies it can't find (Microsoft.AspNetCore.*, the Microsoft.Extensions.* that
/// ship only with ASP.NET Core) are loaded from <c>&lt;dotnet root&gt;/shared/Microsoft.AspNetCore.App/&lt;version&gt;/</c>,
/// and our own dependencies from the module folder. Import never fails for a missing framework;
/// Start-ChamiServer reports it (see <see cref="AspNetCoreFramework"/>).
/// </summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    private static readonly string ModuleDirectory = Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location)!;
    private static int hooked;

    public void OnImport()
    {
        if (Interlocked.Exchange(ref hooked, 1) == 0)
        {
            AssemblyLoadContext.Default.Resolving += Resolve;
            // pwsh exiting (exit, SIGTERM without -Wait) stops servers cleanly: requests drain, logs are flushed.
            AppDomain.CurrentDomain.ProcessExit += (_, _) => StopServersAtExit();
        }
    }

    public void OnRemove(PSModuleInfo psModuleInfo)
    {
        // A removed module must not leave a listener holding its port.
        ChamiServer.StopAll();
        ChamiSession.Disconnect();
    }

    private static void StopServersAtExit()
    {
        try
        {
            ChamiServer.StopAll();
        }
        catch (Exception ex) when (ex is IOException or TypeLoadException or FileNotFoundException or OperationCanceledException or ObjectDisposedException)
        {
            // Exiting anyway: the OS frees the ports.
        }
    }

    private static Assembly? Resolve(AssemblyLoadContext context, AssemblyName name)
    {
        var file = name.Name + ".dll";
        var local = Path.Combine(ModuleDirectory, file);
        if (File.Exists(local)) return context.LoadFromAssemblyPath(local);
        if (AspNetCoreFramework.Directory is { } shared)
        {
            var candidate = Path.Combine(shared, file);
            if (File.Exists(candidate)) return context.LoadFromAssemblyPath(candidate);
        }
        return null;
    }
}

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
