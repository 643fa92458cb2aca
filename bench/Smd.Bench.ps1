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

    -ConnectionString runs it on a PostgreSQL database created for the run (and dropped after); -Servers 2 adds a
    second Start-ChamiServer in its own pwsh on that database and sends every other request to it.
.EXAMPLE
    dotnet pwsh bench/Smd.Bench.ps1 -Nodes 10000 -Requests 200
.EXAMPLE
    dotnet pwsh bench/Smd.Bench.ps1 -Nodes 1000 -ConnectionString 'Host=127.0.0.1;Port=5433;Username=chami;Database=postgres' -Servers 2
#>
[CmdletBinding()]
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../out/OpenChami/OpenChami.psd1'),
    [ValidateRange(1, 200000)] [int] $Nodes = 10000,
    [ValidateRange(10, 10000)] [int] $Requests = 200,
    [ValidateRange(0, 1000)] [int] $Warmup = 20,
    # Use an in-memory store instead of a LiteDB file in shared mode.
    [switch] $InMemory,
    # A PostgreSQL server (login with CREATEDB; password from PGPASSWORD or ~/.pgpass) instead of a LiteDB file.
    [string] $ConnectionString,
    # Servers on the PostgreSQL database; with 2, requests alternate between them.
    [ValidateRange(1, 2)] [int] $Servers = 1
)
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath -Force

function Measure-Get {
    # Sequential GETs on one keep-alive connection per server (alternating when there are two); every body is read fully.
    param([System.Net.Http.HttpClient[]] $Clients, [string] $Path, [int] $Count, [int] $WarmupCount, [int] $ExpectedStatus)
    for ($i = 0; $i -lt $WarmupCount * $Clients.Count; $i++) { $null = $Clients[$i % $Clients.Count].GetAsync($Path).GetAwaiter().GetResult().Content.ReadAsByteArrayAsync().GetAwaiter().GetResult() }
    $times = [double[]]::new($Count)
    $bytes = 0
    $watch = [System.Diagnostics.Stopwatch]::new()
    for ($i = 0; $i -lt $Count; $i++) {
        $watch.Restart()
        $response = $Clients[$i % $Clients.Count].GetAsync($Path).GetAwaiter().GetResult()
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
$secondServer = $null
$secondClient = $null
$database = $null
if ($Servers -gt 1 -and -not $ConnectionString) { throw '-Servers 2 needs -ConnectionString: two servers share one PostgreSQL database' }
$keys = Join-Path ([IO.Path]::GetTempPath()) "openchami-bench-keys-$PID"
New-Item -ItemType Directory -Path $keys -Force | Out-Null
try {
    if ($ConnectionString) {
        . (Join-Path $PSScriptRoot 'BenchPostgres.ps1')
        $database = New-BenchPostgresDatabase $ConnectionString 'smd'
        Connect-ChamiDatabase -ConnectionString $database -KeyDirectory $keys | Out-Null
    }
    elseif ($InMemory) { Connect-ChamiDatabase -InMemory | Out-Null }
    else { Connect-ChamiDatabase -Path $dbPath | Out-Null }
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
    $clients = @($client)
    if ($Servers -gt 1) {
        # The second server: its own pwsh on the same database and keys.
        $second = Start-BenchSecondServer -ModulePath $ModulePath -ConnectionString $database -KeyDirectory $keys -UrlFile (Join-Path $keys 'second-server.url')
        $secondServer = $second.Process
        $secondClient = [System.Net.Http.HttpClient]::new()
        $secondClient.BaseAddress = [Uri] $second.Url
        $secondClient.Timeout = [TimeSpan]::FromSeconds(60)
        $clients += $secondClient
    }

    $reference = Measure-Get $clients '/hsm/v2/service/liveness' $Requests $Warmup 204
    $typeNode = Measure-Get $clients '/hsm/v2/State/Components?type=Node' $Requests $Warmup 200
    $one = Measure-Get $clients '/hsm/v2/State/Components?type=Node&nid=5000' $Requests $Warmup 200

    $store = if ($ConnectionString) { "PostgreSQL, $Servers server$(if ($Servers -gt 1) { 's (2 processes)' })" } elseif ($InMemory) { 'in-memory' } else { 'LiteDB file (shared mode)' }
    Write-Host ("SMD bench: {0} nodes + {1} BMCs, {2}, {3} sequential requests after {4} warm-up, loopback" -f $Nodes, [math]::Ceiling($Nodes / 4), $store, $Requests, $Warmup)
    Write-Host ("seed POST /State/Components ({0} components, {1:N1} MB): {2:N0} ms" -f $components.Count, ($json.Length / 1MB), $seed.Elapsed.TotalMilliseconds)
    $reference, $typeNode, $one | Format-Table -AutoSize | Out-Host
    Write-Host ("GET ?type=Node p50 = {0:N1}x the liveness reference" -f ($typeNode.P50ms / [math]::Max($reference.P50ms, 0.001)))
    [pscustomobject]@{ Nodes = $Nodes; Store = $store; Servers = $Servers; SeedMs = [math]::Round($seed.Elapsed.TotalMilliseconds); Reference = $reference; TypeNode = $typeNode; OneNid = $one }
}
finally {
    if ($client) { $client.Dispose() }
    if ($secondClient) { $secondClient.Dispose() }
    if ($secondServer -and -not $secondServer.HasExited) { $secondServer.Kill($true); $secondServer.WaitForExit(10000) | Out-Null }
    if ($server) { Stop-ChamiServer -Server $server -Confirm:$false }
    Disconnect-ChamiDatabase -ErrorAction SilentlyContinue | Out-Null
    if ($database) { Remove-BenchPostgresDatabase $ConnectionString $database }
    Remove-Item $keys -Recurse -Force -ErrorAction SilentlyContinue
    Remove-Item $dbPath, "$dbPath-log" -Force -ErrorAction SilentlyContinue
}
