<#
.SYNOPSIS
    Runs the Pester suite in this (fresh) pwsh against the built module and writes a count summary.
    Called by build.ps1; tests find the module through $env:OPENCHAMI_MODULE.
#>
param(
    [Parameter(Mandatory)] [string] $PesterModule,
    [Parameter(Mandatory)] [string] $ModulePath,
    # One or more files or folders, comma-separated (a native command line passes one string).
    [Parameter(Mandatory)] [string] $TestPath,
    [Parameter(Mandatory)] [string] $SummaryPath,
    # litedb (default) or postgresql: the backend New-ChamiTestDatabase gives the suite ($env:OPENCHAMI_TEST_BACKEND).
    [ValidateSet('litedb', 'postgresql')] [string] $Backend = 'litedb'
)
$ErrorActionPreference = 'Stop'
Import-Module $PesterModule -Force
$env:OPENCHAMI_MODULE = (Resolve-Path $ModulePath).Path
# Tests never touch the operator's real database.
$env:OPENCHAMI_DB = Join-Path ([IO.Path]::GetTempPath()) "openchami-pester-$PID/default.db"

$configuration = New-PesterConfiguration
$configuration.Run.Path = @($TestPath -split ',' | Where-Object { $_ })
$configuration.Run.PassThru = $true
$env:OPENCHAMI_TEST_BACKEND = $Backend
if ($Backend -eq 'postgresql') {
    if (-not $env:OPENCHAMI_TEST_POSTGRES) { throw 'the postgresql pass needs $env:OPENCHAMI_TEST_POSTGRES (a throwaway server started by build.ps1)' }
    # Tests about the LiteDB file itself (crash safety, one file in two processes, schema files), QEMU/dnsmasq boots and
    # the module/docs checks say nothing about the backend: they run once, in the LiteDB pass.
    $configuration.Filter.ExcludeTag = @('LiteDbOnly')
}
$configuration.Output.Verbosity = 'Detailed'
$configuration.Should.ErrorAction = 'Continue'
$result = $null
try {
    $result = Invoke-Pester -Configuration $configuration
}
catch {
    Write-Host "Pester failed: $_"
}
if (-not $result) {
    # Pester itself gave up (e.g. no test file found): that is a failed run, never an empty success.
    $result = [pscustomobject]@{ PassedCount = 0; FailedCount = 1; FailedBlocksCount = 0; FailedContainersCount = 0; SkippedCount = 0; NotRunCount = 0; Result = 'Failed'; TotalCount = 0 }
}

# A file that fails to load or throws in BeforeAll counts as failed (FailedContainersCount /
# FailedBlocksCount); a run that found no test file at all, or that Pester itself reports as failed
# without a failed count, counts as one failure rather than an empty success.
$failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
if ($failed -eq 0 -and ($result.Result -ne 'Passed' -or $result.TotalCount -eq 0)) { $failed = 1 }
[pscustomobject]@{
    Passed  = $result.PassedCount
    Failed  = $failed
    Skipped = $result.SkippedCount + $result.NotRunCount
} | ConvertTo-Json | Set-Content -Path $SummaryPath
Remove-Item (Split-Path $env:OPENCHAMI_DB) -Recurse -Force -ErrorAction SilentlyContinue
