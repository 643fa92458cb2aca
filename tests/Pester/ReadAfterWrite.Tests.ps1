<#
    A read sent after a write was acknowledged never returns older data, whichever server process the write
    went through: two real pwsh processes serve one database (a LiteDB file with its read caches, or PostgreSQL),
    one takes PUTs of the Default kernel v1..vN while readers fetch boot scripts from the other.
    Then (LiteDB) an operator deletes <db>.stamps while they run: a server started afterwards creates a new one,
    and what is changed through it must still reach the two older servers, which say so in their logs.
#>

BeforeAll {
    Import-Module $env:OPENCHAMI_MODULE -Force
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:Folder = New-TestFolder
    $script:Database = New-ChamiTestDatabase -Name readafterwrite -Folder $Folder
    # The schema once, before two processes race to create it (they must cope, but that is not this test).
    Connect-ChamiDatabase @Database | Out-Null
    Disconnect-ChamiDatabase -Confirm:$false
    $script:Servers = [Collections.Generic.List[hashtable]]::new()
    $script:A = Start-ChamiTestServerProcess -Database $Database -Name 'server-a' -Folder $Folder
    $Servers.Add($A)
    $script:B = Start-ChamiTestServerProcess -Database $Database -Name 'server-b' -Folder $Folder
    $Servers.Add($B)
    $script:Nodes = 0..7 | ForEach-Object { "x3000c0s$($_)b0n0" }
    Invoke-ChamiTestJson Post "$($A.Url)/hsm/v2/State/Components" @{ Components = @($Nodes | ForEach-Object { @{ ID = $_; State = 'Ready'; Role = 'Compute' } }) } | Out-Null

    function Set-DefaultKernel([string] $Url, [int] $Version, [string] $Method = 'Put') {
        Invoke-ChamiTestJson $Method "$Url/boot/v1/bootparameters" @{ hosts = @('Default'); kernel = "http://k/v$Version"; params = 'quiet' } | Out-Null
    }

    function Get-KernelVersion([string] $Url, [string] $Node) {
        $script = Invoke-RestMethod "$Url/boot/v1/bootscript?name=$Node"
        $match = [regex]::Match($script, 'http://k/v(\d+) ')
        if (-not $match.Success) { throw "no kernel in the boot script of $($Node): $script" }
        [int] $match.Groups[1].Value
    }
}

AfterAll {
    # Always kill every server process, by the PID it recorded and by the launcher handle, and check they are gone.
    foreach ($server in $Servers) {
        foreach ($id in @($server.Pid, $server.Launcher.Id) | Where-Object { $_ } | Select-Object -Unique) {
            Stop-TestProcess -ProcessId $id | Should -BeTrue -Because "process $id must be gone"
        }
    }
    Remove-Item $Folder -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Two server processes on one database: reads follow acknowledged writes' {
    It 'no boot script fetched from B after a PUT through A was acknowledged carries an older kernel' {
        Set-DefaultKernel $A.Url 0
        $state = [hashtable]::Synchronized(@{ Acknowledged = 0; Writing = $true })
        $reader = {
            param($Url, $Nodes, $State, $Index)
            $stale = [Collections.Generic.List[string]]::new()
            $reads = 0
            # Bounded: the writer's last PUT ends it; the cap guards against a writer that never finishes.
            for ($n = 0; $n -lt 100000 -and $State.Writing; $n++) {
                $floor = $State.Acknowledged
                $node = $Nodes[($Index * 3 + $n) % $Nodes.Count]
                $script = Invoke-RestMethod "$Url/boot/v1/bootscript?name=$node"
                $version = [int] [regex]::Match($script, 'http://k/v(\d+) ').Groups[1].Value
                $reads++
                if ($version -lt $floor) { $stale.Add("$($node): v$version after v$floor was acknowledged") }
            }
            [pscustomobject]@{ Reads = $reads; Stale = $stale.ToArray() }
        }
        $readers = 0..3 | ForEach-Object { Start-ThreadJob $reader -ArgumentList $B.Url, $Nodes, $state, $_ }
        foreach ($version in 1..60) {
            Set-DefaultKernel $A.Url $version
            $state.Acknowledged = $version
        }
        $state.Writing = $false
        $results = $readers | Wait-Job -Timeout 300 | Receive-Job
        $readers | Remove-Job -Force

        $results.Count | Should -Be 4
        ($results | Measure-Object Reads -Sum).Sum | Should -BeGreaterThan 0
        @($results.Stale | Where-Object { $_ }) | Should -BeNullOrEmpty
        # Once the writes stop, every node boots the last kernel through either server.
        foreach ($node in $Nodes) {
            Get-KernelVersion $B.Url $node | Should -Be 60 -Because "$node through B"
            Get-KernelVersion $A.Url $node | Should -Be 60 -Because "$node through A"
        }
    }
}

Describe 'The stamps file deleted while two servers run' -Tag LiteDbOnly {
    It 'a PATCH through a server started after the deletion reaches the servers started before it, which log it' {
        Set-DefaultKernel $A.Url 100
        foreach ($node in $Nodes) { Get-KernelVersion $A.Url $node | Should -Be 100; Get-KernelVersion $B.Url $node | Should -Be 100 }

        Remove-Item "$($Database.Path).stamps"
        $C = Start-ChamiTestServerProcess -Database $Database -Name 'server-c' -Folder $Folder
        $Servers.Add($C)
        Test-Path "$($Database.Path).stamps" | Should -BeTrue -Because 'the new server created a new stamps file'
        Set-DefaultKernel $C.Url 101 -Method Patch
        Get-KernelVersion $C.Url $Nodes[0] | Should -Be 101

        # The older servers check the stamps file now and then (LiteDbStore.IdentityCheckInterval, 1 s): bounded wait.
        foreach ($server in $A, $B) {
            $seen = Wait-Until -TimeoutSeconds 60 { (Get-KernelVersion $server.Url $Nodes[1]) -eq 101 }
            $seen | Should -BeTrue -Because "$($server.Url) must see the PATCH made through the new server"
            Get-Content $server.Log -Raw | Should -Match 'is no longer the stamps file this process mapped'
        }

        # Every server moves the same stamps again: changes show through the others on the very next request.
        Set-DefaultKernel $A.Url 102 -Method Patch
        foreach ($server in $A, $B, $C) { Get-KernelVersion $server.Url $Nodes[2] | Should -Be 102 }
        Set-DefaultKernel $B.Url 103 -Method Patch
        foreach ($server in $A, $B, $C) { Get-KernelVersion $server.Url $Nodes[3] | Should -Be 103 }
    }
}
