#!/usr/bin/env pwsh
<#
.SYNOPSIS
    Benchmark: GET /hsm/v2/State/Components?type=Node over a 10,000-node inventory (SMD's hottest read:
    BSS, PCS and ochami list nodes this way).

.DESCRIPTION
    Seeds a database (a temp file by default, as a real server runs) with -Nodes Node components and one
    NodeBMC per 4 nodes through POST /State/Components, starts the server on 127.0.0.1 with a free port,
    then runs a bounded, sequential client loop and reports p50/p99/mean latency and body size.
    The reference measured in the same run is GET /hsm/v2/service/liveness (204, no store access): the
    ratio shows what the query + serialization costs on top of Kestrel's own request overhead.
    Not part of the test run: ./build.ps1 -Bench, or run this script directly after ./build.ps1.

.EXAMPLE
    dotnet pwsh bench/Smd.Bench.ps1 -Nodes 10000 -Requests 200
#>
[CmdletBinding()]
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../out/OpenChami/OpenChami.psd1'),
    [ValidateRange(1, 200000)] [int] $Nodes = 10000,
    [ValidateRange(10, 10000)] [int] $Requests = 200,
    [ValidateRange(0, 1000)] [int] $Warmup = 20,
    # Use an in-memory store instead of a LiteDB file in shared mode.
    [switch] $InMemory
)
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath -Force

function Measure-Get {
    # Sequential GETs on one keep-alive connection; every response body is read fully.
    param([System.Net.Http.HttpClient] $Client, [string] $Path, [int] $Count, [int] $WarmupCount, [int] $ExpectedStatus)
    for ($i = 0; $i -lt $WarmupCount; $i++) { $null = $Client.GetAsync($Path).GetAwaiter().GetResult().Content.ReadAsByteArrayAsync().GetAwaiter().GetResult() }
    $times = [double[]]::new($Count)
    $bytes = 0
    $watch = [System.Diagnostics.Stopwatch]::new()
    for ($i = 0; $i -lt $Count; $i++) {
        $watch.Restart()
        $response = $Client.GetAsync($Path).GetAwaiter().GetResult()
        $body = $response.Content.ReadAsByteArrayAsync().GetAwaiter().GetResult()
        $watch.Stop()
        if ([int] $response.StatusCode -ne $ExpectedStatus) { throw "GET $Path answered $([int] $response.StatusCode)" }
        $times[$i] = $watch.Elapsed.TotalMilliseconds
        $bytes = $body.Length
    }
    [Array]::Sort($times)
    [pscustomobject]@{
        Path  = $Path
        N     = $Count
        P50ms = [math]::Round($times[[int][math]::Floor(($Count - 1) * 0.50)], 2)
        P99ms = [math]::Round($times[[int][math]::Floor(($Count - 1) * 0.99)], 2)
        Mean  = [math]::Round(($times | Measure-Object -Average).Average, 2)
        Bytes = $bytes
    }
}

$dbPath = Join-Path ([IO.Path]::GetTempPath()) "openchami-bench-$PID.db"
$server = $null
$client = $null
try {
    if ($InMemory) { Connect-ChamiDatabase -InMemory | Out-Null } else { Connect-ChamiDatabase -Path $dbPath | Out-Null }
    $server = Start-ChamiServer -Port 0
    $client = [System.Net.Http.HttpClient]::new()
    $client.BaseAddress = [Uri] $server.Url
    $client.Timeout = [TimeSpan]::FromSeconds(60)

    # Seed: Nodes x1000c0s<slot>b<bmc>n<node>, 4 nodes per BMC, plus the BMCs, in one bulk POST.
    $components = [System.Collections.Generic.List[object]]::new()
    for ($i = 0; $i -lt $Nodes; $i++) {
        $bmc = [math]::Floor($i / 4)
        $cabinet = 1000 + [math]::Floor($bmc / 512)
        $slot = $bmc % 512
        $components.Add(@{ ID = "x${cabinet}c0s${slot}b0n$($i % 4)"; State = 'Ready'; Role = 'Compute'; NID = $i + 1; Arch = 'X86' })
        if ($i % 4 -eq 0) { $components.Add(@{ ID = "x${cabinet}c0s${slot}b0"; State = 'Ready' }) }
    }
    $json = @{ Components = $components } | ConvertTo-Json -Depth 4 -Compress
    $seed = [System.Diagnostics.Stopwatch]::StartNew()
    $content = [System.Net.Http.StringContent]::new($json, [Text.Encoding]::UTF8, 'application/json')
    $posted = $client.PostAsync('/hsm/v2/State/Components', $content).GetAwaiter().GetResult()
    $seed.Stop()
    if ([int] $posted.StatusCode -ne 204) { throw "seeding answered $([int] $posted.StatusCode): $($posted.Content.ReadAsStringAsync().GetAwaiter().GetResult())" }

    $reference = Measure-Get $client '/hsm/v2/service/liveness' $Requests $Warmup 204
    $typeNode = Measure-Get $client '/hsm/v2/State/Components?type=Node' $Requests $Warmup 200
    $one = Measure-Get $client '/hsm/v2/State/Components?type=Node&nid=5000' $Requests $Warmup 200

    $store = if ($InMemory) { 'in-memory' } else { 'LiteDB file (shared mode)' }
    Write-Host ("SMD bench: {0} nodes + {1} BMCs, {2}, {3} sequential requests after {4} warm-up, loopback" -f $Nodes, [math]::Ceiling($Nodes / 4), $store, $Requests, $Warmup)
    Write-Host ("seed POST /State/Components ({0} components, {1:N1} MB): {2:N0} ms" -f $components.Count, ($json.Length / 1MB), $seed.Elapsed.TotalMilliseconds)
    $reference, $typeNode, $one | Format-Table -AutoSize | Out-Host
    Write-Host ("GET ?type=Node p50 = {0:N1}x the liveness reference" -f ($typeNode.P50ms / [math]::Max($reference.P50ms, 0.001)))
    [pscustomobject]@{ Nodes = $Nodes; SeedMs = [math]::Round($seed.Elapsed.TotalMilliseconds); Reference = $reference; TypeNode = $typeNode; OneNid = $one }
}
finally {
    if ($client) { $client.Dispose() }
    if ($server) { Stop-ChamiServer -Server $server -Confirm:$false }
    Disconnect-ChamiDatabase -ErrorAction SilentlyContinue | Out-Null
    Remove-Item $dbPath, "$dbPath-log" -Force -ErrorAction SilentlyContinue
}
