<#
.SYNOPSIS
    Runs the Pester suite in this (fresh) pwsh against the built module and writes a count summary.
    Called by build.ps1; tests find the module through $env:OPENCHAMI_MODULE.
#>
param(
    [Parameter(Mandatory)] [string] $PesterModule,
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string[]] $TestPath,
    [Parameter(Mandatory)] [string] $SummaryPath
)
$ErrorActionPreference = 'Stop'
Import-Module $PesterModule -Force
$env:OPENCHAMI_MODULE = (Resolve-Path $ModulePath).Path
# Tests never touch the operator's real database.
$env:OPENCHAMI_DB = Join-Path ([IO.Path]::GetTempPath()) "openchami-pester-$PID/default.db"

$configuration = New-PesterConfiguration
$configuration.Run.Path = $TestPath
$configuration.Run.PassThru = $true
$configuration.Output.Verbosity = 'Detailed'
$configuration.Should.ErrorAction = 'Continue'
$result = Invoke-Pester -Configuration $configuration

[pscustomobject]@{
    Passed  = $result.PassedCount
    Failed  = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
    Skipped = $result.SkippedCount + $result.NotRunCount
} | ConvertTo-Json | Set-Content -Path $SummaryPath
Remove-Item (Split-Path $env:OPENCHAMI_DB) -Recurse -Force -ErrorAction SilentlyContinue
