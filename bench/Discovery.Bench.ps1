#!/usr/bin/env pwsh
<#
.SYNOPSIS
    Discovery benchmarks: 256 simulated BMCs discovered end to end (first run and idempotent re-run), and a scan of
    a /22 on loopback where nothing listens. Prints wall times and writes bench/results/discovery.json.
.EXAMPLE
    dotnet pwsh ./build.ps1            # builds the module and the Redfish fixture
    dotnet pwsh bench/Discovery.Bench.ps1 -ModulePath out/OpenChami/OpenChami.psd1
#>
[CmdletBinding()]
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../out/OpenChami/OpenChami.psd1'),
    [int] $Count = 256,
    [string] $Mockup = 'EX425',
    [string] $MockupsRoot = '/work/shared/redfish-mockups',
    [int] $ThrottleLimit = 64,
    [string] $SilentSubnet = '127.1.0.0/22'
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'
Import-Module (Resolve-Path $ModulePath).Path -Force
$root = Resolve-Path (Join-Path $PSScriptRoot '..')
$fixtureDll = Join-Path $root 'tests/OpenChami.RedfishFixture/bin/Release/net10.0/OpenChami.RedfishFixture.dll'
if (-not (Test-Path $fixtureDll)) { throw "Build first (dotnet pwsh ./build.ps1): $fixtureDll is missing" }
$temp = Join-Path ([IO.Path]::GetTempPath()) ("chami-bench-" + [guid]::NewGuid())
New-Item -ItemType Directory -Path $temp | Out-Null
$portsFile = Join-Path $temp 'ports.json'
$cred = [pscredential]::new('admin', (ConvertTo-SecureString 'password' -AsPlainText -Force))

$info = [System.Diagnostics.ProcessStartInfo]::new([Environment]::ProcessPath)
foreach ($a in @($fixtureDll, '--mockup', (Join-Path $MockupsRoot $Mockup), '--count', "$Count", '--ports-file', $portsFile)) { $info.ArgumentList.Add($a) }
$info.RedirectStandardInput = $true
$info.UseShellExecute = $false
$fixture = [System.Diagnostics.Process]::Start($info)
try {
    $deadline = [DateTime]::UtcNow.AddSeconds(120)
    while (-not (Test-Path $portsFile)) {
        if ($fixture.HasExited) { throw 'fixture exited' }
        if ([DateTime]::UtcNow -gt $deadline) { throw 'fixture did not start within 120 s' }
        Start-Sleep -Milliseconds 100
    }
    $addresses = @(Get-Content $portsFile -Raw | ConvertFrom-Json | ForEach-Object { "$($_.Address):$($_.Port)" })
    Connect-ChamiDatabase -Path (Join-Path $temp 'bench.db') | Out-Null

    $first = $null; $second = $null; $scan = $null; $silent = $null
    $t1 = Measure-Command { $script:first = Invoke-ChamiDiscovery -Address $addresses -Scheme http -Credential $cred -ThrottleLimit $ThrottleLimit -Summary -ProgressAction SilentlyContinue }
    $t2 = Measure-Command { $script:second = Invoke-ChamiDiscovery -Address $addresses -Scheme http -Credential $cred -ThrottleLimit $ThrottleLimit -Summary -ProgressAction SilentlyContinue }
    $t3 = Measure-Command { $script:scan = @(Find-ChamiBmc -Address $addresses -Scheme http -ThrottleLimit $ThrottleLimit -ProgressAction SilentlyContinue) }
    $t4 = Measure-Command { $script:silent = Invoke-ChamiDiscovery -Subnet $SilentSubnet -Scheme http -Credential $cred -TimeoutSec 2 -Summary -ProgressAction SilentlyContinue }
    $nodes = @(Get-ChamiNode).Count

    $report = [ordered]@{
        Date                     = (Get-Date).ToString('o')
        Processors               = [Environment]::ProcessorCount
        Bmcs                     = $Count
        Mockup                   = $Mockup
        ThrottleLimit            = $ThrottleLimit
        FirstRunSeconds          = [math]::Round($t1.TotalSeconds, 2)
        FirstRun                 = "$first"
        NodesStored              = $nodes
        RerunSeconds             = [math]::Round($t2.TotalSeconds, 2)
        Rerun                    = "$second"
        ScanOnlySeconds          = [math]::Round($t3.TotalSeconds, 2)
        ScanFound                = $scan.Count
        SilentSubnet             = $SilentSubnet
        SilentSubnetTargets      = $silent.Targets
        SilentSubnetSeconds      = [math]::Round($t4.TotalSeconds, 2)
        SilentSubnetConnectTimeoutSeconds = 2
    }
    $out = Join-Path $root 'bench/results'
    New-Item -ItemType Directory -Path $out -Force | Out-Null
    $report | ConvertTo-Json | Set-Content (Join-Path $out 'discovery.json')
    [pscustomobject] $report | Format-List | Out-Host
    if ($first.Added -ne $Count -or $second.Unchanged -ne $Count -or $scan.Count -ne $Count) {
        throw "bench results are wrong: $first / $second / scan found $($scan.Count)"
    }
    [pscustomobject] $report
}
finally {
    try { $fixture.StandardInput.Close() } catch { }
    if (-not $fixture.WaitForExit(10000)) { $fixture.Kill($true) }
    $fixture.Dispose()
    Disconnect-ChamiDatabase -ErrorAction SilentlyContinue | Out-Null
    Remove-Item $temp -Recurse -Force -ErrorAction SilentlyContinue
}
