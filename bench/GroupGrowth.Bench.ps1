<#
.SYNOPSIS
    Does adding a node to a big group get slower or bigger as the group grows? N single
    `New-ChamiNode -Group compute` calls (one unit of work each, the way a script loop or
    `Import-Csv nodes.csv | New-ChamiNode` makes them) in a real pwsh on a database file.
    Not a test: prints seconds per 1,000 nodes, the last/first ratio and the file's bytes per node.

.DESCRIPTION
    A membership change must cost the same at 10,000 members as at 10: the time of each 1,000 calls
    and the bytes the file grew by per node should stay flat. Bounded by -Count and -MaxSeconds
    (the run stops after the first 1,000-node block that ends past -MaxSeconds).

.EXAMPLE
    ./bench/GroupGrowth.Bench.ps1 -Count 10000
#>
[CmdletBinding()]
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../out/OpenChami/OpenChami.psd1'),
    [int] $Count = 10000,
    [int] $Block = 1000,
    [int] $MaxSeconds = 1800,
    # Default: a fresh file in a temp folder, removed afterwards.
    [string] $DatabasePath
)
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath -Force

$folder = $null
if (-not $DatabasePath) {
    $folder = Join-Path ([IO.Path]::GetTempPath()) ("chami-groupgrowth-" + [guid]::NewGuid().ToString('n'))
    New-Item -ItemType Directory $folder | Out-Null
    $DatabasePath = Join-Path $folder 'bench.db'
}
# The file and LiteDB's log beside it (not yet checkpointed pages live there).
function Get-DatabaseBytes { (Get-ChildItem "$DatabasePath*" -File | Where-Object Name -notmatch '\.(stamps|keys)$' | Measure-Object Length -Sum).Sum }

try {
    Connect-ChamiDatabase -Path $DatabasePath
    $rows = [System.Collections.Generic.List[object]]::new()
    $total = [Diagnostics.Stopwatch]::StartNew()
    $previousBytes = Get-DatabaseBytes
    for ($start = 0; $start -lt $Count; $start += $Block) {
        $end = [Math]::Min($Count, $start + $Block)
        $watch = [Diagnostics.Stopwatch]::StartNew()
        for ($i = $start; $i -lt $end; $i++) {
            $xname = "x{0}c{1}s{2}b0n{3}" -f (1000 + [int][Math]::Floor($i / 4096)), ([int][Math]::Floor($i / 512) % 8), ([int][Math]::Floor($i / 8) % 64), ($i % 8)
            New-ChamiNode -Xname $xname -Nid ($i + 1) -MacAddress ('02:00:00:{0:x2}:{1:x2}:{2:x2}' -f ($i -shr 16), (($i -shr 8) -band 255), ($i -band 255)) -Group compute | Out-Null
        }
        $seconds = $watch.Elapsed.TotalSeconds
        $bytes = Get-DatabaseBytes
        $rows.Add([pscustomobject]@{
            Nodes            = $end
            Seconds          = [Math]::Round($seconds, 2)
            'ms/node'        = [Math]::Round(1000 * $seconds / ($end - $start), 2)
            'FileMB'         = [Math]::Round($bytes / 1MB, 2)
            'Bytes/node(blk)' = [Math]::Round(($bytes - $previousBytes) / ($end - $start))
            'Bytes/node(all)' = [Math]::Round($bytes / $end)
        })
        Write-Host ("{0,7} nodes  {1,7:N2} s  {2,6:N2} ms/node  file {3,8:N2} MB  +{4,7:N0} B/node this block" -f $end, $seconds, (1000 * $seconds / ($end - $start)), ($bytes / 1MB), (($bytes - $previousBytes) / ($end - $start)))
        $previousBytes = $bytes
        if ($total.Elapsed.TotalSeconds -gt $MaxSeconds -and $end -lt $Count) { Write-Warning "stopped at $end nodes: past -MaxSeconds $MaxSeconds"; break }
    }
    $rows | Format-Table -AutoSize | Out-String | Write-Host
    $first = $rows[0]; $last = $rows[$rows.Count - 1]
    $members = @((Get-ChamiGroup compute).Members.Ids).Count
    Write-Host ("total {0:N1} s for {1} nodes; last/first block ratio {2:N2}; bytes per node: first block {3:N0}, last block {4:N0}; group compute has {5} members" -f `
        $total.Elapsed.TotalSeconds, $last.Nodes, ($last.Seconds / $first.Seconds), $first.'Bytes/node(blk)', $last.'Bytes/node(blk)', $members)
}
finally {
    Disconnect-ChamiDatabase -ErrorAction SilentlyContinue | Out-Null
    if ($folder) { Remove-Item -Recurse -Force $folder -ErrorAction SilentlyContinue }
}
