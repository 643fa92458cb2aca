<#
    Start-ChamiServer as an operator runs it: a real Kestrel on 127.0.0.1 with a free port, the
    session's database served over HTTP, the port freed by Stop-ChamiServer and by Remove-Module,
    the log readable, and -Wait ending cleanly on SIGTERM (what systemd sends).
#>

BeforeAll {
    Import-Module $env:OPENCHAMI_MODULE -Force
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:Folder = New-TestFolder
}

AfterAll {
    Get-Module OpenChami | Out-Null
    if (Get-Command Stop-ChamiServer -ErrorAction SilentlyContinue) { Stop-ChamiServer }
    if (Get-Command Disconnect-ChamiDatabase -ErrorAction SilentlyContinue) { Disconnect-ChamiDatabase -Confirm:$false }
    Remove-Item $Folder -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Start-ChamiServer / Stop-ChamiServer' {
    BeforeAll {
        $script:Database = Connect-ChamiTestDatabase -Name server -Folder $Folder
    }

    AfterEach {
        Stop-ChamiServer
    }

    It '-Port 0 serves a node created by New-ChamiNode, from the session database' {
        $server = Start-ChamiServer -Port 0
        $server | Should -BeOfType ([OpenChami.Core.Http.ChamiServer])
        $server.Port | Should -BeGreaterThan 0
        $server.Url | Should -Be "http://127.0.0.1:$($server.Port)"
        $server.Database | Should -Be (Get-ChamiDatabase).Path

        New-ChamiNode -Xname x1000c0s0b0n0 -MacAddress 02:00:00:00:00:01 -Role Service | Out-Null

        $component = Invoke-RestMethod "$($server.Url)/hsm/v2/State/Components/x1000c0s0b0n0"
        $component.ID | Should -Be 'x1000c0s0b0n0'
        $component.Type | Should -Be 'Node'
        $component.Role | Should -Be 'Service'
        (Invoke-RestMethod "$($server.Url)/hsm/v2/State/Components?type=Node").Components.ID | Should -Contain 'x1000c0s0b0n0'
        (Invoke-RestMethod "$($server.Url)/healthz").status | Should -Be 'ok'
        (Invoke-RestMethod "$($server.Url)/hsm/v2/service/ready").message | Should -Be 'HSM is healthy'
        (Invoke-WebRequest "$($server.Url)/hsm/v2/service/liveness").StatusCode | Should -Be 204
        $missing = Invoke-WebRequest "$($server.Url)/hsm/v2/State/Components/x1000c0s0b0n9" -SkipHttpErrorCheck
        $missing.StatusCode | Should -Be 404
        $missing.Headers['Content-Type'] | Should -Match 'application/problem\+json'
    }

    It 'a second server on the same port fails with ServerPortInUse; the first keeps serving' {
        $first = Start-ChamiServer -Port 0
        $failure = { Start-ChamiServer -Port $first.Port } | Should -Throw -PassThru
        $failure.FullyQualifiedErrorId | Should -BeLike 'ServerPortInUse*'
        $failure.CategoryInfo.Category | Should -Be 'ResourceUnavailable'
        $failure.Exception.Message | Should -Match ([regex]::Escape("$($first.Port)"))
        @(Get-ChamiServer).Count | Should -Be 1
        (Invoke-RestMethod "$($first.Url)/healthz").status | Should -Be 'ok'
    }

    It 'Stop-ChamiServer frees the port' {
        $server = Start-ChamiServer -Port 0
        Test-TcpPortFree $server.Port | Should -BeFalse
        Stop-ChamiServer -Server $server -PassThru | Should -Be $server
        $server.IsRunning | Should -BeFalse
        Test-TcpPortFree $server.Port | Should -BeTrue
        @(Get-ChamiServer).Count | Should -Be 0
        # ...and the port can be served again.
        (Start-ChamiServer -Port $server.Port).Port | Should -Be $server.Port
    }

    It 'Get-ChamiServer filters by -Port; Stop-ChamiServer -Port stops only that one' {
        $a = Start-ChamiServer -Port 0
        $b = Start-ChamiServer -Port 0
        (Get-ChamiServer -Port $b.Port).Url | Should -Be $b.Url
        Stop-ChamiServer -Port $a.Port
        @(Get-ChamiServer).Url | Should -Be @($b.Url)
    }

    It '-BindAddress 0.0.0.0 reports a loopback URL that answers' {
        $server = Start-ChamiServer -Port 0 -BindAddress 0.0.0.0
        $server.BindAddress | Should -Be ([Net.IPAddress]::Any)
        $server.Url | Should -Be "http://127.0.0.1:$($server.Port)"
        (Invoke-RestMethod "$($server.Url)/healthz").status | Should -Be 'ok'
    }

    It '-BindAddress that is not an IP address fails with InvalidBindAddress' {
        { Start-ChamiServer -Port 0 -BindAddress 'example.org' } | Should -Throw -ErrorId 'InvalidBindAddress,*'
    }

    It '-DatabasePath serves that file; -InMemory an empty database; the session follows each, with a warning' -Tag LiteDbOnly {
        $sessionDatabase = (Get-ChamiDatabase).Path
        $other = Join-Path $Folder 'other.db'
        $fromFile = Start-ChamiServer -Port 0 -DatabasePath $other -WarningVariable followed -WarningAction SilentlyContinue
        $fromFile.Database | Should -Be $other
        "$followed" | Should -BeLike "*now works on the database the server serves, $other (LiteDB), no longer on $sessionDatabase*"
        (Get-ChamiDatabase).Path | Should -Be $other
        (Invoke-RestMethod "$($fromFile.Url)/hsm/v2/State/Components").Components.Count | Should -Be 0
        $inMemory = Start-ChamiServer -Port 0 -InMemory -WarningAction SilentlyContinue
        (Invoke-RestMethod "$($inMemory.Url)/healthz").database | Should -Be ':memory:'
        Connect-ChamiDatabase @Database | Out-Null
    }

    It '-InMemory takes the session along: the next New-ChamiNode lands in the server; Stop-ChamiServer leaves the session there' {
        New-ChamiNode -Xname x1000c0s9b0n0 | Out-Null   # in the session's database
        $server = Start-ChamiServer -Port 0 -InMemory -WarningVariable followed -WarningAction SilentlyContinue
        "$followed" | Should -BeLike '*now works on the database the server serves, :memory: (LiteDB)*Connect-ChamiDatabase switches back*'
        (Get-ChamiDatabase).InMemory | Should -BeTrue

        New-ChamiNode -Xname x1000c0s8b0n0 | Out-Null
        (Invoke-RestMethod "$($server.Url)/hsm/v2/State/Components/x1000c0s8b0n0").ID | Should -Be 'x1000c0s8b0n0'
        (Invoke-RestMethod "$($server.Url)/hsm/v2/State/Components").Components.ID | Should -Not -Contain 'x1000c0s9b0n0'

        Stop-ChamiServer
        (Get-ChamiDatabase).InMemory | Should -BeTrue
        (Get-ChamiNode -Xname 'x1000c0s8*').Xname | Should -Be 'x1000c0s8b0n0'   # still there after the server stopped
        Connect-ChamiDatabase @Database | Out-Null
        (Get-ChamiNode -Xname 'x1000c0s8*') | Should -BeNullOrEmpty
        (Get-ChamiNode -Xname 'x1000c0s9*').Xname | Should -Be 'x1000c0s9b0n0'
    }

    It 'Get-ChamiServerLog returns the request log, newest last, and -LogPath writes it to a file' {
        $logFile = Join-Path $Folder 'server.log'
        $server = Start-ChamiServer -Port 0 -LogPath $logFile
        Invoke-RestMethod "$($server.Url)/healthz?token=secret" | Out-Null
        Invoke-WebRequest "$($server.Url)/no/such/route" -SkipHttpErrorCheck | Out-Null

        $log = @(Get-ChamiServerLog)
        $log[0] | Should -BeOfType ([OpenChami.Core.Http.ServerLogEntry])
        $log.Message | Should -Contain "listening on $($server.Url) (bound to 127.0.0.1), database $($server.Database)"
        ($log.Message -match 'GET /healthz 200') | Should -Not -BeNullOrEmpty
        $log[-1].Message | Should -Match 'GET /no/such/route 404'
        @(Get-ChamiServerLog -Last 1).Count | Should -Be 1
        @($server | Get-ChamiServerLog -MinimumLevel Warning).Count | Should -Be 0
        ($log.Message -join "`n") | Should -Not -Match 'secret' -Because 'query strings may carry tokens'
        Stop-ChamiServer
        Get-Content $logFile -Raw | Should -Match 'GET /healthz 200'
        Get-Content $logFile -Raw | Should -Match "stopped $([regex]::Escape($server.Url))"
    }
}

