#!/usr/bin/env pwsh
<#
.SYNOPSIS
    Boot storm: N registered nodes, each fetching its iPXE bootscript and its cloud-init meta-data, user-data and
    vendor-data, driven by wrk over loopback; nginx serving the same bodies as static files in the same run is the
    reference. Also times `Get-ChamiNode -Group compute | Set-ChamiBootParams` over the N nodes and the server
    process's working set with N nodes loaded.

.DESCRIPTION
    Supersedes the boot branch's single-route bootscript bench (results kept in bench/results/bootscript-2026-11-26.md).
      - N nodes (component + NIC, one group 'compute') written in ONE transaction through compiled code
        (New-ChamiNode is one transaction per node: right for operators, far too slow for a 100k fixture).
      - Get-ChamiNode -Group compute | Set-ChamiBootParams ...  timed (every node gets its own entry).
      - cloud-init cluster defaults + a 'compute' group; per-node signed seed URLs like the nodes boot with.
      - Start-ChamiServer on 127.0.0.1:<free port>, database FILE (LiteDB shared mode, as the module runs it).
      - First boot: every node's four requests once (.NET client, -Connections at a time), against OpenChami and
        then nginx: nothing is warm, each node's instance-id is created here.
      - Then the reboot storm: wrk per route (random node per request, Lua), then nginx (non-daemon, temp prefix + config, loopback)
        serving one node's body for that route as a static file; then a mixed storm (random node, random route)
        against both. Storm wall time = 4 x N / mixed requests/s (what N nodes booting at once would take).
      - -ConnectionString: the same on an (empty) PostgreSQL database instead of the LiteDB file; with -Servers 2 a
        second Start-ChamiServer in its own pwsh serves the same database and every wrk run is split in two
        (half the connections against each server, at the same time; req/s summed, p99 the worse of the two).
    Needs the Debian packages wrk and nginx: installed with apt-get at run time if missing (clear message).
.EXAMPLE
    dotnet pwsh bench/BootStorm.Bench.ps1 -Nodes 10000 -Connections 256 -DurationSec 5
.EXAMPLE
    dotnet pwsh bench/BootStorm.Bench.ps1 -Nodes 1000 -ConnectionString 'Host=127.0.0.1;Port=5433;Username=chami;Database=bench' -Servers 2
#>
[CmdletBinding()]
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../out/OpenChami/OpenChami.psd1'),
    [ValidateRange(1, 200000)] [int] $Nodes = 10000,
    [ValidateRange(1, 1024)] [int] $Connections = 256,
    [ValidateRange(1, 8)] [int] $Threads = 2,
    [ValidateRange(1, 60)] [int] $DurationSec = 5,
    # Unmeasured wrk seconds before each measured run (both OpenChami and nginx).
    [ValidateRange(1, 30)] [int] $WarmupSec = 2,
    [switch] $InMemory,
    # A PostgreSQL server to run on instead of a LiteDB file: the bench creates a database there for the run and
    # drops it afterwards (so the login needs CREATEDB; no password in the string: PGPASSWORD or ~/.pgpass).
    [string] $ConnectionString,
    # Servers sharing the PostgreSQL database (2: the second runs in its own pwsh); wrk is split across them.
    [ValidateRange(1, 2)] [int] $Servers = 1,
    # Only the memory figure: seed N nodes, start the server, list every component once over HTTP, report the
    # working set (no boot parameters, no storm: usable at 100k where the storm's set-up is too slow).
    [switch] $MemoryOnly
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

