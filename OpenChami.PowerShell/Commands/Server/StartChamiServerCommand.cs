using System.Management.Automation;
using System.Net;
using OpenChami.Core;
using OpenChami.Core.Dhcp;
using OpenChami.Core.Errors;
using OpenChami.Core.Http;
using OpenChami.Core.Security;
using OpenChami.Core.Storage;
using OpenChami.PowerShell.Commands.Dhcp;
using OpenChami.PowerShell.Infrastructure;

namespace OpenChami.PowerShell.Commands.Server;

/// <summary>
/// Starts the HTTP server (SMD, BSS, cloud-init, PCS routes) in the background of this session and
/// returns it; with -Wait it stays in the foreground until Ctrl+C (systemd units, containers).
/// </summary>
[Cmdlet(VerbsLifecycle.Start, "ChamiServer", SupportsShouldProcess = true, DefaultParameterSetName = SessionSet)]
[OutputType(typeof(ChamiServer))]
public sealed class StartChamiServerCommand : DatabaseSelectorCmdletBase
{
    private const string SessionSet = "Session";

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
    [Alias("DatabasePath")]
    public override string? Path { get; set; }

    /// <summary>Also append the server log to this file.</summary>
    [Parameter]
    public string? LogPath { get; set; }

    /// <summary>Serve HTTPS with a certificate from the built-in certificate authority (see Export-ChamiCertificate).</summary>
    [Parameter]
    public SwitchParameter Tls { get; set; }

    /// <summary>Serve HTTPS with this certificate (PFX/PKCS#12 file, or a PEM file with its key in -CertificateKeyPath).</summary>
    [Parameter]
    public string? CertificatePath { get; set; }

    /// <summary>PEM private key for a PEM -CertificatePath.</summary>
    [Parameter]
    public string? CertificateKeyPath { get; set; }

    /// <summary>Password of a PFX -CertificatePath.</summary>
    [Parameter]
    public System.Security.SecureString? CertificatePassword { get; set; }

    /// <summary>Require bearer tokens (New-ChamiToken) even on loopback; beyond loopback they are always required.</summary>
    [Parameter]
    public SwitchParameter RequireAuth { get; set; }

    /// <summary>
    /// Proxies (addresses or CIDRs) whose X-Forwarded-For / X-Real-IP identify cloud-init nodes; replaces the
    /// default 127.0.0.1/32, ::1/128. Pass an empty array to believe no forwarding header at all.
    /// </summary>
    [Parameter]
    [AllowEmptyCollection]
    public string[]? TrustedProxy { get; set; }

    /// <summary>Also run dnsmasq (DHCP, TFTP, DNS) with a configuration generated from the inventory, kept in step with NIC changes and stopped with the server.</summary>
    [Parameter]
    public SwitchParameter Dnsmasq { get; set; }

    /// <summary>Interface dnsmasq serves (e.g. the cluster management bridge).</summary>
    [Parameter]
    public string? DnsmasqInterface { get; set; }

    /// <summary>dnsmasq address pools: 10.1.0.100-10.1.0.200 (dynamic, optional /24) or 10.1.0.0/24 (only known hosts).</summary>
    [Parameter]
    public string[]? DnsmasqDhcpRange { get; set; }

    /// <summary>Default gateway dnsmasq hands out.</summary>
    [Parameter]
    public string? DnsmasqRouter { get; set; }

    /// <summary>DNS servers dnsmasq hands out (itself when omitted).</summary>
    [Parameter]
    public string[]? DnsmasqDnsServer { get; set; }

    /// <summary>DNS domain of the node names.</summary>
    [Parameter]
    public string? DnsmasqDomain { get; set; }

    /// <summary>This server's URL as the nodes reach it; defaults to the bind address and port (required when bound to 0.0.0.0).</summary>
    [Parameter]
    public string? DnsmasqServerUrl { get; set; }

    /// <summary>Host name per NIC: {xname} (default) or a NID pattern such as nid{nid:0000}.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string DnsmasqHostNamePattern { get; set; } = "{xname}";

    /// <summary>dnsmasq's DNS port; 0 turns its DNS off.</summary>
    [Parameter]
    [ValidateRange(0, 65535)]
    public int? DnsmasqDnsPort { get; set; }

    /// <summary>Raw dnsmasq lines appended to the generated configuration.</summary>
    [Parameter]
    public string[]? DnsmasqOption { get; set; }

    /// <summary>Folder for dnsmasq's configuration, leases and pid file; default: beside the database (&lt;name&gt;.dnsmasq).</summary>
    [Parameter]
    public string? DnsmasqStateDirectory { get; set; }

    /// <summary>The dnsmasq executable (default: PATH, then /usr/sbin).</summary>
    [Parameter]
    public string? DnsmasqPath { get; set; }

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
                RequireAuth = RequireAuth,
                Certificate = LoadCertificate(services, address),
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
        if (Dnsmasq)
        {
            try
            {
                server.AddCompanion(StartDnsmasq(services, server, address));
            }
            catch (ChamiException ex)
            {
                // No half-started service: without its DHCP the server is not what was asked for.
                server.StopAsync().GetAwaiter().GetResult();
                ThrowChamiError(ex, "dnsmasq");
                return;
            }
        }
        FollowServer(services, owned);
        WriteObject(server);

