using System.Diagnostics;
using System.Runtime.InteropServices;
using OpenChami.Core.Errors;
using OpenChami.Core.Http;
using OpenChami.Core.Storage;

namespace OpenChami.Core.Dhcp;

/// <summary>How the server runs its dnsmasq.</summary>
public sealed class DnsmasqSupervisorOptions
{
    /// <summary>Folder for the generated files, leases and pid file (created if needed).</summary>
    public required string StateDirectory { get; init; }

    /// <summary>dnsmasq executable; found on PATH or in /usr/sbin when null.</summary>
    public string? ExecutablePath { get; init; }

    /// <summary>How often the inventory is checked for NIC changes (also those made by other processes).</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Between full checks a poll only looks at the audit journal for new NIC/component changes (cheap at any
    /// inventory size); every this often the configuration is regenerated and compared regardless.
    /// </summary>
    public TimeSpan FullCheckInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long dnsmasq may take to report that it started.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(10);
}

/// <summary>
/// Runs dnsmasq as a child process with a configuration generated from the inventory, keeps its host files in step
/// with the inventory (SIGHUP when the generated host content changes) and stops it with the server.
/// </summary>
public sealed class DnsmasqSupervisor : IAsyncDisposable
{
    private const string LogCategory = "OpenChami.Dnsmasq";
    private const int SigHup = 1;
    private const int SigTerm = 15;
    private const int MaxRestarts = 3;

    private readonly IChamiStore store;
    private readonly DnsmasqOptions options;
    private readonly DnsmasqSupervisorOptions supervisorOptions;
    private readonly Action<ServerLogLevel, string> log;
    private readonly CancellationTokenSource stopping = new();
    private readonly object gate = new();
    private Process? process;
    private Task? watcher;
    private int restarts;
    private int disposed;
    private string lastAuditId = string.Empty;
    private DateTime lastPoll = DateTime.UtcNow;
    private DateTime lastFullCheck = DateTime.UtcNow;

    /// <summary>What a host line depends on: NICs, and components (xname, NID for the host name).</summary>
    private static readonly string[] WatchedCollections = ["ethernet_interfaces", "components"];

    /// <summary>A journal entry is stamped when written but may commit later (long transactions).</summary>
    private static readonly TimeSpan AuditOverlap = TimeSpan.FromSeconds(10);

    private DnsmasqSupervisor(IChamiStore store, DnsmasqOptions options, DnsmasqSupervisorOptions supervisorOptions, Action<ServerLogLevel, string> log, string executable)
    {
        this.store = store;
        this.options = options;
        this.supervisorOptions = supervisorOptions;
        this.log = log;
        Executable = executable;
        StateDirectory = Path.GetFullPath(supervisorOptions.StateDirectory);
        ConfigFile = Path.Combine(StateDirectory, "dnsmasq.conf");
        Files = DnsmasqFiles.In(StateDirectory);
    }

    public string Executable { get; }

    public string StateDirectory { get; }

    public string ConfigFile { get; }

    public DnsmasqFiles Files { get; }

    /// <summary>Hash of the host content dnsmasq was last given.</summary>
    public string HostsHash { get; private set; } = string.Empty;

    public int HostCount { get; private set; }

    /// <summary>How many times dnsmasq was told to re-read its host files.</summary>
    public int Reloads { get; private set; }

    public int? ProcessId
    {
        get
        {
            lock (gate) return process is { HasExited: false } p ? p.Id : null;
        }
    }

