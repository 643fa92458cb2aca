<#
.SYNOPSIS
    Small helpers shared by the Pester suite (dot-source in BeforeAll). Everything here is bounded
    in time and count, and everything started here is stopped by the caller's AfterAll.
#>

function New-TestFolder {
    # A fresh temp folder per Describe; the caller removes it in AfterAll.
    $path = Join-Path ([IO.Path]::GetTempPath()) "openchami-test-$([guid]::NewGuid().ToString('n').Substring(0, 12))"
    New-Item -ItemType Directory -Path $path | Out-Null
    $path
}

function Get-ChamiStoreSnapshot {
    <#
        Every document of every collection in a database, as sorted lines joined into one string (compares
        with a plain -Be and diffs readably; covers collections other areas add later too):
        a LiteDB file path (read with LiteDB directly, the DLL the module ships), or a New-ChamiTestDatabase
        splat: its Path, or for PostgreSQL every row of every table of the database as JSON (Npgsql directly).
    #>
    param([Parameter(Mandatory)] $Database)
    if ($Database -is [System.Collections.IDictionary]) {
        if ($Database.ConnectionString) { return Get-ChamiPostgresSnapshot -ConnectionString $Database.ConnectionString }
        $Database = $Database.Path
    }
    $liteDb = [LiteDB.LiteDatabase]::new("Filename=$Database;Connection=shared")
    try {
        $lines = [Collections.Generic.List[string]]::new()
        $lines.Add("UserVersion=$($liteDb.UserVersion)")
        # stamps_identity is the file's own bookkeeping (LiteDbStore.RecordCommit), not content: a copy numbers its commits anew.
        foreach ($name in $liteDb.GetCollectionNames() | Where-Object { $_ -ne 'stamps_identity' }) {
            foreach ($document in $liteDb.GetCollection($name).FindAll()) {
                $lines.Add("$name $([LiteDB.JsonSerializer]::Serialize($document))")
            }
        }
        $lines.Sort([StringComparer]::Ordinal)
        $lines -join "`n"
    }
    finally {
        $liteDb.Dispose()
    }
}

function Get-ChamiPostgresSnapshot {
    # Every row of every table outside the system schemas, as "<schema>.<table> <row as JSON>" lines, sorted.
    param([Parameter(Mandatory)] [string] $ConnectionString)
    Import-ChamiTestNpgsql
    $database = [Npgsql.NpgsqlConnectionStringBuilder]::new($ConnectionString).Database
    $tables = @(Invoke-ChamiTestPostgres -Database $database -Sql @"
SELECT quote_ident(table_schema) || '.' || quote_ident(table_name) FROM information_schema.tables
WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1
"@)
    $lines = [Collections.Generic.List[string]]::new()
    foreach ($table in $tables) {
        foreach ($row in @(Invoke-ChamiTestPostgres -Database $database -Sql "SELECT row_to_json(t)::text FROM $table t")) {
            $lines.Add("$table $row")
        }
    }
    $lines.Sort([StringComparer]::Ordinal)
    $lines -join "`n"
}

function Test-TcpPortFree {
    # True when nothing listens on 127.0.0.1:$Port (we can bind it ourselves).
    param([Parameter(Mandatory)] [int] $Port)
    $listener = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, $Port)
    try {
        $listener.Start()
        $true
    }
    catch [Net.Sockets.SocketException] {
        $false
    }
    finally {
        $listener.Stop()
    }
}

function Start-ChildPwsh {
    <#
        Starts the REAL pwsh (pwsh.dll on the dotnet host, not the dotnet-tool shim) running
        $Command; everything it writes goes to "$Folder/$Name.log". Returns the Process.
    #>
    param(
        [Parameter(Mandatory)] [string] $Command,
        [Parameter(Mandatory)] [string] $Folder,
        [string] $Name = 'child'
    )
    $log = Join-Path $Folder "$Name.log"
    $start = [Diagnostics.ProcessStartInfo]::new([Environment]::ProcessPath)
    $wrapped = "& { $Command } *>> '$($log -replace "'", "''")'"
    foreach ($argument in @((Join-Path $PSHOME 'pwsh.dll'), '-NoProfile', '-NonInteractive', '-Command', $wrapped)) {
        $start.ArgumentList.Add($argument)
    }
    $start.UseShellExecute = $false
    $start.Environment['OPENCHAMI_DB'] = Join-Path $Folder "$Name-default.db"
    [Diagnostics.Process]::Start($start)
}

