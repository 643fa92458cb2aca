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
