<#
.SYNOPSIS
    Cold key reads and one-item writes at two inventory sizes (10k and 100k nodes by default), for one or two builds of
    the module in the same run: CPU ms per operation and the ratio between the sizes. The focused check of the growth
    run's "cold reads step up between 10k and 100k" defect, without the 45-minute -Scale Full growth run.

.DESCRIPTION
    Each size's inventory is built once by Import-ChamiInventory of a generated nodes.yaml (bench/BenchInventory.ps1:
    2 NICs per node, groups compute and rack<cabinet>) into -DatabaseDirectory (kept there, so later runs reuse it), then
    every measurement runs in a fresh pwsh on a COPY of that file: Start-ChamiServer on it (127.0.0.1, port 0) and,
    -Warmup unmeasured operations of every path, then -Sample measured ones of every path, each on another node chosen
    at random (fixed seed) that no other operation of the run touched: the first read of that node, as a node's first
    boot or an operator's first look. Reads come after writes of other nodes (the write paths run first in each
    phase), as they do in a live cluster.
    CPU time is the child process's (cmdlets, server and database all run in it); the machine is shared, so read the
    CPU columns and the ratios, not the wall times. -ModulePath takes several builds (e.g. main's and a branch's):
    they alternate per size, so both are measured under the same load. Not a test: no thresholds.
.EXAMPLE
    dotnet pwsh -Command "& ./bench/KeyRead.Bench.ps1 -ModulePath /tmp/main/OpenChami.psd1,./out/OpenChami/OpenChami.psd1 -Nodes 10000,100000"
#>
[CmdletBinding()]
param(
    [string[]] $ModulePath = @(Join-Path $PSScriptRoot '../out/OpenChami/OpenChami.psd1'),
    [int[]] $Nodes = @(10000, 100000),
    [ValidateRange(10, 5000)] [int] $Sample = 200,
    [ValidateRange(1, 500)] [int] $Warmup = 40,
    # Where the built inventories are kept between runs (keyread-<N>.db: the import, then boot parameters for every
    # node by `Get-ChamiNode -Group compute | Set-ChamiBootParams`); building 100k takes minutes.
    [string] $DatabaseDirectory = (Join-Path ([IO.Path]::GetTempPath()) 'openchami-bench-keyread'),
    # Also time a no-change re-import of the whole inventory (bulk; minutes at 100k).
    [switch] $ReImport,
    # Internal: run one measurement (module, size, database copy) and print its JSON.
    [string] $Child
)
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'
$ConfirmPreference = 'None'
. (Join-Path $PSScriptRoot 'BenchInventory.ps1')

function Get-CpuMs { [Diagnostics.Process]::GetCurrentProcess().TotalProcessorTime.TotalMilliseconds }

