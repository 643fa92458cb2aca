<#
.SYNOPSIS
    Growth: the PER-ITEM cost of every bulk and per-item path (cmdlets and HTTP) against an inventory of N nodes,
    on a fresh database FILE. Invoke-Benchmark.ps1 -Only growth runs it at 1k, 10k (and 100k with -Scale Full), then
    1k again as the noise reference, and prints ms per item at each size with the ratio per 10x.

.DESCRIPTION
    N nodes come from Import-ChamiInventory of an ochami nodes.yaml (bench/BenchInventory.ps1: 2 NICs per node,
    groups compute (all N) and rack<cabinet> (128 each)); that import, a no-change re-import, Export-ChamiInventory,
    listing the compute group and `Get-ChamiNode -Group compute | Set-ChamiBootParams` are the bulk paths (time / N).
    Then Start-ChamiServer (127.0.0.1, port 0) on the same file, and every per-item path runs -Sample times (after
    -Warmup unmeasured runs on other items): the cost of ONE operation at size N, so 100k does not need 100k single
    calls. Each operation addresses a different node (random, fixed seed) and reads nothing a previous one warmed
    (cloud-init and boot documents are fetched once per node: first fetch, not the remembered answer, except the
    paths marked "again"). Nodes created by the bench are removed by it, so N stays N.
    Every loop is bounded by its count and by -PathSeconds; only loopback traffic. PCS is not measured here: its
    per-node work is the BMC's (Discovery.Bench.ps1 runs the fixture).
.EXAMPLE
    dotnet pwsh bench/Growth.Bench.ps1 -Nodes 10000 -Sample 300
#>
[CmdletBinding()]
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../out/OpenChami/OpenChami.psd1'),
    [ValidateRange(100, 200000)] [int] $Nodes = 1000,
    # Measured operations per per-item path, and unmeasured ones before them (JIT, first-use costs).
    [ValidateRange(10, 5000)] [int] $Sample = 300,
    [ValidateRange(0, 500)] [int] $Warmup = 20,
    # Time limit of each per-item path (its loop stops at the count or at this, whichever comes first).
    [ValidateRange(1, 600)] [int] $PathSeconds = 30
)
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'
$ConfirmPreference = 'None'
. (Join-Path $PSScriptRoot 'BenchInventory.ps1')
Import-Module $ModulePath -Force

$work = Join-Path ([IO.Path]::GetTempPath()) "openchami-bench-growth-$PID"
New-Item -ItemType Directory -Path $work -Force | Out-Null
$server = $null
$http = $null
$results = [Collections.Generic.List[object]]::new()

# CPU time of this process (cmdlets, server and database all run in it): on a shared machine the wall time of an
# operation moves with the load of others, its CPU time much less, so the growth table compares both.
function Get-CpuSeconds { [Diagnostics.Process]::GetCurrentProcess().TotalProcessorTime.TotalSeconds }

function Add-Result([string] $Path, [string] $Kind, [int] $Count, [double] $Seconds, [double] $CpuSeconds) {
    $per = [math]::Max(1, $Count)
    $results.Add([pscustomobject]@{
            Path = $Path; Kind = $Kind; Count = $Count; Seconds = [math]::Round($Seconds, 3); MsPerItem = [math]::Round($Seconds * 1000 / $per, 4)
            CpuSeconds = [math]::Round($CpuSeconds, 3); CpuMsPerItem = [math]::Round($CpuSeconds * 1000 / $per, 4)
        })
    Write-Host ("  {0,-58} {1,6} x {2,10:N3} ms  cpu {3,10:N3} ms" -f $Path, $Count, ($Seconds * 1000 / $per), ($CpuSeconds * 1000 / $per))
}

function Measure-Bulk([string] $Path, [int] $Count, [scriptblock] $Operation) {
    $cpu = Get-CpuSeconds
    $watch = [Diagnostics.Stopwatch]::StartNew()
    & $Operation
    Add-Result $Path 'bulk' $Count $watch.Elapsed.TotalSeconds ((Get-CpuSeconds) - $cpu)
}