function Wait-Until {
    # Polls $Condition every 100 ms until it is true or $TimeoutSeconds pass; returns the last result.
    param([Parameter(Mandatory)] [scriptblock] $Condition, [double] $TimeoutSeconds = 30)
    $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSeconds)
    while ($true) {
        $result = & $Condition
        if ($result -or [DateTime]::UtcNow -ge $deadline) { return $result }
        Start-Sleep -Milliseconds 100
    }
}

function Send-UnixSignal {
    # kill(2) via libc: SIGTERM is what systemd sends; .NET's Process.Kill only sends SIGKILL.
    param([Parameter(Mandatory)] [int] $ProcessId, [int] $Signal = 15)
    if (-not ('OpenChamiTests.Signals' -as [type])) {
        Add-Type -Namespace OpenChamiTests -Name Signals -MemberDefinition '[System.Runtime.InteropServices.DllImport("libc", SetLastError = true)] public static extern int kill(int pid, int sig);'
    }
    [OpenChamiTests.Signals]::kill($ProcessId, $Signal)
}

function Stop-TestProcess {
    # Kills a process we started (by id) and waits, bounded, until it is gone. True when gone.
    param([Parameter(Mandatory)] [int] $ProcessId)
    $process = Get-Process -Id $ProcessId -ErrorAction SilentlyContinue
    if (-not $process) { return $true }
    try { $process.Kill($true) } catch [InvalidOperationException] { }
    $process.WaitForExit(10000) | Out-Null
    -not (Get-Process -Id $ProcessId -ErrorAction SilentlyContinue)
}

function Get-ChamiTestBackend {
    # The backend this Pester pass runs against: litedb (default) or postgresql ($env:OPENCHAMI_TEST_BACKEND, set by build.ps1).
    if ($env:OPENCHAMI_TEST_BACKEND -eq 'postgresql') { 'postgresql' } else { 'litedb' }
}

function Import-ChamiTestNpgsql {
    # Npgsql loads lazily with the first PostgreSQL store; the helpers below need its types before that.
    if (-not ('Npgsql.NpgsqlConnection' -as [type])) {
        Add-Type -Path (Join-Path (Split-Path $env:OPENCHAMI_MODULE) 'Npgsql.dll')
    }
}

function Get-ChamiTestPostgresCredential {
    # The test server's login as a PSCredential when it has a password (in $env:OPENCHAMI_TEST_POSTGRES or
    # $env:OPENCHAMI_TEST_POSTGRES_PASSWORD), else $null (trust, ~/.pgpass or PGPASSWORD do it).
    Import-ChamiTestNpgsql
    $builder = [Npgsql.NpgsqlConnectionStringBuilder]::new($env:OPENCHAMI_TEST_POSTGRES)
    $password = if ($builder.Password) { $builder.Password } else { $env:OPENCHAMI_TEST_POSTGRES_PASSWORD }
    if (-not $password) { return $null }
    $user = if ($builder.Username) { $builder.Username } else { [Environment]::UserName }
    [pscredential]::new($user, (ConvertTo-SecureString $password -AsPlainText -Force))
}

function Invoke-ChamiTestPostgres {
    # Runs one statement as the test server's login on its maintenance database (Npgsql, the DLL the module ships).
    param([Parameter(Mandatory)] [string] $Sql, [string] $Database)
    Import-ChamiTestNpgsql
    $builder = [Npgsql.NpgsqlConnectionStringBuilder]::new($env:OPENCHAMI_TEST_POSTGRES)
    if ($Database) { $builder.Database = $Database }
    if ($env:OPENCHAMI_TEST_POSTGRES_PASSWORD -and -not $builder.Password) { $builder.Password = $env:OPENCHAMI_TEST_POSTGRES_PASSWORD }
    $connection = [Npgsql.NpgsqlConnection]::new($builder.ConnectionString)
    try {
        $connection.Open()
        $command = $connection.CreateCommand()
        $command.CommandText = $Sql
        $command.CommandTimeout = 60
        $reader = $command.ExecuteReader()
        try {
            while ($reader.Read()) { if ($reader.FieldCount -gt 0) { $reader.GetValue(0) } }
        }
        finally { $reader.Dispose() }
    }
    finally { $connection.Dispose() }
}

