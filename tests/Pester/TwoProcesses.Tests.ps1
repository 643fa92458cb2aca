<#
    Two real pwsh processes on one database file (LiteDB shared mode): process 1 serves it with
    Start-ChamiServer -Wait (as under systemd); process 2 — this test's own pwsh — changes it with
    cmdlets. What process 2 commits is what process 1 serves on the very next request.
#>

BeforeAll {
    Import-Module $env:OPENCHAMI_MODULE -Force
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:Folder = New-TestFolder
    $script:Database = Join-Path $Folder 'shared.db'
    $script:ServerProcess = Start-ChamiTestServerProcess -Database @{ Path = $Database } -Name 'server' -Folder $Folder -TimeoutSeconds 60
    $script:Launcher = $ServerProcess.Launcher
    Connect-ChamiDatabase -Path $Database | Out-Null
}

AfterAll {
    Disconnect-ChamiDatabase -Confirm:$false
    # Always kill process 1, by the PID it recorded (and the launcher handle, should it never have), and check it is gone.
    $ids = @($ServerProcess.Pid, $Launcher.Id) | Where-Object { $_ } | Select-Object -Unique
    foreach ($id in $ids) { Stop-TestProcess -ProcessId $id | Should -BeTrue -Because "process $id must be gone" }
    Get-Process -Id $ids -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    Remove-Item $Folder -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Server in process 1, cmdlets in process 2, one database file' -Tag LiteDbOnly {
    It 'process 1 is a different pwsh serving the file' {
        $ServerProcess.Pid | Should -Not -Be $PID
        (Get-Process -Id $ServerProcess.Pid).Id | Should -Be $ServerProcess.Pid
        (Invoke-RestMethod "$($ServerProcess.Url)/healthz").database | Should -Be $Database
    }

    It 'a node created with New-ChamiNode in process 2 is served by process 1 at once' {
        New-ChamiNode -Xname x1000c0s0b0n0 -MacAddress 02:00:00:00:00:01 -Role Service | Out-Null
        $component = Invoke-RestMethod "$($ServerProcess.Url)/hsm/v2/State/Components/x1000c0s0b0n0"
        $component.ID | Should -Be 'x1000c0s0b0n0'
        $component.Role | Should -Be 'Service'
    }

    It 'changes and removals are visible at once too' {
        Set-ChamiNode -Xname x1000c0s0b0n0 -State Off -Force
        (Invoke-RestMethod "$($ServerProcess.Url)/hsm/v2/State/Components/x1000c0s0b0n0").State | Should -Be 'Off'
        Remove-ChamiNode -Xname x1000c0s0b0n0 -Confirm:$false
        (Invoke-WebRequest "$($ServerProcess.Url)/hsm/v2/State/Components/x1000c0s0b0n0" -SkipHttpErrorCheck).StatusCode | Should -Be 404
    }

    It 'process 2 writing while process 1 answers requests: every write lands, every read succeeds' {
        $url = "$($ServerProcess.Url)/hsm/v2/State/Components?type=Node"
        $reader = Start-ThreadJob { param($Url) foreach ($i in 1..100) { (Invoke-RestMethod $Url).Components.Count } } -ArgumentList $url
        foreach ($n in 0..49) { New-ChamiNode -Xname "x1000c1s0b0n$n" | Out-Null }
        $counts = $reader | Wait-Job -Timeout 120 | Receive-Job
        $reader | Remove-Job -Force
        $counts.Count | Should -Be 100
        $counts | ForEach-Object { $_ | Should -BeIn (0..50) }
        (Invoke-RestMethod $url).Components.Count | Should -Be 50
    }
}