        if (Wait)
        {
            WriteVerbose($"Serving on {server.Url}; press Ctrl+C to stop.");
            using var terminated = new CancellationTokenSource();
            using var sigterm = OnSigterm(terminated);
            while (!StopToken.IsCancellationRequested && !terminated.IsCancellationRequested && !server.Completion.IsCompleted)
            {
                server.Completion.Wait(TimeSpan.FromMilliseconds(250));
            }
            server.StopAsync().GetAwaiter().GetResult();
            if (terminated.IsCancellationRequested) WriteVerbose("SIGTERM received: server stopped.");
        }
    }

    /// <summary>
    /// systemd (and docker stop) end a service with SIGTERM. Left to .NET's default, the process dies
    /// mid-request with exit code 143; instead -Wait stops the server cleanly (requests drain, the log
    /// says "stopped", the store is released) and returns, so pwsh exits 0.
    /// </summary>
    private static IDisposable? OnSigterm(CancellationTokenSource terminated)
    {
        try
        {
            return System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, context =>
            {
                context.Cancel = true;
                terminated.Cancel();
            });
        }
        catch (PlatformNotSupportedException)
        {
            return null;
        }
    }

    private System.Security.Cryptography.X509Certificates.X509Certificate2? LoadCertificate(ChamiServices services, IPAddress address)
    {
        if (CertificatePath is { } path)
        {
            var full = GetUnresolvedProviderPathFromPSPath(path);
            try
            {
                if (CertificateKeyPath is { } keyPath)
                {
                    var pem = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPemFile(full, GetUnresolvedProviderPathFromPSPath(keyPath));
                    return System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadPkcs12(pem.Export(System.Security.Cryptography.X509Certificates.X509ContentType.Pkcs12), null);
                }
                var password = CertificatePassword is null ? null : new System.Net.NetworkCredential(string.Empty, CertificatePassword).Password;
                return System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadPkcs12FromFile(full, password);
            }
            catch (Exception ex) when (ex is System.Security.Cryptography.CryptographicException or IOException)
            {
                throw ChamiException.Invalid("InvalidCertificate", $"cannot load certificate '{full}': {ex.Message}", full);
            }
        }
        if (!Tls) return null;
        var (names, addresses) = CertificateAuthority.LocalIdentity(address);
        return services.CertificateAuthority.GetServerCertificate(names, addresses);
    }

    private DnsmasqSupervisor StartDnsmasq(ChamiServices services, ChamiServer server, IPAddress address)
    {
        var serverUrl = DnsmasqServerUrl;
        if (serverUrl is null)
        {
            if (address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
            {
                throw ChamiException.Invalid("DnsmasqServerUrlRequired",
                    "The server listens on every address, so it cannot tell which one the nodes reach: give -DnsmasqServerUrl (e.g. http://10.1.0.1:8081).", BindAddress);
            }
            serverUrl = server.Url;
            if (IPAddress.IsLoopback(address))
            {
                WriteWarning($"Nodes are told to fetch their boot script from {serverUrl}, which only this machine can reach; use -BindAddress <management address> or -DnsmasqServerUrl.");
            }
        }
        var options = DnsmasqParameters.Options(DnsmasqInterface, DnsmasqDhcpRange, DnsmasqRouter, DnsmasqDnsServer, DnsmasqDomain,
            DnsmasqParameters.BootScriptUrl(serverUrl), DnsmasqHostNamePattern, null, DnsmasqOptions.DefaultIpxeDirectory, null, DnsmasqDnsPort, DnsmasqOption);
        var location = services.Store.Location;
        var stateDirectory = DnsmasqStateDirectory is not null ? GetUnresolvedProviderPathFromPSPath(DnsmasqStateDirectory)
            : services.Store.IsInMemory || !System.IO.Path.IsPathRooted(location)
                ? System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"openchami-dnsmasq-{Environment.ProcessId}-{server.Port}")
                : System.IO.Path.Combine(System.IO.Path.GetDirectoryName(location)!, System.IO.Path.GetFileNameWithoutExtension(location) + ".dnsmasq");
        return DnsmasqSupervisor.Start(services.Store, options,
            new DnsmasqSupervisorOptions { StateDirectory = stateDirectory, ExecutablePath = DnsmasqPath },
            (level, message) => server.Log.Add(level, "OpenChami.Dnsmasq", message));
    }

    /// <summary>
    /// A server started on another database (-InMemory, -Path, -ConnectionString) takes the session along, as
    /// Connect-ChamiDatabase would: the next New-ChamiNode lands in what the server serves, not in the database
    /// the session was on. The session keeps its own reference, so it stays connected after Stop-ChamiServer.
    /// </summary>
    private void FollowServer(ChamiServices services, IChamiStore owned)
    {
        var previous = ChamiSession.CurrentOrNull;
        if (ReferenceEquals(previous, services)) return;
        StoreRegistry.Share(owned); // the session's own reference, released by Connect-/Disconnect-ChamiDatabase
        ChamiSession.Follow(services);
        if (previous is null)
        {
            WriteVerbose($"This session now works on the database the server serves: {owned.Location} ({owned.BackendName}).");
        }
        else
        {
            WriteWarning($"This session now works on the database the server serves, {owned.Location} ({owned.BackendName}), no longer on {previous.Store.Location}; it stays there after Stop-ChamiServer (Connect-ChamiDatabase switches back).");
        }
    }

    private ChamiServices OpenServices(out IChamiStore owned)
    {
        owned = AcquireSelectedStore() ?? StoreRegistry.Share(Services.Store);
        // Same store as the session when it is the same database: one set of services over one store.
        return ReferenceEquals(owned, ChamiSession.CurrentOrNull?.Store) ? ChamiSession.Current : new ChamiServices(owned);
    }
}