function New-ChamiTestDatabase {
    <#
        A fresh, empty database on the backend under test, as a splat for Connect-ChamiDatabase and
        Start-ChamiServer (one suite, both backends):
          litedb      @{ Path = '<Folder>/<Name>-<id>.db' }  (or @{ InMemory = $true } with -InMemoryOnLiteDb)
          postgresql  @{ ConnectionString = 'Host=...;Database=chami_<name>_<id>'; KeyDirectory = '<Folder>/...keys'; [Credential] }
        The PostgreSQL database is created on the throwaway server build.ps1 started ($env:OPENCHAMI_TEST_POSTGRES),
        which is deleted with everything in it after the run. Files go to -Folder, else the suite's temp folder.
    #>
    param([string] $Name = 'test', [string] $Folder, [switch] $InMemoryOnLiteDb)
    if (-not $Folder) { $Folder = Split-Path $env:OPENCHAMI_DB }
    New-Item -ItemType Directory -Path $Folder -Force | Out-Null
    $id = [guid]::NewGuid().ToString('n').Substring(0, 10)
    if ((Get-ChamiTestBackend) -eq 'litedb') {
        if ($InMemoryOnLiteDb) { return @{ InMemory = $true } }
        return @{ Path = Join-Path $Folder "$Name-$id.db" }
    }
    if (-not $env:OPENCHAMI_TEST_POSTGRES) { throw 'OPENCHAMI_TEST_BACKEND=postgresql needs $env:OPENCHAMI_TEST_POSTGRES (build.ps1 -Test starts the test server)' }
    Import-ChamiTestNpgsql
    $database = ('chami_{0}_{1}' -f ($Name.ToLowerInvariant() -replace '[^a-z0-9]', ''), $id)
    # Idle pooled connections of databases earlier tests closed would pile up towards max_connections.
    [Npgsql.NpgsqlConnection]::ClearAllPools()
    Invoke-ChamiTestPostgres -Sql "CREATE DATABASE $database" | Out-Null
    $builder = [Npgsql.NpgsqlConnectionStringBuilder]::new($env:OPENCHAMI_TEST_POSTGRES)
    $builder.Database = $database
    # The cmdlets refuse a password in a connection string: it travels as -Credential, as an operator's would.
    $builder.Remove('Password') | Out-Null
    $splat = @{ ConnectionString = $builder.ConnectionString; KeyDirectory = Join-Path $Folder "$database.keys" }
    $credential = Get-ChamiTestPostgresCredential
    if ($credential) { $splat.Credential = $credential }
    $splat
}

function Connect-ChamiTestDatabase {
    # New-ChamiTestDatabase, connected; returns the splat (for Get-ChamiStoreSnapshot or a server in another process).
    param([string] $Name = 'test', [string] $Folder, [switch] $InMemoryOnLiteDb)
    $database = New-ChamiTestDatabase -Name $Name -Folder $Folder -InMemoryOnLiteDb:$InMemoryOnLiteDb
    Connect-ChamiDatabase @database | Out-Null
    $database
}

function Format-ChamiTestDatabaseArgument {
    <#
        The New-ChamiTestDatabase splat as parameter text for a command line run by a child pwsh (which inherits
        $env:OPENCHAMI_TEST_POSTGRES*, so a password is rebuilt there from the environment, never written out).
    #>
    param([Parameter(Mandatory)] [System.Collections.IDictionary] $Database)
    $quote = { param($Value) "'" + ($Value -replace "'", "''") + "'" }
    if ($Database.InMemory) { return '-InMemory' }
    if ($Database.Path) { return "-Path $(& $quote $Database.Path)" }
    $text = "-ConnectionString $(& $quote $Database.ConnectionString) -KeyDirectory $(& $quote $Database.KeyDirectory)"
    if ($Database.Credential) {
        $text += " -Credential (& { . $(& $quote (Join-Path $PSScriptRoot 'TestHelpers.ps1')); Get-ChamiTestPostgresCredential })"
    }
    $text
}

