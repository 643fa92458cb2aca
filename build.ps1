#!/usr/bin/env pwsh
<#
.SYNOPSIS
    The one front door: build OpenChami, lay out out/OpenChami, run the tests, serve.

.DESCRIPTION
    ./build.ps1            build and lay out out/OpenChami
    ./build.ps1 -Test      ...then run xunit (on LiteDB, then again on a throwaway PostgreSQL) and Pester (in a fresh
                           pwsh importing out/OpenChami); prints one plain last line "N passed, N failed, N skipped"
                           and exits non-zero on any failure
    ./build.ps1 -Serve     ...then start a server on the default database in the foreground (Ctrl+C stops it)
    ./build.ps1 -Bench     ...then run the benchmarks under bench/
    ./build.ps1 -UpdateDocs ...then regenerate docs/cmdlets/*.md from the compiled cmdlets (prose is kept)

.EXAMPLE
    dotnet tool restore && dotnet pwsh ./build.ps1 -Test
#>
[CmdletBinding()]
param(
    [switch] $Test,
    [switch] $Serve,
    [switch] $Bench,
    [switch] $UpdateDocs,
    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',
    # Pester tests to run (file or folder); all of tests/Pester by default.
    [string[]] $PesterPath,
    # xunit filter expression (dotnet test --filter).
    [string] $XunitFilter,
    [switch] $SkipXunit,
    [switch] $SkipPester,
    # Storage backends the tests run on: both (default), or one while iterating.
    [ValidateSet('all', 'litedb', 'postgresql')]
    [string] $TestBackend = 'all',
    [int] $Port = 8081,
    [string] $BindAddress = '127.0.0.1'
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'
$Root = $PSScriptRoot
$OutDir = Join-Path $Root 'out/OpenChami'
$ResultsDir = Join-Path $Root 'out/test-results'
# What out/OpenChami ships besides manifest, format file and help (tests check the layout against this list).
$ShippedAssemblies = @(
    'OpenChami.PowerShell.dll'
    'OpenChami.Core.dll'
    'LiteDB.dll'
    'Npgsql.dll'
    'Microsoft.IdentityModel.Abstractions.dll'
    'Microsoft.IdentityModel.JsonWebTokens.dll'
    'Microsoft.IdentityModel.Logging.dll'
    'Microsoft.IdentityModel.Tokens.dll'
    'YamlDotNet.dll'
)

function Invoke-Native {
    # Runs a native command and throws when it fails, so every step stops the build on error.
    param([string] $FilePath, [string[]] $Arguments)
    & $FilePath @Arguments
    if ($LASTEXITCODE -ne 0) { throw "'$FilePath $($Arguments -join ' ')' failed with exit code $LASTEXITCODE" }
}

function Invoke-Build {
    Write-Host "==> build ($Configuration)"
    Invoke-Native dotnet @('build', (Join-Path $Root 'OpenChami.sln'), '-c', $Configuration, '--nologo', '-v', 'quiet', '-clp:ErrorsOnly')
}

function Test-ManifestVersion {
    # One version number: Directory.Build.props is the source, the manifest must agree.
    [xml] $props = Get-Content (Join-Path $Root 'Directory.Build.props')
    $version = $props.Project.PropertyGroup.Version
    $manifest = Import-PowerShellDataFile (Join-Path $Root 'OpenChami.psd1')
    if ($manifest.ModuleVersion -ne $version) {
        throw "OpenChami.psd1 ModuleVersion $($manifest.ModuleVersion) differs from Directory.Build.props Version $version"
    }
}

function Publish-ModuleLayout {
    Write-Host "==> lay out $OutDir"
    Test-ManifestVersion
    $bin = Join-Path $Root "OpenChami.PowerShell/bin/$Configuration/net10.0"
    if (Test-Path $OutDir) { Remove-Item $OutDir -Recurse -Force }
    New-Item -ItemType Directory -Path $OutDir | Out-Null
    # Manifest, our assemblies, their runtime dependencies, format file and help: nothing else.
    Copy-Item (Join-Path $Root 'OpenChami.psd1') $OutDir
    Copy-Item (Join-Path $Root 'OpenChami.PowerShell/OpenChami.Format.ps1xml') $OutDir
    foreach ($dll in $ShippedAssemblies) {
        Copy-Item (Join-Path $bin $dll) $OutDir
    }
    Build-Help
}

function Build-Help {
    # Get-Help reads MAML; it is built from the PlatyPS pages in docs/cmdlets, never hand-written.
    Import-Module (Join-Path $Root 'build/ChamiDocs.psm1') -Force
    $helpDir = Join-Path $OutDir 'en-US'
    ConvertTo-ChamiMaml -DocsPath (Join-Path $Root 'docs/cmdlets') -OutputPath (Join-Path $helpDir 'OpenChami.PowerShell.dll-Help.xml') | Out-Null
    $about = Join-Path $Root 'docs/about_OpenChami.md'
    if (Test-Path $about) {
        # about_ topics are plain text; the markdown source reads well as text after dropping the fences.
        (Get-Content $about) -notmatch '^```' | Set-Content (Join-Path $helpDir 'about_OpenChami.help.txt')
    }
}

function Update-Docs {
    Write-Host '==> update docs/cmdlets (fresh pwsh importing out/OpenChami)'
    $xmlDoc = Join-Path $Root "OpenChami.PowerShell/bin/$Configuration/net10.0/OpenChami.PowerShell.xml"
    $script = "Import-Module '$(Join-Path $OutDir 'OpenChami.psd1')'; Import-Module '$(Join-Path $Root 'build/ChamiDocs.psm1')'; " +
        "Update-ChamiDocs -DocsPath '$(Join-Path $Root 'docs/cmdlets')' -XmlDocPath '$xmlDoc' | Out-Null"
    & ([Environment]::ProcessPath) (Join-Path $PSHOME 'pwsh.dll') -NoProfile -NonInteractive -Command $script
    if ($LASTEXITCODE -ne 0) { throw 'updating docs failed' }
    Build-Help
}

function Get-NuGetPackageRoot {
    $line = & dotnet nuget locals global-packages --list
    if ($LASTEXITCODE -ne 0) { throw 'dotnet nuget locals failed' }
    ($line -replace '^global-packages:\s*', '').Trim()
}

function Get-PesterModulePath {
    Invoke-Native dotnet @('restore', (Join-Path $Root 'build/Tools.proj'), '--nologo', '-v', 'quiet')
    $path = Join-Path (Get-NuGetPackageRoot) 'pester/5.7.1/tools/Pester.psd1'
    if (-not (Test-Path $path)) { throw "Pester was not found at $path after restore" }
    $path
}

function Read-TrxCounts {
    param([string] $Path)
    [xml] $trx = Get-Content $Path
    $counters = $trx.TestRun.ResultSummary.Counters
    [pscustomobject]@{
        Passed  = [int] $counters.passed
        Failed  = [int] $counters.failed + [int] $counters.error + [int] $counters.timeout + [int] $counters.aborted
        Skipped = [int] $counters.notExecuted
    }
}

function Invoke-XunitTests {
    # One suite, run once per backend: OPENCHAMI_TEST_BACKEND picks the store Support/TestStores gives each test.
    # Tests about LiteDB itself are traited Backend=LiteDbOnly, tests needing PostgreSQL Backend=PostgresOnly.
    param([ValidateSet('litedb', 'postgresql')] [string] $Backend = 'litedb')
    Write-Host "==> xunit ($Backend)"
    $trxDir = Join-Path $ResultsDir "xunit-$Backend"
    if (Test-Path $trxDir) { Remove-Item $trxDir -Recurse -Force }
    $exclude = if ($Backend -eq 'litedb') { 'Backend!=PostgresOnly' } else { 'Backend!=LiteDbOnly' }
    $filter = if ($XunitFilter) { "($XunitFilter)&$exclude" } else { $exclude }
    $arguments = @('test', (Join-Path $Root 'tests/OpenChami.Core.Tests/OpenChami.Core.Tests.csproj'), '-c', $Configuration,
        '--no-build', '--nologo', '--logger', 'trx;LogFileName=xunit.trx', '--results-directory', $trxDir, '--filter', $filter)
    $previous = $env:OPENCHAMI_TEST_BACKEND
    $env:OPENCHAMI_TEST_BACKEND = $Backend
    $watch = [Diagnostics.Stopwatch]::StartNew()
    try { & dotnet @arguments | Out-Host }
    finally { $env:OPENCHAMI_TEST_BACKEND = $previous }
    Write-Host ("==> xunit ($Backend) took {0:n0} s" -f $watch.Elapsed.TotalSeconds)
    $trx = Join-Path $trxDir 'xunit.trx'
    if (-not (Test-Path $trx)) {
        Write-Warning "xunit ($Backend) produced no results file"
        return [pscustomobject]@{ Passed = 0; Failed = 1; Skipped = 0 }
    }
    Read-TrxCounts $trx
}

function Start-TestPostgres {
    # A throwaway PostgreSQL for the postgresql passes (tests/postgres/TestPostgres.psm1); $true when one is available.
    # Missing binaries fail CI outright; locally they are a loud warning and the pass counts as skipped.
    Import-Module (Join-Path $Root 'tests/postgres/TestPostgres.psm1') -Force
    if ($env:OPENCHAMI_TEST_POSTGRES) {
        Write-Host '==> PostgreSQL passes use the server in OPENCHAMI_TEST_POSTGRES'
        return $true
    }
    if (-not (Find-ChamiPostgresBin)) {
        $message = 'PostgreSQL server binaries (initdb, pg_ctl) not found: install the Debian package "postgresql" to run the PostgreSQL test pass.'
        if ($env:CI) { throw "CI: $message" }
        Write-Host ''
        Write-Host "!!!! WARNING: $message The PostgreSQL pass is SKIPPED. !!!!" -ForegroundColor Yellow
        Write-Host ''
        return $false
    }
    $script:TestPostgres = Start-ChamiTestPostgres
    $true
}

function Invoke-PesterTests {
    # One suite, run per backend: litedb, and postgresql when a test server is up ($env:OPENCHAMI_TEST_POSTGRES).
    param([ValidateSet('litedb', 'postgresql')] [string] $Backend = 'litedb')
    Write-Host "==> Pester on $Backend (fresh pwsh importing out/OpenChami)"
    $pester = Get-PesterModulePath
    $summary = Join-Path $ResultsDir "pester-summary-$Backend.json"
    New-Item -ItemType Directory -Path $ResultsDir -Force | Out-Null
    if (Test-Path $summary) { Remove-Item $summary }
    # Accept "-PesterPath a.ps1,b.ps1" from a shell too (it arrives as one string there).
    $paths = if ($PesterPath) { @($PesterPath -split ',' | Where-Object { $_ } | ForEach-Object { [IO.Path]::Combine($Root, $_) }) } else { @(Join-Path $Root 'tests/Pester') }
    # The real pwsh (pwsh.dll on the dotnet host), not the dotnet-tool shim: a child we can wait for.
    $pwshDll = Join-Path $PSHOME 'pwsh.dll'
    & ([Environment]::ProcessPath) $pwshDll -NoProfile -NonInteractive -File (Join-Path $Root 'tests/Pester/Invoke-PesterSuite.ps1') `
        -PesterModule $pester -ModulePath (Join-Path $OutDir 'OpenChami.psd1') -TestPath ($paths -join ',') -SummaryPath $summary -Backend $Backend | Out-Host
    if (-not (Test-Path $summary)) {
        Write-Warning 'Pester produced no summary'
        return [pscustomobject]@{ Passed = 0; Failed = 1; Skipped = 0 }
    }
    Get-Content $summary -Raw | ConvertFrom-Json
}

function Invoke-Tests {
    $results = @()
    $script:TestPostgres = $null
    try {
        if (-not $SkipXunit) {
            if ($TestBackend -ne 'postgresql') { $results += Invoke-XunitTests -Backend litedb }
            if ($TestBackend -ne 'litedb') {
                if (Start-TestPostgres) { $results += Invoke-XunitTests -Backend postgresql }
                else { $results += [pscustomobject]@{ Passed = 0; Failed = 0; Skipped = 1 } }
            }
        }
        if (-not $SkipPester) {
            # The same Pester suite per backend (the postgresql pass leaves out tests tagged LiteDbOnly).
            if ($TestBackend -ne 'postgresql') { $results += Invoke-PesterTests -Backend litedb }
            if ($TestBackend -ne 'litedb') {
                if (Start-TestPostgres) { $results += Invoke-PesterTests -Backend postgresql }
                else { $results += [pscustomobject]@{ Passed = 0; Failed = 0; Skipped = 1 } }
            }
        }
    }
    finally {
        # Always: the throwaway server and its folder go away even when a pass throws.
        if ($script:TestPostgres) { Stop-ChamiTestPostgres $script:TestPostgres -LogPath (Join-Path $ResultsDir 'postgresql.log') }
    }
    $passed = [int] ($results | Measure-Object -Property Passed -Sum).Sum
    $failed = [int] ($results | Measure-Object -Property Failed -Sum).Sum
    $skipped = [int] ($results | Measure-Object -Property Skipped -Sum).Sum
    Write-Host ''
    # The one plain closing line CI reads.
    Write-Host ("{0} passed, {1} failed, {2} skipped" -f $passed, $failed, $skipped)
    return ($failed -eq 0 -and $passed -gt 0)
}

function Start-Serve {
    Write-Host "==> serving on http://${BindAddress}:$Port (Ctrl+C stops)"
    Import-Module (Join-Path $OutDir 'OpenChami.psd1') -Force
    Get-ChamiDatabase | Format-Table | Out-Host
    Start-ChamiServer -Port $Port -BindAddress $BindAddress -Wait
}

function Invoke-Bench {
    & (Join-Path $Root 'bench/Invoke-Benchmark.ps1') -ModulePath (Join-Path $OutDir 'OpenChami.psd1')
}

$ok = $true
try {
    Invoke-Build
    Publish-ModuleLayout
    if ($UpdateDocs) { Update-Docs }
    if ($Test) { $ok = Invoke-Tests }
    if ($Bench) { Invoke-Bench }
    if ($Serve) { Start-Serve }
}
catch {
    Write-Host "BUILD FAILED: $_" -ForegroundColor Red
    if ($Test) { Write-Host '0 passed, 1 failed, 0 skipped' }
    exit 1
}
if (-not $ok) { exit 1 }
exit 0