function Install-BenchTool([string] $Package, [string] $Command) {
    if ((Get-Command $Command -ErrorAction SilentlyContinue) -or (Test-Path "/usr/sbin/$Command")) { return }
    Write-Host "bench needs '$Command': installing the Debian package '$Package' (apt-get install -y $Package)"
    $sudo = if ((id -u) -ne '0') { 'sudo' } else { $null }
    if ($sudo) { & sudo apt-get install -y $Package | Out-Host } else { & apt-get install -y $Package | Out-Host }
    if ($LASTEXITCODE -ne 0) { throw "could not install $Package; install it (apt-get install $Package) and run again" }
}
Install-BenchTool wrk wrk
Install-BenchTool nginx nginx
$nginxExe = (Get-Command nginx -ErrorAction SilentlyContinue)?.Source ?? '/usr/sbin/nginx'

Import-Module $ModulePath -Force
# The node seed the boot tests use (one transaction through compiled code): [OpenChamiTests.BootSeed].
Import-Module (Join-Path $PSScriptRoot '../tests/Pester/BootTestSupport.psm1') -Force
if (-not ('OpenChamiBench.FirstBoot' -as [type])) {
    Add-Type -ReferencedAssemblies 'System.Collections', 'System.Linq', 'System.Runtime', 'System.Net.Http', 'System.Net.Primitives', 'System.Threading', 'System.Threading.Tasks' -TypeDefinition @'
using System;
using System.Collections.Generic;
using System.Linq;

namespace OpenChamiBench
{
    /// <summary>
    /// A first boot: every node's requests sent once (no repeats, nothing warm), <c>concurrency</c> at a time,
    /// bounded by <c>limitSeconds</c>. Returns seconds, p50 ms, p99 ms, failures, requests answered.
    /// </summary>
    public static class FirstBoot
    {
        public static double[] Run(string[] baseUrls, string[] paths, int concurrency, int limitSeconds)
        {
            var handler = new System.Net.Http.SocketsHttpHandler { MaxConnectionsPerServer = concurrency };
            using (var client = new System.Net.Http.HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) })
            {
                var latencies = new double[paths.Length];
                var next = -1;
                var failures = 0;
                var clock = System.Diagnostics.Stopwatch.StartNew();
                var limit = TimeSpan.FromSeconds(limitSeconds);
                var workers = new System.Threading.Tasks.Task[concurrency];
                for (var w = 0; w < concurrency; w++)
                {
                    workers[w] = System.Threading.Tasks.Task.Run(async () =>
                    {
                        while (true)
                        {
                            var i = System.Threading.Interlocked.Increment(ref next);
                            if (i >= paths.Length || clock.Elapsed > limit) return;
                            var started = System.Diagnostics.Stopwatch.GetTimestamp();
                            try
                            {
                                using (var response = await client.GetAsync(baseUrls[i % baseUrls.Length] + paths[i]))
                                {
                                    await response.Content.ReadAsByteArrayAsync();
                                    if (!response.IsSuccessStatusCode) System.Threading.Interlocked.Increment(ref failures);
                                }
                            }
                            catch (Exception)
                            {
                                System.Threading.Interlocked.Increment(ref failures);
                            }
                            latencies[i] = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                        }
                    });
                }
                System.Threading.Tasks.Task.WaitAll(workers);
                var seconds = clock.Elapsed.TotalSeconds;
                var answered = latencies.Where(l => l > 0).OrderBy(l => l).ToArray();
                Func<double, double> percentile = q => answered.Length == 0 ? 0 : answered[Math.Min(answered.Length - 1, (int)(q * answered.Length))];
                return new[] { seconds, percentile(0.5), percentile(0.99), failures, answered.Length };
            }
        }
    }
}
'@
}

function Get-FreePort {
    $listener = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0)
    $listener.Start(); $port = $listener.LocalEndpoint.Port; $listener.Stop(); $port
}

function ConvertTo-Ms([string] $Text) {
    $m = [regex]::Match($Text, '([\d.]+)(us|ms|s)')
    if (-not $m.Success) { return $null }
    $v = [double]$m.Groups[1].Value
    switch ($m.Groups[2].Value) { 'us' { $v / 1000 } 'ms' { $v } 's' { $v * 1000 } }
}

