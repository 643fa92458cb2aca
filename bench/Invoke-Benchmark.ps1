#!/usr/bin/env pwsh
# Runs every bench/*.Bench.ps1 against the built module (build.ps1 -Bench calls this).
[CmdletBinding()]
param([string] $ModulePath = (Join-Path $PSScriptRoot '../out/OpenChami/OpenChami.psd1'))
$ErrorActionPreference = 'Stop'
foreach ($bench in Get-ChildItem $PSScriptRoot -Filter '*.Bench.ps1' | Sort-Object Name) {
    Write-Host "==> $($bench.Name)"
    & $bench.FullName -ModulePath $ModulePath
}
