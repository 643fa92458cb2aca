using System.Management.Automation;
using System.Reflection;
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