try {
    # ------------------------------------------------------------ bulk paths (time / N)
    $db = Join-Path $work 'growth.db'
    $yaml = Join-Path $work 'nodes.yaml'
    New-NodesYaml -Count $Nodes -Path $yaml
    Connect-ChamiDatabase -Path $db | Out-Null
    Write-Host "growth: $Nodes nodes, database file $db; per item:"
    Measure-Bulk 'Import-ChamiInventory (full)' $Nodes { Import-ChamiInventory -Path $yaml | Out-Null }
    Measure-Bulk 'Import-ChamiInventory (no-change re-import)' $Nodes {
        $changed = @(Import-ChamiInventory -Path $yaml | Where-Object Action -NE 'Unchanged').Count
        if ($changed) { throw "re-import changed $changed objects" }
    }
    Measure-Bulk 'Export-ChamiInventory' $Nodes { Export-ChamiInventory -Path (Join-Path $work 'export.json') | Out-Null }
    Measure-Bulk 'Get-ChamiNode -Group compute (listing)' $Nodes {
        $listed = (Get-ChamiNode -Group compute | Measure-Object).Count
        if ($listed -ne $Nodes) { throw "listed $listed of $Nodes nodes" }
    }
    Measure-Bulk 'Get-ChamiNode -Group compute | Set-ChamiBootParams (all)' $Nodes {
        Get-ChamiNode -Group compute | Set-ChamiBootParams -Kernel 'http://10.0.0.1/vmlinuz' -Initrd 'http://10.0.0.1/initrd.img' -Params 'console=ttyS0' | Out-Null
    }

    $services = [OpenChami.PowerShell.Infrastructure.ChamiSession]::Current
    [void]$services.CloudInit.ReplaceDefaults([OpenChami.Core.CloudInit.ClusterDefaults]@{ ClusterName = 'bench'; ShortName = 'nid'; NidLength = 6; PublicKeys = [Collections.Generic.List[string]]@('ssh-ed25519 AAAAbench root@head') })
    $group = [OpenChami.Core.CloudInit.CloudInitGroup]::new()
    $group.Name = 'compute'; $group.MetaData = [System.Text.Json.Nodes.JsonNode]::Parse('{"syslog":"10.0.0.254"}').AsObject()
    $group.File = [OpenChami.Core.CloudInit.CloudInitFile]@{ Content = "#cloud-config`nruncmd:`n- echo hello`n" }
    [void]$services.CloudInit.CreateGroup($group)

    $server = Start-ChamiServer -Port 0
    $http = [Net.Http.HttpClient]::new()
    $http.BaseAddress = [Uri]$server.Url
    $http.Timeout = [TimeSpan]::FromSeconds(60)

    # ------------------------------------------------------------ per-item paths
    # Existing nodes: distinct random indices, two disjoint sets (HTTP and cmdlets read different nodes, so neither
    # finds what the other warmed). Indices 0..Warmup-1 of every set are the unmeasured warm-up.
    $per = $Warmup + $Sample
    if (2 * $per -gt $Nodes) { $Sample = [math]::Max(1, [math]::Floor($Nodes / 2) - $Warmup); $per = $Warmup + $Sample }
    $random = [Random]::new(42)
    $chosen = [Collections.Generic.HashSet[int]]::new()
    while ($chosen.Count -lt 2 * $per) { [void]$chosen.Add($random.Next($Nodes)) }
    $order = [int[]]@($chosen)
    $httpNode = $order[0..($per - 1)]
    $cmdNode = $order[$per..(2 * $per - 1)]
    $x = { param([int] $n) Get-BenchNodeXname $n }
    # New objects: cabinets 3000+ (kind k) far from the imported ones (1000..2562 at 100k nodes).
    $newX = { param([int] $k, [int] $i) "x$(3000 + 100 * $k + [math]::Floor($i / 64))c0s$($i % 64)b0n0" }
    $newMac = { param([int] $k, [int] $i) '0a:00:{0:x2}:00:{1:x2}:{2:x2}' -f $k, (($i -shr 8) -band 255), ($i -band 255) }
    $seed = @{}
    foreach ($n in $httpNode) {
        $path = ([Uri]$services.CloudInitSeeds.SeedUrlFor((& $x $n), $server.Url)).PathAndQuery
        $seed[$n] = $path.TrimEnd('/')
    }
    $boot = @{ Kernel = 'http://10.0.0.2/vmlinuz'; Params = 'console=ttyS1' }
    $paths = [ordered]@{
        # cmdlets
        'New-ChamiNode'                          = { param($i) New-ChamiNode -Xname (& $newX 1 $i) -Nid (1000000 + $i) -MacAddress (& $newMac 1 $i) -IPAddress "100.1.$($i -shr 8).$($i -band 255)" | Out-Null }
        'New-ChamiNode -Group compute'           = { param($i) New-ChamiNode -Xname (& $newX 2 $i) -Nid (2000000 + $i) -MacAddress (& $newMac 2 $i) -Group compute | Out-Null }
        'Set-ChamiNode'                          = { param($i) Set-ChamiNode -Xname (& $x $cmdNode[$i]) -SubRole Worker | Out-Null }
        'Get-ChamiNode -Xname'                   = { param($i) if (-not (Get-ChamiNode -Xname (& $x $cmdNode[$i]))) { throw 'not found' } }
        'Get-ChamiNode -Nid'                     = { param($i) if (-not (Get-ChamiNode -Nid ($cmdNode[$i] + 1))) { throw 'not found' } }
        'Get-ChamiNode -MacAddress'              = { param($i) if (-not (Get-ChamiNode -MacAddress (Get-BenchNodeMac $cmdNode[$i]))) { throw 'not found' } }
        'Get-ChamiNode -Group rack<n> (128 nodes)' = { param($i) if (-not (Get-ChamiNode -Group (Get-BenchNodeRack $cmdNode[$i]))) { throw 'not found' } }
        'Add-ChamiGroupMember compute'           = { param($i) Add-ChamiGroupMember -Name compute -Xname (& $newX 1 $i) | Out-Null }
        'Remove-ChamiGroupMember compute'        = { param($i) Remove-ChamiGroupMember -Name compute -Xname (& $newX 1 $i) | Out-Null }
        'Set-ChamiBootParams -Xname (one node)'  = { param($i) Set-ChamiBootParams -Xname (& $x $cmdNode[$i]) @boot | Out-Null }
        'Get-ChamiBootScript -Xname'             = { param($i) Get-ChamiBootScript -Xname (& $x $cmdNode[$i]) | Out-Null }
        'Get-ChamiCloudInitData -Kind MetaData'  = { param($i) Get-ChamiCloudInitData -Xname (& $x $cmdNode[$i]) -Kind MetaData | Out-Null }
        'Get-ChamiCloudInitData -Kind VendorData' = { param($i) Get-ChamiCloudInitData -Xname (& $x $cmdNode[$i]) -Kind VendorData | Out-Null }
        'New-ChamiEthernetInterface'             = { param($i) New-ChamiEthernetInterface -MacAddress (& $newMac 3 $i) -Xname (& $x $cmdNode[$i]) -IPAddress "100.3.$($i -shr 8).$($i -band 255)" | Out-Null }
        'Remove-ChamiEthernetInterface'          = { param($i) Remove-ChamiEthernetInterface -MacAddress (& $newMac 3 $i) | Out-Null }
        'Remove-ChamiNode'                       = { param($i) Remove-ChamiNode -Xname (& $newX 1 $i) | Out-Null }
        'Remove-ChamiNode (member of compute)'   = { param($i) Remove-ChamiNode -Xname (& $newX 2 $i) | Out-Null }
        # HTTP: SMD
        'GET /hsm/v2/State/Components/{xname}'   = { param($i) Invoke-Http GET "/hsm/v2/State/Components/$(& $x $httpNode[$i])" $null 200 }
        'GET /hsm/v2/State/Components?nid='      = { param($i) Invoke-Http GET "/hsm/v2/State/Components?type=Node&nid=$($httpNode[$i] + 1)" $null 200 }
        'POST /hsm/v2/State/Components (one)'    = { param($i) Invoke-Http POST '/hsm/v2/State/Components' "{`"Components`":[{`"ID`":`"$(& $newX 4 $i)`",`"State`":`"Ready`",`"Role`":`"Compute`",`"NID`":$(4000000 + $i)}]}" 204 }
        'PATCH /hsm/v2/State/Components/{xname}/StateData' = { param($i) Invoke-Http PATCH "/hsm/v2/State/Components/$(& $x $httpNode[$i])/StateData" '{"State":"Ready"}' 204 }
        'POST /hsm/v2/Inventory/EthernetInterfaces' = { param($i) Invoke-Http POST '/hsm/v2/Inventory/EthernetInterfaces' "{`"MACAddress`":`"$(& $newMac 5 $i)`",`"ComponentID`":`"$(& $x $httpNode[$i])`",`"IPAddresses`":[{`"IPAddress`":`"100.5.$($i -shr 8).$($i -band 255)`"}]}" 201 }
        'GET /hsm/v2/Inventory/EthernetInterfaces/{id}' = { param($i) Invoke-Http GET "/hsm/v2/Inventory/EthernetInterfaces/$((& $newMac 5 $i) -replace ':')" $null 200 }
        'GET /hsm/v2/Inventory/EthernetInterfaces?ComponentID=' = { param($i) Invoke-Http GET "/hsm/v2/Inventory/EthernetInterfaces?ComponentID=$(& $x $httpNode[$i])" $null 200 }
        'DELETE /hsm/v2/Inventory/EthernetInterfaces/{id}' = { param($i) Invoke-Http DELETE "/hsm/v2/Inventory/EthernetInterfaces/$((& $newMac 5 $i) -replace ':')" $null 200 }
        'POST /hsm/v2/groups/compute/members'    = { param($i) Invoke-Http POST '/hsm/v2/groups/compute/members' "{`"id`":`"$(& $newX 4 $i)`"}" 201 }
        'GET /hsm/v2/memberships/{xname}'        = { param($i) Invoke-Http GET "/hsm/v2/memberships/$(& $x $httpNode[$i])" $null 200 }
        'DELETE /hsm/v2/groups/compute/members/{xname}' = { param($i) Invoke-Http DELETE "/hsm/v2/groups/compute/members/$(& $newX 4 $i)" $null 200 }
        'DELETE /hsm/v2/State/Components/{xname}' = { param($i) Invoke-Http DELETE "/hsm/v2/State/Components/$(& $newX 4 $i)" $null 200 }
        # HTTP: BSS and cloud-init (first fetch of each node's document, then the same again)
        'GET /boot/v1/bootscript?mac='           = { param($i) Invoke-Http GET "/boot/v1/bootscript?mac=$(Get-BenchNodeMac $httpNode[$i])" $null 200 }
        'GET /boot/v1/bootscript?mac= (again)'   = { param($i) Invoke-Http GET "/boot/v1/bootscript?mac=$(Get-BenchNodeMac $httpNode[$i])" $null 200 }
        'GET /cloud-init/n/{token}/meta-data'    = { param($i) Invoke-Http GET "$($seed[$httpNode[$i]])/meta-data" $null 200 }
        'GET /cloud-init/n/{token}/meta-data (again)' = { param($i) Invoke-Http GET "$($seed[$httpNode[$i]])/meta-data" $null 200 }
        'GET /cloud-init/n/{token}/user-data'    = { param($i) Invoke-Http GET "$($seed[$httpNode[$i]])/user-data" $null 200 }
        'GET /cloud-init/n/{token}/vendor-data'  = { param($i) Invoke-Http GET "$($seed[$httpNode[$i]])/vendor-data" $null 200 }
        'GET /cloud-init/n/{token}/vendor-data (again)' = { param($i) Invoke-Http GET "$($seed[$httpNode[$i]])/vendor-data" $null 200 }
        'PUT /boot/v1/bootparameters (one host)' = { param($i) Invoke-Http PUT '/boot/v1/bootparameters' "{`"hosts`":[`"$(& $x $httpNode[$i])`"],`"kernel`":`"http://10.0.0.3/vmlinuz`",`"params`":`"console=ttyS2`"}" 200 }
        'GET /boot/v1/bootparameters?name='      = { param($i) Invoke-Http GET "/boot/v1/bootparameters?name=$(& $x $httpNode[$i])" $null 200 }
    }
    # A path that removes what another path created runs as many times as that one did.
    $undoes = @{
        'Add-ChamiGroupMember compute' = 'New-ChamiNode'; 'Remove-ChamiGroupMember compute' = 'Add-ChamiGroupMember compute'
        'Remove-ChamiNode' = 'New-ChamiNode'; 'Remove-ChamiNode (member of compute)' = 'New-ChamiNode -Group compute'
        'Remove-ChamiEthernetInterface' = 'New-ChamiEthernetInterface'
        'GET /hsm/v2/Inventory/EthernetInterfaces/{id}' = 'POST /hsm/v2/Inventory/EthernetInterfaces'
        'DELETE /hsm/v2/Inventory/EthernetInterfaces/{id}' = 'POST /hsm/v2/Inventory/EthernetInterfaces'
        'POST /hsm/v2/groups/compute/members' = 'POST /hsm/v2/State/Components (one)'
        'DELETE /hsm/v2/groups/compute/members/{xname}' = 'POST /hsm/v2/groups/compute/members'
        'DELETE /hsm/v2/State/Components/{xname}' = 'POST /hsm/v2/State/Components (one)'
    }
    foreach ($phase in 'warmup', 'measure') {
        $from = if ($phase -eq 'warmup') { 0 } else { $Warmup }
        $count = if ($phase -eq 'warmup') { $Warmup } else { $Sample }
        $done = @{}
        foreach ($name in $paths.Keys) {
            $limit = if ($undoes.ContainsKey($name)) { $done[$undoes[$name]] } else { $count }
            $op = $paths[$name]
            $cpu = Get-CpuSeconds
            $watch = [Diagnostics.Stopwatch]::StartNew()
            $n = 0
            while ($n -lt $limit -and $watch.Elapsed.TotalSeconds -lt $PathSeconds) {
                & $op ($from + $n)
                $n++
            }
            $seconds = $watch.Elapsed.TotalSeconds
            $cpuSeconds = (Get-CpuSeconds) - $cpu
            $done[$name] = $n
            if ($phase -eq 'measure') { Add-Result $name $(if ($name -match '^(GET|POST|PUT|PATCH|DELETE) ') { 'http' } else { 'cmdlet' }) $n $seconds $cpuSeconds }
        }
    }
    $self = [Diagnostics.Process]::GetCurrentProcess()
    $self.Refresh()
    [pscustomobject]@{
        Nodes = $Nodes; Sample = $Sample; Warmup = $Warmup; PathSeconds = $PathSeconds
        Store = 'LiteDB file (shared mode)'
        WorkingSetMB = [math]::Round($self.WorkingSet64 / 1MB); PeakWorkingSetMB = [math]::Round($self.PeakWorkingSet64 / 1MB)
        Paths = $results.ToArray()
    }
}
finally {
    if ($http) { $http.Dispose() }
    if ($server) { Stop-ChamiServer -Server $server -Confirm:$false }
    Disconnect-ChamiDatabase -ErrorAction SilentlyContinue | Out-Null
    Remove-Item $work -Recurse -Force -ErrorAction SilentlyContinue
}
