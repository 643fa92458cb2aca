<#
    A throwaway PostgreSQL server for the test suites (xunit and Pester run on it with
    OPENCHAMI_TEST_BACKEND=postgresql). Debian's postgresql package gives the binaries
    (/usr/lib/postgresql/<n>/bin); the distro's own 'main' cluster is never used.

        $pg = Start-ChamiTestPostgres      # sets $env:OPENCHAMI_TEST_POSTGRES; $null if one was already given
        try { ... } finally { Stop-ChamiTestPostgres $pg }

    The cluster lives in a temp folder, listens only on 127.0.0.1 on a free port (its unix socket in
    the same folder), requires a SCRAM password for its one role, and is removed by Stop.
#>
Set-StrictMode -Version Latest

function Find-ChamiPostgresBin {
    <# The folder holding initdb and pg_ctl: PATH first, else the newest /usr/lib/postgresql/<n>/bin. #>
    [CmdletBinding()]
    [OutputType([string])]
    param()
    $initdb = Get-Command initdb -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
    if ($initdb) { return Split-Path $initdb.Source }
    $candidates = @(Get-ChildItem -Path '/usr/lib/postgresql/*/bin/initdb' -ErrorAction SilentlyContinue |
        Sort-Object { [int] ($_.Directory.Parent.Name -replace '\D', '0') } -Descending)
    if ($candidates.Count -gt 0) { return $candidates[0].DirectoryName }
    $null
}

function Get-FreeLoopbackPort {
    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $listener.Start()
    try { $listener.LocalEndpoint.Port } finally { $listener.Stop() }
}

function Invoke-AsClusterOwner {
    # initdb and postgres refuse to run as root: as root, run them as the 'postgres' OS user.
    param([string] $FilePath, [string[]] $Arguments)
    $isRoot = -not $IsWindows -and (& id -u) -eq '0'
    $output = if ($isRoot) { & runuser -u postgres -- $FilePath @Arguments 2>&1 } else { & $FilePath @Arguments 2>&1 }
    if ($LASTEXITCODE -ne 0) { throw "'$(Split-Path -Leaf $FilePath) $($Arguments -join ' ')' failed ($LASTEXITCODE): $($output -join "`n")" }
}

function Start-ChamiTestPostgres {
    <#
    .SYNOPSIS
        Starts a throwaway PostgreSQL on 127.0.0.1 and sets $env:OPENCHAMI_TEST_POSTGRES to its connection string.
    .OUTPUTS
        An object for Stop-ChamiTestPostgres; $null when OPENCHAMI_TEST_POSTGRES was already set (that server is used as is).
        Throws when no PostgreSQL binaries are installed (Debian: apt-get install postgresql).
    #>
    [CmdletBinding()]
    param()
    if ($env:OPENCHAMI_TEST_POSTGRES) { return $null }
    $bin = Find-ChamiPostgresBin
    if (-not $bin) { throw 'PostgreSQL server binaries (initdb, pg_ctl) were not found on PATH or under /usr/lib/postgresql/*/bin; install the Debian package "postgresql".' }
    $isRoot = -not $IsWindows -and (& id -u) -eq '0'
    $root = Join-Path ([IO.Path]::GetTempPath()) ("chami-pg-" + [Guid]::NewGuid().ToString('N').Substring(0, 12))
    New-Item -ItemType Directory -Path $root | Out-Null
    $state = [pscustomobject]@{ Root = $root; Bin = $bin; Port = 0; ConnectionString = $null; Started = $false }
    try {
        $password = [Convert]::ToHexString([Security.Cryptography.RandomNumberGenerator]::GetBytes(18)).ToLowerInvariant()
        $passwordFile = Join-Path $root 'pw'
        [IO.File]::WriteAllText($passwordFile, $password)
        if ($isRoot) {
            & chown -R postgres: $root
            if ($LASTEXITCODE -ne 0) { throw "chown $root failed" }
        }
        & chmod 700 $root
        & chmod 600 $passwordFile
        $data = Join-Path $root 'data'
        Invoke-AsClusterOwner (Join-Path $bin 'initdb') @('-D', $data, '-U', 'chami', "--pwfile=$passwordFile", '--auth=scram-sha-256',
            '--encoding=UTF8', '--locale=C.UTF-8', '--no-sync')
        Remove-Item $passwordFile
        # Throwaway data: no fsync. Enough connections for xunit's parallel stores.
        $port = Get-FreeLoopbackPort
        $options = "-c listen_addresses=127.0.0.1 -p $port -k $root -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300"
        Invoke-AsClusterOwner (Join-Path $bin 'pg_ctl') @('-D', $data, '-o', $options, '-l', (Join-Path $root 'server.log'), '-w', '-t', '60', 'start')
        $state.Started = $true
        $state.Port = $port
        # Idle pooled connections of finished tests are closed quickly so hundreds of stores fit.
        $state.ConnectionString = "Host=127.0.0.1;Port=$port;Database=postgres;Username=chami;Password=$password;Connection Idle Lifetime=2;Connection Pruning Interval=1"
        $env:OPENCHAMI_TEST_POSTGRES = $state.ConnectionString
        Write-Host "==> test PostgreSQL ($bin) on 127.0.0.1:$port, folder $root"
        $state
    }
    catch {
        Stop-ChamiTestPostgres $state
        throw
    }
}

function Stop-ChamiTestPostgres {
    <#
        Stops the server Start-ChamiTestPostgres started, removes its folder and clears $env:OPENCHAMI_TEST_POSTGRES.
        -LogPath keeps a copy of the server log (for a failed run).
    #>
    [CmdletBinding()]
    param([Parameter(Position = 0)] [AllowNull()] $Server, [string] $LogPath)
    if ($null -eq $Server) { return }
    try {
        $log = Join-Path $Server.Root 'server.log'
        if ($LogPath -and (Test-Path $log)) {
            New-Item -ItemType Directory -Path (Split-Path $LogPath) -Force | Out-Null
            Copy-Item $log $LogPath -Force
        }
        if ($Server.Started) {
            Invoke-AsClusterOwner (Join-Path $Server.Bin 'pg_ctl') @('-D', (Join-Path $Server.Root 'data'), '-m', 'immediate', '-w', '-t', '30', 'stop')
        }
    }
    catch { Write-Warning "stopping the test PostgreSQL failed: $_" }
    finally {
        if ($Server.ConnectionString -and $env:OPENCHAMI_TEST_POSTGRES -eq $Server.ConnectionString) { Remove-Item Env:OPENCHAMI_TEST_POSTGRES }
        Remove-Item -LiteralPath $Server.Root -Recurse -Force -ErrorAction SilentlyContinue
    }
}

Export-ModuleMember -Function Start-ChamiTestPostgres, Stop-ChamiTestPostgres, Find-ChamiPostgresBin
