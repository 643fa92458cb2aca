#!/usr/bin/env pwsh
<#
.SYNOPSIS
    Start-up costs: Import-Module OpenChami in a fresh pwsh, Start-ChamiServer to the first served request, and a
    fresh clone to serving (the README's run command), each with a reference measured in the same run.

.DESCRIPTION
    - import:  a fresh pwsh that runs `Import-Module OpenChami` (median of -Runs); reference: a fresh pwsh that
               imports nothing (the process start every import pays anyway).
    - serve:   in a fresh pwsh, Connect-ChamiDatabase (temp file) + Start-ChamiServer -Port 0 until GET /healthz
               answers 200 (median of -Runs); reference: the same GET /healthz once the server is warm.
    - clone:   `git clone` of this repository into a temp folder, then `dotnet tool restore && dotnet pwsh
               ./build.ps1 -Serve -Port <free>` until /healthz answers (bounded by -CloneTimeoutSec), then the
               whole process tree is killed. OPENCHAMI_DB points into the temp folder. Skipped with -SkipClone.
.EXAMPLE
    dotnet pwsh bench/Startup.Bench.ps1 -Runs 3
#>
[CmdletBinding()]
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../out/OpenChami/OpenChami.psd1'),
    [ValidateRange(1, 20)] [int] $Runs = 3,
    [ValidateRange(60, 3600)] [int] $CloneTimeoutSec = 900,
    [switch] $SkipClone
)
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'
$ModulePath = (Resolve-Path $ModulePath).Path
$root = (Resolve-Path (Join-Path $PSScriptRoot '..')).Path
$pwshDll = Join-Path $PSHOME 'pwsh.dll'
$work = Join-Path ([IO.Path]::GetTempPath()) "openchami-bench-startup-$PID"
New-Item -ItemType Directory -Path $work -Force | Out-Null

function Invoke-ChildSeconds([string] $Script, [int] $TimeoutSec = 120) {
    # Runs a script in a fresh pwsh; the script prints one number (seconds). Bounded; killed on time-out.
    $info = [Diagnostics.ProcessStartInfo]::new([Environment]::ProcessPath)
    foreach ($a in $pwshDll, '-NoProfile', '-NonInteractive', '-Command', $Script) { $info.ArgumentList.Add($a) }
    $info.RedirectStandardOutput = $true; $info.UseShellExecute = $false
    $info.Environment['OPENCHAMI_DB'] = Join-Path $work "default-$([guid]::NewGuid().ToString('n')).db"
    $p = [Diagnostics.Process]::Start($info)
    try {
        $out = $p.StandardOutput.ReadToEndAsync()
        if (-not $p.WaitForExit($TimeoutSec * 1000)) { throw "child pwsh did not finish within $TimeoutSec s" }
        if ($p.ExitCode -ne 0) { throw "child pwsh failed ($($p.ExitCode)): $($out.Result)" }
        [double](($out.Result -split "`n" | Where-Object { $_ -match '^\s*[\d.]+\s*$' } | Select-Object -Last 1).Trim())
    }
    finally { if (-not $p.HasExited) { $p.Kill($true) }; $p.Dispose() }
}

function Get-Median([double[]] $Values) { $s = @($Values | Sort-Object); $s[[int][math]::Floor(($s.Count - 1) / 2)] }

function Wait-Healthz([string] $Url, [DateTime] $Deadline, [Diagnostics.Process] $Process) {
    while ([DateTime]::UtcNow -lt $Deadline) {
        if ($Process -and $Process.HasExited) { throw "the serving process exited ($($Process.ExitCode)) before $Url answered" }
        try { if ((Invoke-WebRequest $Url -TimeoutSec 2).StatusCode -eq 200) { return $true } } catch { Start-Sleep -Milliseconds 250 }
    }
    $false
}

