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
        Every document of every collection in a database file, read with LiteDB directly (the DLL
        the module ships), as sorted JSON lines joined into one string. Covers collections other areas add later too.
    #>
    param([Parameter(Mandatory)] [string] $Path)
    $database = [LiteDB.LiteDatabase]::new("Filename=$Path;Connection=shared")
    try {
        $lines = [Collections.Generic.List[string]]::new()
        $lines.Add("UserVersion=$($database.UserVersion)")
        foreach ($name in $database.GetCollectionNames()) {
            foreach ($document in $database.GetCollection($name).FindAll()) {
                $lines.Add("$name $([LiteDB.JsonSerializer]::Serialize($document))")
            }
        }
        $lines.Sort([StringComparer]::Ordinal)
        # One string (a line per document): compares with a plain -Be and diffs readably.
        $lines -join "`n"
    }
    finally {
        $database.Dispose()
    }
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
