#!/usr/bin/env pwsh
<#
.SYNOPSIS
    Boot-storm benchmark: wrk against /boot/v1/bootscript?mac=<random one of 10,000 nodes>,
    side by side with nginx serving the same script as a static file, in the same run.

.DESCRIPTION
    Registers -Nodes nodes (one Set-ChamiBootParams transaction gives each its own entry), starts
    Start-ChamiServer on a loopback port, and starts nginx (non-daemon, temp config, loopback port)
    serving one node's script as a static file. wrk drives both with the same Lua script, which
    picks a random registered MAC per request. Reports requests/s, p50, p99 and the ratio, for the
    in-memory store and for a database file (LiteDB shared mode, the default for files).
    Not part of the test run. Needs the Debian packages wrk and nginx (or nginx-light).

.EXAMPLE
    dotnet pwsh ./build.ps1; dotnet pwsh bench/Bench-BootScript.ps1 -Connections 256 -DurationSec 10
#>
[CmdletBinding()]
param(
    [int] $Nodes = 10000,
    [int] $Connections = 256,
    [int] $Threads = 2,
    [int] $DurationSec = 10,
    [ValidateSet('InMemory', 'File', 'Both')] [string] $Store = 'Both',
    [string] $ModulePath = (Join-Path $PSScriptRoot '../out/OpenChami/OpenChami.psd1')
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'
foreach ($tool in 'wrk', 'nginx') {
    if (-not (Get-Command $tool -ErrorAction SilentlyContinue) -and -not (Test-Path "/usr/sbin/$tool")) { throw "$tool is not installed (apt-get install $tool)" }
}
$nginxExe = (Get-Command nginx -ErrorAction SilentlyContinue)?.Source ?? '/usr/sbin/nginx'
Import-Module $ModulePath -Force
# Fixtures: $Nodes nodes written in one transaction (New-ChamiNode is one transaction per node).
Import-Module (Join-Path $PSScriptRoot '../tests/Pester/BootTestSupport.psm1') -Force

$work = Join-Path ([IO.Path]::GetTempPath()) "chami-bench-boot-$([guid]::NewGuid().ToString('n').Substring(0, 8))"
New-Item -ItemType Directory -Path $work, (Join-Path $work 'www/boot/v1'), (Join-Path $work 'nginx') | Out-Null

function Get-FreePort {
    $listener = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0)
    $listener.Start(); $port = $listener.LocalEndpoint.Port; $listener.Stop(); $port
}

function Invoke-Wrk([string] $Url) {
    $out = & wrk -t $Threads -c $Connections -d "${DurationSec}s" --latency -s (Join-Path $work 'macs.lua') $Url 2>&1 | Out-String
    $rps = [double]([regex]::Match($out, 'Requests/sec:\s+([\d.]+)').Groups[1].Value)
    $toMs = {
        param($text)
        $m = [regex]::Match($text, '([\d.]+)(us|ms|s)')
        $v = [double]$m.Groups[1].Value
        switch ($m.Groups[2].Value) { 'us' { $v / 1000 } 'ms' { $v } 's' { $v * 1000 } }
    }
    $errors = [regex]::Match($out, 'Non-2xx or 3xx responses: (\d+)').Groups[1].Value
    [pscustomobject]@{
        Rps    = $rps
        P50Ms  = & $toMs ([regex]::Match($out, '50%\s+(\S+)').Groups[1].Value)
        P99Ms  = & $toMs ([regex]::Match($out, '99%\s+(\S+)').Groups[1].Value)
        Non2xx = if ($errors) { [int]$errors } else { 0 }
        Raw    = $out
    }
}

