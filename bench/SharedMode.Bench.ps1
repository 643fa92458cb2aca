<#
.SYNOPSIS
    What LiteDB's shared connection mode costs: the same work on the same machine in the same run,
    once on a file opened in shared mode (what OpenChami uses, so a server and a prompt can share the
    file) and once in direct mode (exclusive to one process). Not a test: prints a small table.

.DESCRIPTION
    Workload per mode, on a fresh file in a temp folder:
      creates   - N single-node creates through NodeService (one transaction each: component, NIC, group)
      lookups   - M node lookups by xname through NodeService.Find (one read each)
    The loops run in compiled C# (Add-Type) so PowerShell's own per-call overhead doesn't blur the ratio,
    and alternate between the two files in batches so other load on the machine hits both modes alike.

.EXAMPLE
    ./bench/SharedMode.Bench.ps1 -ModulePath ./out/OpenChami/OpenChami.psd1
#>
[CmdletBinding()]
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../out/OpenChami/OpenChami.psd1'),
    [int] $Creates = 1000,
    [int] $Lookups = 2000,
    # Work alternates between the two modes in batches of this many operations.
    [int] $Batch = 50
)
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath -Force
$moduleFolder = Split-Path (Resolve-Path $ModulePath)

if (-not ('OpenChamiBench.SharedModeBench' -as [type])) {
    Add-Type -ReferencedAssemblies (Join-Path $moduleFolder 'OpenChami.Core.dll'), 'System.Runtime', 'System.Collections' -TypeDefinition @'
using System;
using System.Diagnostics;
using OpenChami.Core.Inventory;
using OpenChami.Core.Storage;

namespace OpenChamiBench
{
    public static class SharedModeBench
    {
        public static string Xname(int i) { return "x1000c0s" + (i / 8) + "b0n" + (i % 8); }

        /// <summary>
        /// Both stores open at once; the work alternates between them in batches, so load from
        /// other processes on a shared machine hits both modes alike. Returns seconds per mode.
        /// </summary>
        public static double[] Run(string sharedPath, string directPath, int creates, int lookups, int batch)
        {
            using (var sharedStore = LiteDbStore.OpenFile(sharedPath, true))
            using (var directStore = LiteDbStore.OpenFile(directPath, false))
            {
                var services = new[] { new NodeService(sharedStore), new NodeService(directStore) };
                var createSeconds = new double[2];
                var lookupSeconds = new double[2];
                for (var start = 0; start < creates; start += batch)
                {
                    for (var mode = 0; mode < 2; mode++)
                    {
                        var watch = Stopwatch.StartNew();
                        for (var i = start; i < Math.Min(creates, start + batch); i++)
                        {
                            services[mode].Create(new NewNodeRequest
                            {
                                Xname = Xname(i),
                                MacAddress = new[] { string.Format("02:00:00:00:{0:x2}:{1:x2}", i / 256, i % 256) },
                                IPAddress = new[] { string.Format("10.0.{0}.{1}", i / 256, i % 256) },
                                Group = new[] { "compute" },
                            });
                        }
                        createSeconds[mode] += watch.Elapsed.TotalSeconds;
                    }
                }
                var random = new Random(42);
                for (var start = 0; start < lookups; start += batch)
                {
                    var picks = new int[Math.Min(batch, lookups - start)];
                    for (var i = 0; i < picks.Length; i++) picks[i] = random.Next(creates);
                    for (var mode = 0; mode < 2; mode++)
                    {
                        var watch = Stopwatch.StartNew();
                        foreach (var pick in picks)
                        {
                            if (services[mode].Find(Xname(pick)) == null) throw new InvalidOperationException("missing node");
                        }
                        lookupSeconds[mode] += watch.Elapsed.TotalSeconds;
                    }
                }
                return new[] { createSeconds[0], createSeconds[1], lookupSeconds[0], lookupSeconds[1] };
            }
        }
    }
}
'@
}

$folder = Join-Path ([IO.Path]::GetTempPath()) "openchami-bench-$PID"
New-Item -ItemType Directory -Path $folder -Force | Out-Null
try {
    $seconds = [OpenChamiBench.SharedModeBench]::Run((Join-Path $folder 'shared.db'), (Join-Path $folder 'direct.db'), $Creates, $Lookups, $Batch)
    $results = @(
        [pscustomobject]@{ Mode = 'shared'; CreatesPerSecond = $Creates / $seconds[0]; LookupsPerSecond = $Lookups / $seconds[2] }
        [pscustomobject]@{ Mode = 'direct'; CreatesPerSecond = $Creates / $seconds[1]; LookupsPerSecond = $Lookups / $seconds[3] }
    )
    $direct = $results | Where-Object Mode -EQ 'direct'
    $shared = $results | Where-Object Mode -EQ 'shared'
    Write-Host "LiteDB shared vs direct mode: $Creates single-node creates, $Lookups node lookups ($([Environment]::ProcessorCount) CPUs, $([Runtime.InteropServices.RuntimeInformation]::OSDescription))"
    $results | ForEach-Object {
        [pscustomobject]@{
            Mode         = $_.Mode
            'creates/s'  = [math]::Round($_.CreatesPerSecond, 0)
            'lookups/s'  = [math]::Round($_.LookupsPerSecond, 0)
            'ms/create'  = [math]::Round(1000 / $_.CreatesPerSecond, 2)
            'ms/lookup'  = [math]::Round(1000 / $_.LookupsPerSecond, 3)
        }
    } | Format-Table -AutoSize | Out-Host
    Write-Host ("direct/shared: creates x{0:N1}, lookups x{1:N1}" -f ($direct.CreatesPerSecond / $shared.CreatesPerSecond), ($direct.LookupsPerSecond / $shared.LookupsPerSecond))
    $results
}
finally {
    Remove-Item $folder -Recurse -Force -ErrorAction SilentlyContinue
}
