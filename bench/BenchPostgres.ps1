<#
.SYNOPSIS
    Dot-sourced by the bench scripts run with -ConnectionString: a fresh PostgreSQL database per run on the
    server that connection string names (its login needs CREATEDB), dropped again afterwards. Npgsql is the
    DLL the module ships; call after Import-Module OpenChami. No password here: PGPASSWORD or ~/.pgpass.
#>

function New-BenchPostgresDatabase {
    # Creates openchami_bench_<name>_<pid> and returns a connection string for it (same server, login and options).
    param([Parameter(Mandatory)] [string] $ServerConnectionString, [Parameter(Mandatory)] [string] $Name)
    if (-not ('Npgsql.NpgsqlConnection' -as [type])) { Add-Type -Path (Join-Path (Split-Path (Get-Module OpenChami).Path) 'Npgsql.dll') }
    $database = "openchami_bench_$($Name -replace '[^a-z0-9]', '')_$PID"
    Invoke-BenchPostgres $ServerConnectionString "DROP DATABASE IF EXISTS $database WITH (FORCE)"
    Invoke-BenchPostgres $ServerConnectionString "CREATE DATABASE $database"
    $builder = [Npgsql.NpgsqlConnectionStringBuilder]::new($ServerConnectionString)
    $builder.Database = $database
    $builder.ConnectionString
}

function Remove-BenchPostgresDatabase {
    param([Parameter(Mandatory)] [string] $ServerConnectionString, [Parameter(Mandatory)] [string] $ConnectionString)
    [Npgsql.NpgsqlConnection]::ClearAllPools()
    $database = [Npgsql.NpgsqlConnectionStringBuilder]::new($ConnectionString).Database
    Invoke-BenchPostgres $ServerConnectionString "DROP DATABASE IF EXISTS $database WITH (FORCE)"
}

function Invoke-BenchPostgres([string] $ConnectionString, [string] $Sql) {
    $connection = [Npgsql.NpgsqlConnection]::new($ConnectionString)
    try {
        $connection.Open()
        $command = $connection.CreateCommand()
        $command.CommandText = $Sql
        [void]$command.ExecuteNonQuery()
    }
    finally { $connection.Dispose() }
}

function Start-BenchSecondServer {
    # A second Start-ChamiServer in its own pwsh on the same database and key folder; returns @{ Process; Url }.
    # The caller kills the process (with its tree) in its finally block.
    param(
        [Parameter(Mandatory)] [string] $ModulePath,
        [Parameter(Mandatory)] [string] $ConnectionString,
        [Parameter(Mandatory)] [string] $KeyDirectory,
        [Parameter(Mandatory)] [string] $UrlFile
    )
    $command = "`$ErrorActionPreference = 'Stop'; Import-Module '$ModulePath'; Start-ChamiServer -ConnectionString '$($ConnectionString -replace "'", "''")' -KeyDirectory '$KeyDirectory' -Port 0 -Wait | ForEach-Object { Set-Content -Path '$UrlFile.tmp' -Value `$_.Url; Move-Item '$UrlFile.tmp' '$UrlFile' }"
    $info = [Diagnostics.ProcessStartInfo]::new([Environment]::ProcessPath)
    foreach ($a in (Join-Path $PSHOME 'pwsh.dll'), '-NoProfile', '-NonInteractive', '-Command', $command) { $info.ArgumentList.Add($a) }
    $info.UseShellExecute = $false
    $process = [Diagnostics.Process]::Start($info)
    $deadline = [DateTime]::UtcNow.AddSeconds(90)
    while (-not (Test-Path $UrlFile)) {
        if ($process.HasExited -or [DateTime]::UtcNow -gt $deadline) { throw 'the second server did not report its URL within 90 s' }
        Start-Sleep -Milliseconds 200
    }
    @{ Process = $process; Url = (Get-Content $UrlFile -Raw).Trim() }
}