if ($Child) {
    # ------------------------------------------------------------ one measurement, in its own process
    $spec = $Child | ConvertFrom-Json
    Import-Module $spec.Module -Force
    $n = [int]$spec.Nodes
    Connect-ChamiDatabase -Path $spec.Database | Out-Null
    $server = Start-ChamiServer -Port 0
    $http = [Net.Http.HttpClient]::new()
    $http.BaseAddress = [Uri]$server.Url
    $x = { param([int] $i) Get-BenchNodeXname $i }
    $boot = @{ Kernel = 'http://10.0.0.2/vmlinuz'; Params = 'console=ttyS1' }
    $newMac = { param([int] $i) '0a:03:{0:x2}:{1:x2}:{2:x2}:00' -f (($i -shr 16) -band 255), (($i -shr 8) -band 255), ($i -band 255) }
    # Writes first, then reads: a read finds the collections changed since any snapshot was taken.
    $paths = [ordered]@{
        'Set-ChamiNode'                            = { param($i) Set-ChamiNode -Xname (& $x $i) -SubRole Worker | Out-Null }
        'Set-ChamiBootParams -Xname (one node)'    = { param($i) Set-ChamiBootParams -Xname (& $x $i) @boot | Out-Null }
        'New-ChamiEthernetInterface'               = { param($i) New-ChamiEthernetInterface -MacAddress (& $newMac $i) -Xname (& $x $i) | Out-Null }
        'Add-ChamiGroupMember'                     = { param($i) Add-ChamiGroupMember -Name benchgroup -Xname (& $x $i) | Out-Null }
        'PATCH /hsm/v2/State/Components/{xname}/StateData' = { param($i) Invoke-Http PATCH "/hsm/v2/State/Components/$(& $x $i)/StateData" '{"State":"Ready"}' 204 }
        'Get-ChamiNode -Xname'                     = { param($i) if (-not (Get-ChamiNode -Xname (& $x $i))) { throw 'not found' } }
        'Get-ChamiNode -Nid'                       = { param($i) if (-not (Get-ChamiNode -Nid ($i + 1))) { throw 'not found' } }
        'Get-ChamiNode -MacAddress'                = { param($i) if (-not (Get-ChamiNode -MacAddress (Get-BenchNodeMac $i))) { throw 'not found' } }
        'Get-ChamiNode -Group rack<n> (128 nodes)' = { param($i) if (-not (Get-ChamiNode -Group (Get-BenchNodeRack $i))) { throw 'not found' } }
        'GET /hsm/v2/State/Components/{xname}'     = { param($i) Invoke-Http GET "/hsm/v2/State/Components/$(& $x $i)" $null 200 }
        'GET /hsm/v2/State/Components?nid='        = { param($i) Invoke-Http GET "/hsm/v2/State/Components?type=Node&nid=$($i + 1)" $null 200 }
        'GET /hsm/v2/Inventory/EthernetInterfaces?ComponentID=' = { param($i) Invoke-Http GET "/hsm/v2/Inventory/EthernetInterfaces?ComponentID=$(& $x $i)" $null 200 }
        'GET /boot/v1/bootparameters?name='        = { param($i) Invoke-Http GET "/boot/v1/bootparameters?name=$(& $x $i)" $null 200 }
    }
    New-ChamiGroup -Name benchgroup | Out-Null
    # Distinct random nodes, a disjoint set per path: every operation is the first on its node.
    $per = $Warmup + $Sample
    $random = [Random]::new(42)
    $chosen = [Collections.Generic.HashSet[int]]::new()
    while ($chosen.Count -lt $paths.Count * $per) { [void]$chosen.Add($random.Next($n)) }
    $order = [int[]]@($chosen)
    $results = [Collections.Generic.List[object]]::new()
    $names = @($paths.Keys)
    # Every path's warm-up first (JIT, and whatever the cache takes into memory on its first misses), then every
    # path measured, in the same order.
    foreach ($phase in 'warmup', 'measure') {
        for ($k = 0; $k -lt $names.Count; $k++) {
            $nodesOfPath = $order[($k * $per)..(($k + 1) * $per - 1)]
            $range = if ($phase -eq 'warmup') { 0..($Warmup - 1) } else { $Warmup..($per - 1) }
            $cpu = Get-CpuMs
            $watch = [Diagnostics.Stopwatch]::StartNew()
            foreach ($i in $range) { & $paths[$names[$k]] $nodesOfPath[$i] }
            if ($phase -eq 'measure') { $results.Add([pscustomobject]@{ Path = $names[$k]; Ms = $watch.Elapsed.TotalMilliseconds / $Sample; CpuMs = ((Get-CpuMs) - $cpu) / $Sample }) }
        }
    }
    if ($spec.ReImport) {
        $cpu = Get-CpuMs
        $watch = [Diagnostics.Stopwatch]::StartNew()
        $changed = @(Import-ChamiInventory -Path $spec.Yaml | Where-Object Action -NE 'Unchanged').Count
        $results.Add([pscustomobject]@{ Path = 'Import-ChamiInventory (no-change re-import, per node)'; Ms = $watch.Elapsed.TotalMilliseconds / $n; CpuMs = ((Get-CpuMs) - $cpu) / $n; Changed = $changed })
    }
    $self = [Diagnostics.Process]::GetCurrentProcess()
    $self.Refresh()
    $http.Dispose()
    Stop-ChamiServer -Server $server -Confirm:$false
    Disconnect-ChamiDatabase | Out-Null
    [pscustomobject]@{ WorkingSetMB = [math]::Round($self.WorkingSet64 / 1MB); Paths = $results.ToArray() } | ConvertTo-Json -Depth 4 -Compress
    return
}

