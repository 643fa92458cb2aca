<#
.SYNOPSIS
    Runs every benchmark under bench/ (called by ./build.ps1 -Bench). Each *.Bench.ps1 takes -ModulePath.
#>
param([Parameter(Mandatory)] [string] $ModulePath)
$ErrorActionPreference = 'Stop'
foreach ($bench in Get-ChildItem $PSScriptRoot -Filter '*.Bench.ps1' | Sort-Object Name) {
    Write-Host "==> $($bench.Name)"
    & $bench.FullName -ModulePath $ModulePath | Out-Null
}