Describe 'Remove-Module OpenChami' {
    It 'stops running servers and frees their ports' {
        Connect-ChamiDatabase -InMemory | Out-Null
        $server = Start-ChamiServer -Port 0
        Test-TcpPortFree $server.Port | Should -BeFalse

        Remove-Module OpenChami

        $server.IsRunning | Should -BeFalse
        Test-TcpPortFree $server.Port | Should -BeTrue
        Import-Module $env:OPENCHAMI_MODULE -Force
        @(Get-ChamiServer).Count | Should -Be 0
    }
}

Describe 'Start-ChamiServer -Wait in its own pwsh (systemd style)' {
    BeforeAll {
        $script:ChildFolder = New-TestFolder
        $script:UrlFile = Join-Path $ChildFolder 'url.txt'
        $script:LogFile = Join-Path $ChildFolder 'server.log'
        $module = $env:OPENCHAMI_MODULE
        $database = New-ChamiTestDatabase -Name wait -Folder $ChildFolder
        $command = @"
`$ErrorActionPreference = 'Stop'
Import-Module '$module'
Start-ChamiServer $(Format-ChamiTestDatabaseArgument $database) -Port 0 -LogPath '$LogFile' -Wait | ForEach-Object { Set-Content -Path '$UrlFile' -Value `$_.Url }
'returned after -Wait'
"@
        $script:Child = Start-ChildPwsh -Command $command -Folder $ChildFolder -Name 'wait'
        $script:Url = Wait-Until -TimeoutSeconds 60 { if (Test-Path $UrlFile) { (Get-Content $UrlFile -Raw).Trim() } }
    }

    AfterAll {
        Stop-TestProcess -ProcessId $Child.Id | Should -BeTrue
        Remove-Item $ChildFolder -Recurse -Force -ErrorAction SilentlyContinue
    }

    It 'serves until SIGTERM, then stops the server cleanly and exits 0' {
        $Url | Should -Match '^http://127\.0\.0\.1:\d+$'
        (Invoke-RestMethod "$Url/healthz").status | Should -Be 'ok'
        $port = ([uri]$Url).Port

        Send-UnixSignal -ProcessId $Child.Id -Signal 15 | Should -Be 0

        $Child.WaitForExit(20000) | Should -BeTrue -Because 'pwsh must exit after SIGTERM'
        $Child.ExitCode | Should -Be 0
        Test-TcpPortFree $port | Should -BeTrue
        Get-Content $LogFile -Raw | Should -Match "stopped $([regex]::Escape($Url))"
        Get-Content (Join-Path $ChildFolder 'wait.log') -Raw | Should -Match 'returned after -Wait'
    }
}
