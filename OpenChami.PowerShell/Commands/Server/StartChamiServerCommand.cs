using System.Management.Automation;
using System.Net;
using OpenChami.Core;
using OpenChami.Core.Errors;
using OpenChami.Core.Http;
using OpenChami.Core.Storage;
using OpenChami.PowerShell.Infrastructure;

namespace OpenChami.PowerShell.Commands.Server;

/// <summary>
/// Starts the HTTP server (SMD, BSS, cloud-init, PCS routes) in the background of this session and
/// returns it; with -Wait it stays in the foreground until Ctrl+C (systemd units, containers).
/// </summary>
[Cmdlet(VerbsLifecycle.Start, "ChamiServer", SupportsShouldProcess = true, DefaultParameterSetName = SessionSet)]
[OutputType(typeof(ChamiServer))]
public sealed class StartChamiServerCommand : ChamiCmdlet
{
    private const string SessionSet = "Session";
    private const string PathSet = "Path";
    private const string InMemorySet = "InMemory";

    /// <summary>TCP port; 0 picks a free one (the returned object says which).</summary>
    [Parameter]
    [ValidateRange(0, 65535)]
    public int Port { get; set; } = ChamiServerOptions.DefaultPort;

    /// <summary>Address to listen on; 127.0.0.1 unless you choose otherwise (0.0.0.0 for all).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string BindAddress { get; set; } = "127.0.0.1";

    /// <summary>Serve this database file instead of the session's current database.</summary>
    [Parameter(Mandatory = true, ParameterSetName = PathSet)]
    [Alias("Path")]
    public string? DatabasePath { get; set; }

    /// <summary>Serve a new, empty in-memory database (demos).</summary>
    [Parameter(Mandatory = true, ParameterSetName = InMemorySet)]
    public SwitchParameter InMemory { get; set; }

    /// <summary>Also append the server log to this file.</summary>
    [Parameter]
    public string? LogPath { get; set; }

    /// <summary>
    /// Proxies (addresses or CIDRs) whose X-Forwarded-For / X-Real-IP identify cloud-init nodes; replaces the
    /// default 127.0.0.1/32, ::1/128. Pass an empty array to believe no forwarding header at all.
    /// </summary>
    [Parameter]
    [AllowEmptyCollection]
    public string[]? TrustedProxy { get; set; }

    /// <summary>Stay in the foreground until Ctrl+C, then stop the server.</summary>
    [Parameter]
    public SwitchParameter Wait { get; set; }

    protected override void ProcessRecord()
    {
        if (!IPAddress.TryParse(BindAddress, out var address))
        {
            ThrowChamiError(ChamiException.Invalid("InvalidBindAddress", $"'{BindAddress}' is not an IP address", BindAddress));
            return;
        }
        if (AspNetCoreFramework.Directory is null)
        {
            ThrowTerminatingError(ChamiErrorMapping.ToErrorRecord("AspNetCoreRuntimeMissing", ErrorCategory.NotInstalled,
                $"The ASP.NET Core shared framework was not found (expected {AspNetCoreFramework.ExpectedLocation}). Install the ASP.NET Core runtime {Environment.Version.Major}.{Environment.Version.Minor} next to the .NET runtime pwsh uses."));
        }
        var proxies = new List<IPNetwork>();
        foreach (var proxy in TrustedProxy ?? [])
        {
            if (IPNetwork.TryParse(proxy, out var network)) proxies.Add(network);
            else if (IPAddress.TryParse(proxy, out var single)) proxies.Add(new IPNetwork(single, single.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128));
            else ThrowChamiError(ChamiException.Invalid("InvalidTrustedProxy", $"'{proxy}' is not an IP address or CIDR network", proxy));
        }
        if (!ShouldProcess($"{address}:{Port}", "Start OpenChami server")) return;

        var services = OpenServices(out var owned);
        ChamiServer server;
        try
        {
            var options = new ChamiServerOptions
            {
                BindAddress = address,
                Port = Port,
                LogPath = LogPath is null ? null : GetUnresolvedProviderPathFromPSPath(LogPath),
            };
            if (TrustedProxy is not null)
            {
                options.TrustedProxies.Clear();
                foreach (var network in proxies) options.TrustedProxies.Add(network);
            }
            server = ChamiServer.StartAsync(services, options, StopToken).GetAwaiter().GetResult();
        }
        catch (ChamiException ex)
        {
            StoreRegistry.Release(owned);
            ThrowChamiError(ex, $"{address}:{Port}");
            return;
        }
        // The server holds its store reference until it stops.
        _ = server.Completion.ContinueWith(_ => StoreRegistry.Release(owned), TaskScheduler.Default);
        WriteObject(server);

        if (Wait)
        {
            WriteVerbose($"Serving on {server.Url}; press Ctrl+C to stop.");
            while (!StopToken.IsCancellationRequested && !server.Completion.IsCompleted)
            {
                server.Completion.Wait(TimeSpan.FromMilliseconds(250));
            }
            server.StopAsync().GetAwaiter().GetResult();
        }
    }

    private ChamiServices OpenServices(out IChamiStore owned)
    {
        try
        {
            owned = ParameterSetName switch
            {
                PathSet => StoreRegistry.Acquire(GetUnresolvedProviderPathFromPSPath(DatabasePath!)),
                InMemorySet => StoreRegistry.AcquireInMemory(),
                _ => StoreRegistry.Share(Services.Store),
            };
        }
        catch (ChamiException ex)
        {
            ThrowChamiError(ex, DatabasePath);
            throw;
        }
        // Same store as the session when it is the same file: one set of services over one LiteDatabase.
        return ReferenceEquals(owned, ChamiSession.CurrentOrNull?.Store) ? ChamiSession.Current : new ChamiServices(owned);
    }
}