function Invoke-Wrk([string[]] $BaseUrl, [string] $PathsFile, [int] $Seconds = $DurationSec) {
    # The Lua script picks a random line of $PathsFile per request (a random node, or a random node+route).
    $lua = Join-Path $work ("wrk-" + [IO.Path]::GetFileNameWithoutExtension($PathsFile) + '.lua')
    @"
local paths = {}
for line in io.lines("$PathsFile") do paths[#paths + 1] = line end
math.randomseed(os.time())
request = function()
  return wrk.format("GET", paths[math.random(#paths)])
end
"@ | Set-Content -Path $lua
    # One wrk per server, all at once, the connections and threads shared out. wrk ends by itself after -d;
    # the timeout only guards against a wedged run.
    $connectionsEach = [math]::Max(1, [int][math]::Floor($Connections / $BaseUrl.Count))
    $threadsEach = [math]::Max(1, [int][math]::Floor($Threads / $BaseUrl.Count))
    $runs = foreach ($url in $BaseUrl) {
        $info = [Diagnostics.ProcessStartInfo]::new('timeout')
        foreach ($a in "$($Seconds + 60)", 'wrk', '-t', "$threadsEach", '-c', "$connectionsEach", '-d', "${Seconds}s", '--timeout', '10s', '--latency', '-s', $lua, $url) { $info.ArgumentList.Add($a) }
        $info.RedirectStandardOutput = $true; $info.RedirectStandardError = $true; $info.UseShellExecute = $false
        $process = [Diagnostics.Process]::Start($info)
        @{ Process = $process; Output = $process.StandardOutput.ReadToEndAsync() }
    }
    $parsed = foreach ($run in @($runs)) {
        $out = $run.Output.GetAwaiter().GetResult()
        $run.Process.WaitForExit(); $run.Process.Dispose()
        $errors = [regex]::Match($out, 'Non-2xx or 3xx responses: (\d+)').Groups[1].Value
        [pscustomobject]@{
            Rps          = [double]([regex]::Match($out, 'Requests/sec:\s+([\d.]+)').Groups[1].Value)
            P50Ms        = ConvertTo-Ms ([regex]::Match($out, '(?m)^\s*50%\s+(\S+)').Groups[1].Value)
            P99Ms        = ConvertTo-Ms ([regex]::Match($out, '(?m)^\s*99%\s+(\S+)').Groups[1].Value)
            Non2xx       = if ($errors) { [int]$errors } else { 0 }
            SocketErrors = [regex]::Match($out, 'Socket errors: (.*)').Groups[1].Value.Trim()
        }
    }
    $parsed = @($parsed)
    [pscustomobject]@{
        Rps          = [math]::Round(($parsed | Measure-Object Rps -Sum).Sum)
        P50Ms        = ($parsed | Measure-Object P50Ms -Maximum).Maximum
        P99Ms        = ($parsed | Measure-Object P99Ms -Maximum).Maximum
        Non2xx       = [int]($parsed | Measure-Object Non2xx -Sum).Sum
        SocketErrors = ($parsed.SocketErrors | Where-Object { $_ }) -join '; '
    }
}

$work = Join-Path ([IO.Path]::GetTempPath()) "openchami-bench-boot-$PID"
New-Item -ItemType Directory -Path $work, (Join-Path $work 'www'), (Join-Path $work 'nginx') -Force | Out-Null
$dbPath = Join-Path $work 'bench.db'
$server = $null
$secondServer = $null
$nginx = $null
$serverConnectionString = $ConnectionString
if ($Servers -gt 1 -and -not $ConnectionString) { throw '-Servers 2 needs -ConnectionString: two servers share one PostgreSQL database' }
$conf = Join-Path $work 'nginx/nginx.conf'
try {
    $self = [Diagnostics.Process]::GetCurrentProcess()
    $self.Refresh(); $baseWorkingSetMb = $self.WorkingSet64 / 1MB
    $keys = Join-Path $work 'keys'
    if ($ConnectionString) {
        . (Join-Path $PSScriptRoot 'BenchPostgres.ps1')
        $ConnectionString = New-BenchPostgresDatabase $serverConnectionString 'bootstorm'
        Connect-ChamiDatabase -ConnectionString $ConnectionString -KeyDirectory $keys | Out-Null }
    elseif ($InMemory) { Connect-ChamiDatabase -InMemory | Out-Null }
    else { Connect-ChamiDatabase -Path $dbPath | Out-Null }
    $services = [OpenChami.PowerShell.Infrastructure.ChamiSession]::Current
    $clock = [Diagnostics.Stopwatch]::StartNew()
    [OpenChamiTests.BootSeed]::Seed($services.Store, $Nodes, 'compute')
    $seedSeconds = $clock.Elapsed.TotalSeconds
    if ($MemoryOnly) {
        $server = Start-ChamiServer -Port 0
        $http = [Net.Http.HttpClient]::new(); $http.Timeout = [TimeSpan]::FromSeconds(300)
        $listed = $http.GetAsync($server.Url + '/hsm/v2/State/Components?type=Node').GetAwaiter().GetResult()
        $listedBytes = $listed.Content.ReadAsByteArrayAsync().GetAwaiter().GetResult().Length
        $http.Dispose()
        $self.Refresh()
        Write-Host ("memory: {0:N0} nodes seeded in {1:N1} s; working set {2:N0} MB (before connecting {3:N0} MB), peak {4:N0} MB" -f $Nodes, $seedSeconds, ($self.WorkingSet64 / 1MB), $baseWorkingSetMb, ($self.PeakWorkingSet64 / 1MB))
        return [pscustomobject]@{
            Nodes = $Nodes; SeedSeconds = [math]::Round($seedSeconds, 2); ListedBytes = $listedBytes
            BaseWorkingSetMB = [math]::Round($baseWorkingSetMb); WorkingSetMB = [math]::Round($self.WorkingSet64 / 1MB)
            PeakWorkingSetMB = [math]::Round($self.PeakWorkingSet64 / 1MB); ManagedHeapMB = [math]::Round([GC]::GetTotalMemory($false) / 1MB)
        }
    }

    $clock.Restart()
    Get-ChamiNode -Group compute | Set-ChamiBootParams -Kernel 'http://172.16.0.254:9000/boot-images/compute/vmlinuz' `
        -Initrd 'http://172.16.0.254:9000/boot-images/compute/initramfs.img' `
        -Params 'nomodeset ro root=live:http://172.16.0.254:9000/boot-images/compute/rocky9 ip=dhcp console=ttyS0,115200' -Confirm:$false | Out-Null
    $bootParamsSeconds = $clock.Elapsed.TotalSeconds
    Write-Host ("boot storm: {0:N0} nodes seeded in {1:N1} s; Get-ChamiNode -Group compute | Set-ChamiBootParams: {2:N2} s" -f $Nodes, $seedSeconds, $bootParamsSeconds)

    [void]$services.CloudInit.ReplaceDefaults([OpenChami.Core.CloudInit.ClusterDefaults]@{ ClusterName = 'bench'; ShortName = 'nid'; NidLength = 5; PublicKeys = [Collections.Generic.List[string]]@('ssh-ed25519 AAAAbench root@head') })
    $group = [OpenChami.Core.CloudInit.CloudInitGroup]::new()
    $group.Name = 'compute'; $group.Description = 'compute'
    $group.MetaData = [System.Text.Json.Nodes.JsonNode]::Parse('{"syslog":"10.0.0.254"}').AsObject()
    $group.File = [OpenChami.Core.CloudInit.CloudInitFile]@{ Content = "#cloud-config`nruncmd:`n- echo hello`n" }
    [void]$services.CloudInit.CreateGroup($group)

    $server = Start-ChamiServer -Port 0
    $serverUrls = @($server.Url)
    if ($Servers -gt 1) {
        # The second server: its own pwsh, same database and key folder (the seed URLs are signed with its keys).
        $second = Start-BenchSecondServer -ModulePath $ModulePath -ConnectionString $ConnectionString -KeyDirectory $keys -UrlFile (Join-Path $work 'second-server.url')
        $secondServer = $second.Process
        $serverUrls += $second.Url
    }
    # boot-service's script (spec/boot-service.md §4) beside /boot/v1's: same nodes, same configurations (one model).
    $routes = 'bootscript', 'boot-service', 'meta-data', 'user-data', 'vendor-data'
    # metadata-service's meta-data (same node, same signed seed, under /metadata-service): measured beside /cloud-init's,
    # outside the first boot and the mixed storm (a node boots with one of the two seeds, not both).
    $metadataService = 'ms-meta-data'
    # Paths per route, one line per node; the mixed file holds every (node, route).
    $paths = @{}
    foreach ($r in @($routes) + $metadataService) { $paths[$r] = [Collections.Generic.List[string]]::new($Nodes) }
    for ($i = 0; $i -lt $Nodes; $i++) {
        $paths['bootscript'].Add('/boot/v1/bootscript?mac=' + [OpenChamiTests.BootSeed]::MacOf($i))
        $paths['boot-service'].Add('/boot-service/bootscript?mac=' + [OpenChamiTests.BootSeed]::MacOf($i))
        $seed = ([Uri] $services.CloudInitSeeds.SeedUrlFor([OpenChamiTests.BootSeed]::XnameOf($i), $server.Url)).PathAndQuery
        if (-not $seed.EndsWith('/')) { $seed += '/' }
        foreach ($r in 'meta-data', 'user-data', 'vendor-data') { $paths[$r].Add($seed + $r) }
        $paths[$metadataService].Add(($seed -replace '^/cloud-init/n/', '/metadata-service/n/') + 'meta-data')
    }
    foreach ($r in @($routes) + $metadataService) { [IO.File]::WriteAllLines((Join-Path $work "$r.paths"), $paths[$r]) }
    [IO.File]::WriteAllLines((Join-Path $work 'mixed.paths'), [string[]]($routes | ForEach-Object { $paths[$_] }))

    # The reference bodies: what node 42 (or the last) gets, written as static files for nginx.
    $sample = [math]::Min(42, $Nodes - 1)
    $http = [Net.Http.HttpClient]::new(); $http.Timeout = [TimeSpan]::FromSeconds(30)
    $bodyBytes = @{}
    foreach ($r in @($routes) + $metadataService) {
        $response = $http.GetAsync($server.Url + $paths[$r][$sample]).GetAwaiter().GetResult()
        if (-not $response.IsSuccessStatusCode) { throw "$r for node $sample answered $([int]$response.StatusCode)" }
        $body = $response.Content.ReadAsByteArrayAsync().GetAwaiter().GetResult()
        $bodyBytes[$r] = $body.Length
        [IO.File]::WriteAllBytes((Join-Path $work "www/$r"), $body)
        [IO.File]::WriteAllLines((Join-Path $work "nginx-$r.paths"), [string[]]@("/$r"))
    }
    $http.Dispose()
    [IO.File]::WriteAllLines((Join-Path $work 'nginx-mixed.paths'), [string[]]($routes | ForEach-Object { "/$_" }))

    $nginxPort = Get-FreePort
    @"
worker_processes auto;
daemon off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $work/nginx/body;
  proxy_temp_path $work/nginx/proxy;
  fastcgi_temp_path $work/nginx/fastcgi;
  uwsgi_temp_path $work/nginx/uwsgi;
  scgi_temp_path $work/nginx/scgi;
  default_type text/plain;
  server {
    listen 127.0.0.1:$nginxPort;
    root $work/www;
    location / { try_files `$uri =404; }
  }
}
"@ | Set-Content -Path $conf
    $nginx = Start-Process -FilePath $nginxExe -ArgumentList '-c', $conf, '-p', "$work/nginx" -PassThru -RedirectStandardError (Join-Path $work 'nginx/stderr.log')
    $deadline = [DateTime]::UtcNow.AddSeconds(10)
    while ($true) {
        try { $null = Invoke-WebRequest "http://127.0.0.1:$nginxPort/bootscript" -TimeoutSec 1; break }
        catch { if ([DateTime]::UtcNow -gt $deadline) { throw "nginx did not answer within 10 s: $(Get-Content (Join-Path $work 'nginx/stderr.log') -Raw)" }; Start-Sleep -Milliseconds 100 }
    }

    $nginxUrl = "http://127.0.0.1:$nginxPort"
    Write-Host "boot storm: wrk -t$Threads -c$Connections -d${DurationSec}s per route; OpenChami $($serverUrls -join ' + '), nginx $nginxUrl"
    # First boot: every node's four requests exactly once, nothing warm yet (instance-ids are created here), against
    # OpenChami, then the same number of requests against nginx. The wrk runs below are the reboot storm that follows.
    $firstBootPaths = [string[]]@(for ($i = 0; $i -lt $Nodes; $i++) { foreach ($r in $routes) { $paths[$r][$i] } })
    $nginxFirstBootPaths = [string[]]@(for ($i = 0; $i -lt $Nodes; $i++) { foreach ($r in $routes) { "/$r" } })
    $firstOurs = [OpenChamiBench.FirstBoot]::Run([string[]]$serverUrls, $firstBootPaths, $Connections, 600)
    $firstNginx = [OpenChamiBench.FirstBoot]::Run([string[]]@($nginxUrl), $nginxFirstBootPaths, $Connections, 600)
    $firstBoot = [pscustomobject]@{
        Requests = $firstBootPaths.Length; Seconds = [math]::Round($firstOurs[0], 2); Rps = [math]::Round($firstOurs[4] / $firstOurs[0])
        P50Ms = [math]::Round($firstOurs[1], 2); P99Ms = [math]::Round($firstOurs[2], 2); Failures = [int]$firstOurs[3]; Answered = [int]$firstOurs[4]
        NginxSeconds = [math]::Round($firstNginx[0], 2); NginxRps = [math]::Round($firstNginx[4] / $firstNginx[0]); NginxP99Ms = [math]::Round($firstNginx[2], 2)
        Ratio = [math]::Round($firstNginx[0] / [math]::Max(0.001, $firstOurs[0]), 3)
    }
    Write-Host ("  first boot   ours {0,8:N0} req/s p50 {1,8:N2} ms p99 {2,8:N2} ms ({3:N0} requests in {4:N2} s, {5} failed) | nginx {6,8:N0} req/s p99 {7,8:N2} ms | ratio {8:N3}" -f $firstBoot.Rps, $firstBoot.P50Ms, $firstBoot.P99Ms, $firstBoot.Answered, $firstBoot.Seconds, $firstBoot.Failures, $firstBoot.NginxRps, $firstBoot.NginxP99Ms, $firstBoot.Ratio)
    if ($firstBoot.Failures -gt 0 -or $firstBoot.Answered -lt $firstBoot.Requests) { Write-Warning "first boot: $($firstBoot.Failures) failed, $($firstBoot.Requests - $firstBoot.Answered) not sent within the time limit" }

    # Each node's first metadata-service meta-data fetch, unmeasured: its /cloud-init one was part of the first boot, so
    # both meta-data rows below measure the reboot storm, not one warm and one cold.
    $null = [OpenChamiBench.FirstBoot]::Run([string[]]$serverUrls, [string[]]$paths[$metadataService], $Connections, 600)
    $rows = [Collections.Generic.List[object]]::new()
    foreach ($r in @($routes) + $metadataService + 'mixed') {
        # A short unmeasured run first, for each side: the JIT's second tier and the server's thread pool settle
        # (the store is already warm from the first boot; this is about code, not data).
        $null = Invoke-Wrk $serverUrls (Join-Path $work "$r.paths") -Seconds $WarmupSec
        $ours = Invoke-Wrk $serverUrls (Join-Path $work "$r.paths")
        $null = Invoke-Wrk $nginxUrl (Join-Path $work "nginx-$r.paths") -Seconds $WarmupSec
        $ref = Invoke-Wrk $nginxUrl (Join-Path $work "nginx-$r.paths")
        $row = [pscustomobject]@{
            Route = $r; Bytes = if ($bodyBytes.ContainsKey($r)) { $bodyBytes[$r] } else { $null }
            Rps = $ours.Rps; P50Ms = $ours.P50Ms; P99Ms = $ours.P99Ms; Non2xx = $ours.Non2xx; SocketErrors = $ours.SocketErrors
            NginxRps = $ref.Rps; NginxP50Ms = $ref.P50Ms; NginxP99Ms = $ref.P99Ms
            Ratio = [math]::Round($ours.Rps / [math]::Max(1, $ref.Rps), 3)
        }
        $rows.Add($row)
        Write-Host ("  {0,-12} ours {1,8:N0} req/s p50 {2,8:N2} ms p99 {3,8:N2} ms | nginx {4,8:N0} req/s p99 {5,8:N2} ms | ratio {6:N3}{7}" -f $r, $row.Rps, $row.P50Ms, $row.P99Ms, $row.NginxRps, $row.NginxP99Ms, $row.Ratio, $(if ($row.Non2xx) { " ($($row.Non2xx) non-2xx!)" } else { '' }))
    }
    $mixed = $rows | Where-Object Route -EQ 'mixed'
    $self.Refresh()
    [pscustomobject]@{
        Nodes                 = $Nodes
        Store                 = if ($ConnectionString) { "PostgreSQL, $Servers server$(if ($Servers -gt 1) { 's (2 processes)' })" } elseif ($InMemory) { 'in-memory' } else { 'LiteDB file (shared mode)' }
        Servers               = $Servers
        Connections           = $Connections
        DurationSec           = $DurationSec
        SeedSeconds           = [math]::Round($seedSeconds, 2)
        SetBootParamsSeconds  = [math]::Round($bootParamsSeconds, 2)
        FirstBoot             = $firstBoot
        StormWallSeconds      = if ($mixed.Rps) { [math]::Round(4 * $Nodes / $mixed.Rps, 2) } else { $null }
        NginxStormWallSeconds = if ($mixed.NginxRps) { [math]::Round(4 * $Nodes / $mixed.NginxRps, 2) } else { $null }
        BaseWorkingSetMB      = [math]::Round($baseWorkingSetMb)
        WorkingSetMB          = [math]::Round($self.WorkingSet64 / 1MB)
        PeakWorkingSetMB      = [math]::Round($self.PeakWorkingSet64 / 1MB)
        ManagedHeapMB         = [math]::Round([GC]::GetTotalMemory($false) / 1MB)
        Routes                = $rows.ToArray()
    }
}
finally {
    if ($nginx -and -not $nginx.HasExited) {
        # Graceful stop through the master (killing the master alone would orphan its workers).
        & $nginxExe -c $conf -p "$work/nginx" -s stop 2>$null
        if (-not $nginx.WaitForExit(5000)) { $nginx.Kill($true); $nginx.WaitForExit(5000) | Out-Null }
    }
    if ($secondServer -and -not $secondServer.HasExited) { $secondServer.Kill($true); $secondServer.WaitForExit(10000) | Out-Null }
    if ($server) { Stop-ChamiServer -Server $server -Confirm:$false }
    Disconnect-ChamiDatabase -ErrorAction SilentlyContinue | Out-Null
    if ($serverConnectionString -and $ConnectionString -ne $serverConnectionString) { Remove-BenchPostgresDatabase $serverConnectionString $ConnectionString }
    Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction SilentlyContinue
}