# ------------------------------------------------------------ driver
New-Item -ItemType Directory -Path $DatabaseDirectory -Force | Out-Null
$modules = @($ModulePath | ForEach-Object { (Resolve-Path $_).Path })
$pwsh = [Environment]::ProcessPath
$pwshDll = Join-Path $PSHOME 'pwsh.dll'
function Invoke-Child([string] $Command) {
    $output = & $pwsh $pwshDll -NoProfile -NonInteractive -Command $Command
    if ($LASTEXITCODE) { throw "child failed ($LASTEXITCODE): $($output -join "`n")" }
    $output
}
$built = @{}
foreach ($size in $Nodes) {
    $db = Join-Path $DatabaseDirectory "keyread-$size.db"
    $yaml = Join-Path $DatabaseDirectory "keyread-$size.yaml"
    if (-not (Test-Path $db)) {
        Write-Host "building $size nodes into $db (Import-ChamiInventory with $($modules[0]))"
        New-NodesYaml -Count $size -Path $yaml
        Invoke-Child "`$ConfirmPreference = 'None'; Import-Module '$($modules[0])'; Connect-ChamiDatabase -Path '$db' | Out-Null; Import-ChamiInventory -Path '$yaml' | Out-Null; Get-ChamiNode -Group compute | Set-ChamiBootParams -Kernel http://10.0.0.1/vmlinuz -Initrd http://10.0.0.1/initrd.img -Params console=ttyS0 | Out-Null; Disconnect-ChamiDatabase | Out-Null" | Out-Null
    }
    $built[$size] = @{ Db = $db; Yaml = $yaml }
}
$rows = [Collections.Generic.List[object]]::new()
foreach ($size in $Nodes) {
    foreach ($module in $modules) {
        $copy = Join-Path $DatabaseDirectory "run-$PID.db"
        Copy-Item $built[$size].Db $copy -Force
        Remove-Item "$copy.stamps" -ErrorAction SilentlyContinue
        try {
            $spec = @{ Module = $module; Nodes = $size; Database = $copy; Yaml = $built[$size].Yaml; ReImport = [bool]$ReImport } | ConvertTo-Json -Compress
            Write-Host "measuring $size nodes with $module (load $(((Get-Content /proc/loadavg -Raw) -split ' ')[0..2] -join ' '))"
            $json = Invoke-Child "& '$PSCommandPath' -Sample $Sample -Warmup $Warmup -Child '$($spec -replace "'", "''")'"
            $result = ($json | Select-Object -Last 1) | ConvertFrom-Json
            foreach ($p in $result.Paths) { $rows.Add([pscustomobject]@{ Module = $module; Nodes = $size; Path = $p.Path; Ms = $p.Ms; CpuMs = $p.CpuMs }) }
            $rows.Add([pscustomobject]@{ Module = $module; Nodes = $size; Path = 'working set after the run, MB'; Ms = $result.WorkingSetMB; CpuMs = $result.WorkingSetMB })
        }
        finally {
            Remove-Item $copy, "$copy.stamps", "$copy.keys" -Recurse -Force -ErrorAction SilentlyContinue
            Get-ChildItem $DatabaseDirectory -Filter "run-$PID-log.db" | Remove-Item -Force -ErrorAction SilentlyContinue
        }
    }
}
# One row per (module, path): CPU ms at each size, and the growth per 10x nodes between the smallest and largest size.
$small, $large = ($Nodes | Measure-Object -Minimum -Maximum).Minimum, ($Nodes | Measure-Object -Minimum -Maximum).Maximum
$factor = [math]::Log10($large / $small)
$rows | ConvertTo-Json -Depth 3 | Set-Content (Join-Path $DatabaseDirectory "keyread-$(Get-Date -Format yyyyMMdd-HHmmss).json")
if ($small -eq $large) { return $rows }
$table = foreach ($group in ($rows | Group-Object Module, Path)) {
    $a = $group.Group | Where-Object Nodes -EQ $small
    $b = $group.Group | Where-Object Nodes -EQ $large
    [pscustomobject]@{
        Module = Split-Path (Split-Path $group.Group[0].Module) -Parent
        Path = $group.Group[0].Path
        "cpu ms @ $small" = [math]::Round($a.CpuMs, 3); "cpu ms @ $large" = [math]::Round($b.CpuMs, 3)
        'CPU per 10x' = if ($a.CpuMs -gt 0 -and $factor -gt 0) { '{0:N2}x' -f [math]::Pow($b.CpuMs / $a.CpuMs, 1 / $factor) } else { '' }
        "ms @ $small" = [math]::Round($a.Ms, 3); "ms @ $large" = [math]::Round($b.Ms, 3)
    }
}
$table