function Start-ChamiTestServerProcess {
    <#
        A child pwsh serving $Database (a New-ChamiTestDatabase splat) with Start-ChamiServer -Wait, its server log
        in "$Folder/$Name-server.log"; returns @{ Pid; Url; Launcher; Log } once it answers. Stop it with Stop-TestProcess.
    #>
    param([Parameter(Mandatory)] [System.Collections.IDictionary] $Database, [Parameter(Mandatory)] [string] $Name, [Parameter(Mandatory)] [string] $Folder,
        [double] $TimeoutSeconds = 90)
    $info = Join-Path $Folder "$Name.json"
    $log = Join-Path $Folder "$Name-server.log"
    $command = @"
`$ErrorActionPreference = 'Stop'
Import-Module '$env:OPENCHAMI_MODULE'
Start-ChamiServer $(Format-ChamiTestDatabaseArgument $Database) -Port 0 -LogPath '$log' -Wait | ForEach-Object {
    @{ Pid = `$PID; Url = `$_.Url } | ConvertTo-Json | Set-Content -Path '$info.tmp'
    Move-Item '$info.tmp' '$info'
}
"@
    $launcher = Start-ChildPwsh -Command $command -Folder $Folder -Name $Name
    $started = Wait-Until -TimeoutSeconds $TimeoutSeconds { if (Test-Path $info) { Get-Content $info -Raw | ConvertFrom-Json } }
    if (-not $started) {
        Stop-TestProcess -ProcessId $launcher.Id | Out-Null
        throw "$Name did not report its URL within $TimeoutSeconds s: $(Get-Content (Join-Path $Folder "$Name.log") -Raw -ErrorAction SilentlyContinue)"
    }
    @{ Pid = $started.Pid; Url = $started.Url; Launcher = $launcher; Log = $log }
}

function Invoke-ChamiTestJson {
    # A JSON request, the body serialized the way OpenCHAMI's tools send it.
    param([string] $Method, [string] $Uri, $Body)
    Invoke-RestMethod -Method $Method -Uri $Uri -ContentType 'application/json' -Body ($Body | ConvertTo-Json -Depth 6 -Compress)
}

function Start-RedfishFixture {
    <#
        Starts tests/OpenChami.RedfishFixture serving a mockup from /work/shared/redfish-mockups as $Count BMCs on
        loopback; returns the process and its endpoints ({Address, Port}). Stdin stays a pipe the caller holds: closing
        it (Stop-RedfishFixture) stops the fixture.
    #>
    param([Parameter(Mandatory)] [string] $Mockup, [int] $Count = 1, [string[]] $Extra = @(), [Parameter(Mandatory)] [string] $Folder)
    $root = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
    $dll = Join-Path $root 'tests/OpenChami.RedfishFixture/bin/Release/net10.0/OpenChami.RedfishFixture.dll'
    $portsFile = Join-Path $Folder ("ports-" + [guid]::NewGuid() + '.json')
    $info = [System.Diagnostics.ProcessStartInfo]::new([Environment]::ProcessPath)
    foreach ($a in @($dll, '--mockup', (Join-Path '/work/shared/redfish-mockups' $Mockup), '--count', "$Count", '--ports-file', $portsFile) + $Extra) {
        $info.ArgumentList.Add($a)
    }
    $info.RedirectStandardInput = $true
    $info.RedirectStandardError = $true
    $info.UseShellExecute = $false
    $process = [System.Diagnostics.Process]::Start($info)
    $deadline = [DateTime]::UtcNow.AddSeconds(60)
    while (-not (Test-Path $portsFile)) {
        if ($process.HasExited) { throw "fixture exited: $($process.StandardError.ReadToEnd())" }
        if ([DateTime]::UtcNow -gt $deadline) { $process.Kill($true); throw 'fixture did not start within 60 s' }
        Start-Sleep -Milliseconds 100
    }
    [pscustomobject]@{ Process = $process; Endpoints = @(Get-Content $portsFile -Raw | ConvertFrom-Json) }
}

function Stop-RedfishFixture {
    param([Parameter(Mandatory)] [System.Diagnostics.Process] $Process)
    try { $Process.StandardInput.Close() } catch { }
    if (-not $Process.WaitForExit(5000)) { $Process.Kill($true) }
    $Process.Dispose()
}
