<#
.SYNOPSIS
    Runs every bench/*.Bench.ps1 against the built module (called by ./build.ps1 -Bench).
#>
param([Parameter(Mandatory)] [string] $ModulePath)
$ErrorActionPreference = 'Stop'
foreach ($bench in Get-ChildItem (Join-Path $PSScriptRoot '*.Bench.ps1') | Sort-Object Name) {
    Write-Host "==> bench $($bench.Name)"
    & ([Environment]::ProcessPath) (Join-Path $PSHOME 'pwsh.dll') -NoProfile -File $bench.FullName -ModulePath $ModulePath
    if ($LASTEXITCODE -ne 0) { throw "$($bench.Name) failed with exit code $LASTEXITCODE" }
}