$nginx = $null
$results = [Collections.Generic.List[object]]::new()
try {
    $macs = 0..($Nodes - 1) | ForEach-Object { Get-ChamiTestMac $_ }
    Set-Content -Path (Join-Path $work 'macs.txt') -Value $macs
    @"
local macs = {}
for line in io.lines("$(Join-Path $work 'macs.txt')") do macs[#macs + 1] = line end
math.randomseed(os.time())
request = function()
  return wrk.format("GET", "/boot/v1/bootscript?mac=" .. macs[math.random(#macs)])
end
"@ | Set-Content -Path (Join-Path $work 'macs.lua')

    $stores = switch ($Store) { 'Both' { 'InMemory', 'File' } default { $Store } }
    foreach ($kind in $stores) {
        if ($kind -eq 'InMemory') { Connect-ChamiDatabase -InMemory } else { Connect-ChamiDatabase -Path (Join-Path $work 'bench.db') }
        $clock = [Diagnostics.Stopwatch]::StartNew()
        Add-ChamiTestNodes -Count $Nodes -Group compute
        $registered = $clock.Elapsed.TotalSeconds
        $clock.Restart()
        Get-ChamiNode -Group compute | Set-ChamiBootParams -Kernel 'http://172.16.0.254:9000/boot-images/compute/vmlinuz' `
            -Initrd 'http://172.16.0.254:9000/boot-images/compute/initramfs.img' `
            -Params 'nomodeset ro root=live:http://172.16.0.254:9000/boot-images/compute/rocky9 ip=dhcp console=ttyS0,115200'
        $bulk = $clock.Elapsed.TotalSeconds
        Write-Host ("[{0}] registered {1:N0} nodes in {2:N1} s; Set-ChamiBootParams on all of them (one transaction): {3:N2} s" -f $kind, $Nodes, $registered, $bulk)

        $server = Start-ChamiServer -Port 0
        try {
            # The reference: nginx serving one node's script as a static file.
            $sample = (Invoke-WebRequest "$($server.Url)/boot/v1/bootscript?mac=$($macs[42])").Content
            Set-Content -Path (Join-Path $work 'www/boot/v1/bootscript') -Value $sample -NoNewline
            if (-not $nginx) {
                $nginxPort = Get-FreePort
                $conf = Join-Path $work 'nginx/nginx.conf'
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
                while ([DateTime]::UtcNow -lt $deadline) {
                    try { $null = Invoke-WebRequest "http://127.0.0.1:$nginxPort/boot/v1/bootscript" -TimeoutSec 1; break } catch { Start-Sleep -Milliseconds 100 }
                }
            }
            Write-Host "[$kind] wrk -t$Threads -c$Connections -d${DurationSec}s: OpenChami $($server.Url), then nginx 127.0.0.1:$nginxPort"
            $ours = Invoke-Wrk "$($server.Url)/boot/v1/bootscript"
            $ref = Invoke-Wrk "http://127.0.0.1:$nginxPort/boot/v1/bootscript"
            $results.Add([pscustomobject]@{
                Store = $kind; OurRps = [math]::Round($ours.Rps); OurP50Ms = $ours.P50Ms; OurP99Ms = $ours.P99Ms; OurNon2xx = $ours.Non2xx
                NginxRps = [math]::Round($ref.Rps); NginxP50Ms = $ref.P50Ms; NginxP99Ms = $ref.P99Ms
                Ratio = [math]::Round($ours.Rps / [math]::Max(1, $ref.Rps), 2)
            })
            if ($ours.Non2xx -gt 0) { Write-Warning "[$kind] $($ours.Non2xx) non-2xx responses from OpenChami:`n$($ours.Raw)" }
        } finally {
            $server | Stop-ChamiServer
            Disconnect-ChamiDatabase
        }
    }
} finally {
    if ($nginx -and -not $nginx.HasExited) {
        # Graceful stop through the master (SIGKILL on the master alone would orphan its workers).
        & $nginxExe -c $conf -p "$work/nginx" -s stop 2>$null
        if (-not $nginx.WaitForExit(5000)) { $nginx.Kill($true); $nginx.WaitForExit(5000) | Out-Null }
    }
    Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction SilentlyContinue
}

$results | Format-Table -AutoSize | Out-String | Write-Host
Write-Host "Targets: ratio >= 0.5 of nginx, our p99 < 20 ms at $Connections connections."
$results