    /// <summary>
    /// Generates the configuration, has dnsmasq check it, starts dnsmasq and waits until it reports that it runs.
    /// Throws DnsmasqNotFound, DnsmasqConfigInvalid, or DnsmasqStartFailed (with dnsmasq's message).
    /// </summary>
    public static DnsmasqSupervisor Start(IChamiStore store, DnsmasqOptions options, DnsmasqSupervisorOptions supervisorOptions, Action<ServerLogLevel, string> log)
    {
        // Bad options are the operator's to fix first, whatever is installed.
        var config = DnsmasqConfigBuilder.Build(store, options, DnsmasqFiles.In(Path.GetFullPath(supervisorOptions.StateDirectory)));
        var executable = DnsmasqProgram.Find(supervisorOptions.ExecutablePath);
        var supervisor = new DnsmasqSupervisor(store, options, supervisorOptions, log, executable);
        Directory.CreateDirectory(supervisor.StateDirectory);
        supervisor.WriteFiles(config, includeMain: true);
        DnsmasqProgram.Test(executable, supervisor.ConfigFile);
        foreach (var w in config.Warnings) log(ServerLogLevel.Warning, w);
        supervisor.Launch();
        supervisor.watcher = Task.Run(supervisor.WatchAsync);
        return supervisor;
    }

    private void WriteFiles(DnsmasqConfiguration config, bool includeMain)
    {
        DnsmasqProgram.WriteAtomically(Files.DhcpHostsFile, config.DhcpHosts);
        DnsmasqProgram.WriteAtomically(Files.NameHostsFile, config.NameHosts);
        if (includeMain) DnsmasqProgram.WriteAtomically(ConfigFile, config.MainConfig);
        HostsHash = config.HostsHash;
        HostCount = config.Hosts.Count;
    }

    private void Launch()
    {
        var psi = new ProcessStartInfo(Executable)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add("--keep-in-foreground");
        psi.ArgumentList.Add($"--conf-file={ConfigFile}");
        // Log to stderr, which lands in the server log (Get-ChamiServerLog) instead of syslog.
        psi.ArgumentList.Add("--log-facility=-");
        if (MustKeepRoot())
        {
            // Started as root, dnsmasq drops to an unprivileged user and re-reads the host files as that user on
            // SIGHUP; a state folder under e.g. /root (0700) would then be unreadable and reloads would fail.
            psi.ArgumentList.Add("--user=root");
            log(ServerLogLevel.Warning, $"{StateDirectory} is not reachable by other users, so dnsmasq keeps running as root; put the database (or -DnsmasqStateDirectory) under a world-traversable folder to let it drop privileges");
        }

        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new List<string>();
        var p = new Process { StartInfo = psi, EnableRaisingEvents = true };
        DataReceivedEventHandler onLine = (_, e) =>
        {
            if (e.Data is not { } line) return;
            var text = line.StartsWith("dnsmasq", StringComparison.Ordinal) && line.IndexOf(": ", StringComparison.Ordinal) is var i and > 0 && i < 24
                ? line[(i + 2)..] : line;
            lock (output) if (output.Count < 50) output.Add(text);
            if (text.StartsWith("started, version", StringComparison.Ordinal)) started.TrySetResult();
            var level = text.Contains("failed", StringComparison.OrdinalIgnoreCase) || text.Contains("error", StringComparison.OrdinalIgnoreCase)
                ? ServerLogLevel.Warning : ServerLogLevel.Information;
            log(level, text);
        };
        p.ErrorDataReceived += onLine;
        p.OutputDataReceived += onLine;
        p.Exited += (_, _) => started.TrySetResult();
        try
        {
            p.Start();
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            p.Dispose();
            throw ChamiException.Unavailable("DnsmasqStartFailed", $"cannot start {Executable}: {ex.Message}", Executable, ex);
        }
        p.StandardInput.Close();
        p.BeginErrorReadLine();
        p.BeginOutputReadLine();
        lock (gate) process = p;

        if (!started.Task.Wait(supervisorOptions.StartTimeout)) log(ServerLogLevel.Warning, $"dnsmasq did not report its start within {supervisorOptions.StartTimeout.TotalSeconds} s");
        if (p.HasExited)
        {
            p.WaitForExit();
            string message;
            lock (output) message = string.Join(" ", output).Trim();
            lock (gate) process = null;
            var code = p.ExitCode;
            p.Dispose();
            throw ChamiException.Unavailable("DnsmasqStartFailed",
                $"dnsmasq exited at start (code {code}): {(message.Length > 0 ? message : "no message")}", ConfigFile);
        }
        log(ServerLogLevel.Information, $"dnsmasq running (pid {p.Id}) with {ConfigFile}, {HostCount} hosts");
    }