$clone = $null
try {
    # ---- Import-Module vs an empty fresh pwsh (the wall time of the whole child, measured from outside)
    $importRuns = @(); $emptyRuns = @()
    for ($i = 0; $i -lt $Runs; $i++) {
        $emptyRuns += (Measure-Command { Invoke-ChildSeconds '0' }).TotalSeconds
        $importRuns += (Measure-Command { Invoke-ChildSeconds "Import-Module '$ModulePath'; 0" }).TotalSeconds
    }
    $inProcessImport = @()
    for ($i = 0; $i -lt $Runs; $i++) {
        $inProcessImport += Invoke-ChildSeconds "`$w = [Diagnostics.Stopwatch]::StartNew(); Import-Module '$ModulePath'; `$w.Elapsed.TotalSeconds"
    }

    # ---- Start-ChamiServer to first served request, in a fresh pwsh with the module already imported
    $serveScript = @"
Import-Module '$ModulePath'
Connect-ChamiDatabase -Path (Join-Path '$work' "serve-`$PID.db") | Out-Null
`$w = [Diagnostics.Stopwatch]::StartNew()
`$s = Start-ChamiServer -Port 0
`$c = [Net.Http.HttpClient]::new()
`$r = `$c.GetAsync(`$s.Url + '/healthz').GetAwaiter().GetResult()
`$first = `$w.Elapsed.TotalSeconds
if ([int]`$r.StatusCode -ne 200) { throw "healthz answered `$([int]`$r.StatusCode)" }
`$w.Restart(); for (`$i = 0; `$i -lt 20; `$i++) { `$null = `$c.GetAsync(`$s.Url + '/healthz').GetAwaiter().GetResult() }; `$warm = `$w.Elapsed.TotalSeconds / 20
Stop-ChamiServer -Server `$s -Confirm:`$false
"`$first `$warm" | Set-Content (Join-Path '$work' "serve-`$PID.txt")
0
"@
    $serveRuns = @(); $warmRuns = @()
    for ($i = 0; $i -lt $Runs; $i++) {
        Get-ChildItem $work -Filter 'serve-*.txt' | Remove-Item
        [void](Invoke-ChildSeconds $serveScript)
        $first, $warm = (Get-Content (Get-ChildItem $work -Filter 'serve-*.txt' | Select-Object -First 1).FullName) -split ' '
        $serveRuns += [double]$first; $warmRuns += [double]$warm
    }

    # ---- fresh clone to serving (the README's run command)
    $cloneSeconds = $null; $cloneNote = 'skipped (-SkipClone)'
    if (-not $SkipClone) {
        $cloneDir = Join-Path $work 'clone'
        $port = & { $l = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0); $l.Start(); $l.LocalEndpoint.Port; $l.Stop() }
        $watch = [Diagnostics.Stopwatch]::StartNew()
        & git clone --quiet $root $cloneDir
        if ($LASTEXITCODE -ne 0) { throw 'git clone failed' }
        $info = [Diagnostics.ProcessStartInfo]::new('/bin/sh')
        foreach ($a in '-c', "cd '$cloneDir' && dotnet tool restore && exec dotnet pwsh ./build.ps1 -Serve -Port $port") { $info.ArgumentList.Add($a) }
        $info.UseShellExecute = $false
        $info.RedirectStandardOutput = $true; $info.RedirectStandardError = $true
        $info.Environment['OPENCHAMI_DB'] = Join-Path $work 'clone.db'
        # No long-lived build servers left behind by the clone's build (we kill what we start, nothing else).
        $info.Environment['MSBUILDDISABLENODEREUSE'] = '1'
        $info.Environment['DOTNET_CLI_USE_MSBUILD_SERVER'] = '0'
        $info.Environment['UseSharedCompilation'] = 'false'
        $clone = [Diagnostics.Process]::Start($info)
        $logTask = $clone.StandardOutput.ReadToEndAsync(); $errTask = $clone.StandardError.ReadToEndAsync()
        if (Wait-Healthz "http://127.0.0.1:$port/healthz" ([DateTime]::UtcNow.AddSeconds($CloneTimeoutSec)) $clone) {
            $cloneSeconds = $watch.Elapsed.TotalSeconds; $cloneNote = 'git clone + dotnet tool restore + build.ps1 -Serve until /healthz'
        }
        else { $cloneNote = "did not serve within $CloneTimeoutSec s" }
    }

    $result = [pscustomobject]@{
        Runs                        = $Runs
        EmptyPwshSeconds            = [math]::Round((Get-Median $emptyRuns), 2)
        PwshWithImportSeconds       = [math]::Round((Get-Median $importRuns), 2)
        ImportModuleSeconds         = [math]::Round((Get-Median $inProcessImport), 3)
        ServerFirstRequestSeconds   = [math]::Round((Get-Median $serveRuns), 3)
        WarmHealthzMs               = [math]::Round((Get-Median $warmRuns) * 1000, 2)
        CloneToServingSeconds       = if ($null -ne $cloneSeconds) { [math]::Round($cloneSeconds, 1) } else { $null }
        CloneToServing              = $cloneNote
    }
    $result | Format-List | Out-String | Write-Host
    $result
}
finally {
    if ($clone) {
        if (-not $clone.HasExited) { $clone.Kill($true); [void]$clone.WaitForExit(10000) }
        $clone.Dispose()
    }
    Remove-Item $work -Recurse -Force -ErrorAction SilentlyContinue
}
