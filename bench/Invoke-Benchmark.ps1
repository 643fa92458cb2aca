#!/usr/bin/env pwsh
<#
.SYNOPSIS
    Runs every bench/*.Bench.ps1 against the built module (called by ./build.ps1 -Bench).
#>
param([Parameter(Mandatory)] [string] $ModulePath)
$ErrorActionPreference = 'Stop'
foreach ($script in Get-ChildItem -Path $PSScriptRoot -Filter '*.Bench.ps1' | Sort-Object Name) {
    Write-Host "==> $($script.Name)"
    & $script.FullName -ModulePath $ModulePath | Out-Null
}