    private bool MustKeepRoot()
    {
        if (OperatingSystem.IsWindows() || Environment.UserName != "root") return false;
        for (var dir = new DirectoryInfo(StateDirectory); dir is not null; dir = dir.Parent)
        {
            if (dir.Exists && (dir.UnixFileMode & UnixFileMode.OtherExecute) == 0) return true;
        }
        return false;
    }

    /// <summary>Regenerates on every tick; reloads only when the host content changed (changes may come from any process).</summary>
    private async Task WatchAsync()
    {
        using var timer = new PeriodicTimer(supervisorOptions.PollInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping.Token).ConfigureAwait(false))
            {
                try
                {
                    if (ShouldRegenerate()) Refresh();
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    log(ServerLogLevel.Error, $"dnsmasq refresh failed: {ex.Message}");
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>
    /// Cheap test before regenerating: dnsmasq died, the full-check interval passed, or the audit journal (written by
    /// every process on this database) has a NIC or component change newer than the last one seen.
    /// </summary>
    private bool ShouldRegenerate()
    {
        var now = DateTime.UtcNow;
        var since = lastPoll - AuditOverlap;
        lastPoll = now;
        bool exited;
        lock (gate) exited = process is null || process.HasExited;
        var newest = store.Read(s => s.Collection<Audit.AuditEntry>().Find(e => e.Time >= since))
            .Where(e => WatchedCollections.Contains(e.Collection, StringComparer.Ordinal))
            .Select(e => e.Id)
            .DefaultIfEmpty(string.Empty)
            .Max(StringComparer.Ordinal) ?? string.Empty;
        var changed = string.CompareOrdinal(newest, lastAuditId) > 0;
        if (changed) lastAuditId = newest;
        if (exited || changed || now - lastFullCheck >= supervisorOptions.FullCheckInterval)
        {
            lastFullCheck = now;
            return true;
        }
        return false;
    }

    /// <summary>Brings dnsmasq in step with the inventory now; true when it was reloaded or restarted.</summary>
    public bool Refresh()
    {
        if (stopping.IsCancellationRequested) return false;
        var config = DnsmasqConfigBuilder.Build(store, options, Files);
        bool exited;
        lock (gate) exited = process is null || process.HasExited;
        if (exited)
        {
            if (restarts >= MaxRestarts) return false;
            restarts++;
            log(ServerLogLevel.Error, $"dnsmasq is not running; restarting ({restarts}/{MaxRestarts})");
            WriteFiles(config, includeMain: false);
            lock (gate) process?.Dispose();
            Launch();
            return true;
        }
        if (config.HostsHash == HostsHash) return false;
        WriteFiles(config, includeMain: false);
        foreach (var w in config.Warnings) log(ServerLogLevel.Warning, w);
        int pid;
        lock (gate) pid = process!.Id;
        if (Kill(pid, SigHup) != 0) throw new InvalidOperationException($"SIGHUP to dnsmasq (pid {pid}) failed: errno {Marshal.GetLastPInvokeError()}");
        Reloads++;
        log(ServerLogLevel.Information, $"inventory changed: dnsmasq reloaded with {config.Hosts.Count} hosts");
        return true;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0) return;
        await stopping.CancelAsync().ConfigureAwait(false);
        if (watcher is not null)
        {
            try
            {
                await watcher.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }
        Process? p;
        lock (gate)
        {
            p = process;
            process = null;
        }
        if (p is not null)
        {
            if (!p.HasExited)
            {
                _ = Kill(p.Id, SigTerm);
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                try
                {
                    await p.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    p.Kill(true);
                    await p.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
                }
            }
            log(ServerLogLevel.Information, $"dnsmasq stopped (pid {p.Id})");
            p.Dispose();
        }
        stopping.Dispose();
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
