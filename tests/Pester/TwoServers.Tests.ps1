<#
    Several servers, one shared inventory (PostgreSQL): two real pwsh processes each run
    Start-ChamiServer -ConnectionString on ONE database. What one server is told is what the other
    serves on the very next request, and concurrent bulk edits through both lose no update.
    Copy-ChamiInventory moves a site LiteDB -> PostgreSQL -> LiteDB without loss.
    PostgreSQL pass only: two processes on one LiteDB file are TwoProcesses.Tests.ps1.
#>

BeforeDiscovery {
    $script:NotPostgres = $env:OPENCHAMI_TEST_BACKEND -ne 'postgresql'
}

BeforeAll {
    Import-Module $env:OPENCHAMI_MODULE -Force
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:Folder = New-TestFolder
}

AfterAll {
    Disconnect-ChamiDatabase -Confirm:$false
    Remove-Item $Folder -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Two servers on one PostgreSQL database' -Skip:$NotPostgres {
    BeforeAll {
        $script:Database = New-ChamiTestDatabase -Name twoservers -Folder $Folder
        # Create the schema once, before two processes race to (the store must cope, but that is not this test).
        Connect-ChamiDatabase @Database | Out-Null
        $script:A = Start-ChamiTestServerProcess -Folder $Folder -Database $Database -Name 'server-a'
        $script:B = Start-ChamiTestServerProcess -Folder $Folder -Database $Database -Name 'server-b'
    }

    AfterAll {
        # Always kill both processes, by the PID each recorded and by the launcher handle, and check they are gone.
        foreach ($server in @($A, $B) | Where-Object { $_ }) {
            foreach ($id in @($server.Pid, $server.Launcher.Id) | Where-Object { $_ } | Select-Object -Unique) {
                Stop-TestProcess -ProcessId $id | Should -BeTrue -Because "process $id must be gone"
            }
        }
    }

    It 'runs two different pwsh processes serving the same database' {
        $A.Pid | Should -Not -Be $B.Pid
        $A.Pid, $B.Pid | Should -Not -Contain $PID
        $a = Invoke-RestMethod "$($A.Url)/healthz"
        $b = Invoke-RestMethod "$($B.Url)/healthz"
        $a.database | Should -Match '^postgresql://'
        $b.database | Should -Be $a.database
    }

    It 'serves through B, at once, a node and boot parameters registered through A (bootscript and cloud-init)' {
        Invoke-ChamiTestJson Post "$($A.Url)/hsm/v2/State/Components" @{ Components = @(@{ ID = 'x3000c0s0b0n0'; State = 'Ready'; NID = 7; Role = 'Compute' }) } | Out-Null
        Invoke-ChamiTestJson Post "$($A.Url)/hsm/v2/Inventory/EthernetInterfaces" @{ MACAddress = '02:30:00:00:00:07'; ComponentID = 'x3000c0s0b0n0'; IPAddresses = @(@{ IPAddress = '10.30.0.7' }) } | Out-Null
        Invoke-ChamiTestJson Post "$($A.Url)/boot/v1/bootparameters" @{ hosts = @('x3000c0s0b0n0'); kernel = 'http://10.30.0.1/vmlinuz-a'; initrd = 'http://10.30.0.1/initrd-a'; params = 'console=ttyS0 from-server-a' } | Out-Null

        $script = Invoke-RestMethod "$($B.Url)/boot/v1/bootscript?mac=02:30:00:00:00:07"
        $script | Should -Match 'http://10\.30\.0\.1/vmlinuz-a'
        $script | Should -Match 'from-server-a'
        $metaData = Invoke-WebRequest "$($B.Url)/cloud-init/meta-data" -Headers @{ 'X-Forwarded-For' = '10.30.0.7' } -SkipHttpErrorCheck
        $metaData.StatusCode | Should -Be 200
        $text = [Text.Encoding]::UTF8.GetString($metaData.RawContentStream.ToArray())
        $text | Should -Match '(?m)^\s*local_ipv4: 10\.30\.0\.7$'
        $text | Should -Match '(?m)^hostname: "?0007"?$' -Because 'the NID registered through A names the node'

        # ...and a change through B is what A serves next.
        Invoke-ChamiTestJson Patch "$($B.Url)/boot/v1/bootparameters" @{ hosts = @('x3000c0s0b0n0'); params = 'console=ttyS0 from-server-b' } | Out-Null
        Invoke-RestMethod "$($A.Url)/boot/v1/bootscript?mac=02:30:00:00:00:07" | Should -Match 'from-server-b'
    }

    It 'loses no update when both servers edit one group and many boot parameters at once' {
        # 80 nodes x3001c0s<0..9>b0n<0..7>; A edits the even ones, B the odd ones, at the same time.
        $xnames = @(0..79 | ForEach-Object { 'x3001c0s{0}b0n{1}' -f [math]::Floor($_ / 8), ($_ % 8) })
        Invoke-ChamiTestJson Post "$($A.Url)/hsm/v2/State/Components" @{ Components = @($xnames | ForEach-Object { @{ ID = $_; State = 'Ready' } }) } | Out-Null
        Invoke-ChamiTestJson Post "$($A.Url)/hsm/v2/groups" @{ label = 'shared'; members = @{ ids = @() } } | Out-Null
        $edits = {
            param($Url, $Xnames, $Tag)
            $failures = 0
            foreach ($xname in $Xnames) {
                try {
                    # Read-modify-write of ONE group document, from two servers at once.
                    Invoke-RestMethod -Method Post "$Url/hsm/v2/groups/shared/members" -ContentType 'application/json' -Body (@{ id = $xname } | ConvertTo-Json) | Out-Null
                    Invoke-RestMethod -Method Post "$Url/boot/v1/bootparameters" -ContentType 'application/json' `
                        -Body (@{ hosts = @($xname); kernel = "http://boot/$Tag/vmlinuz"; params = "written-by=$Tag" } | ConvertTo-Json) | Out-Null
                }
                catch { $failures++; "FAILED $xname $_" }
            }
            "failures=$failures"
        }
        $even = @(for ($i = 0; $i -lt 80; $i += 2) { $xnames[$i] })
        $odd = @(for ($i = 1; $i -lt 80; $i += 2) { $xnames[$i] })
        $jobA = Start-ThreadJob $edits -ArgumentList $A.Url, $even, 'a'
        $jobB = Start-ThreadJob $edits -ArgumentList $B.Url, $odd, 'b'
        $results = $jobA, $jobB | Wait-Job -Timeout 180 | Receive-Job
        $jobA, $jobB | Remove-Job -Force
        $results | Should -Be @('failures=0', 'failures=0')

        $members = @((Invoke-RestMethod "$($B.Url)/hsm/v2/groups/shared/members").ids)
        $members.Count | Should -Be 80
        $members | Sort-Object | Should -Be ($xnames | Sort-Object)
        $params = Invoke-RestMethod "$($A.Url)/boot/v1/bootparameters"
        foreach ($xname in $even) { ($params | Where-Object { $_.hosts -contains $xname }).params | Should -Be 'written-by=a' }
        foreach ($xname in $odd) { ($params | Where-Object { $_.hosts -contains $xname }).params | Should -Be 'written-by=b' }
    }
}

Describe 'Copy-ChamiInventory LiteDB -> PostgreSQL -> LiteDB' -Skip:$NotPostgres {
    It 'moves a site to PostgreSQL and back without loss' {
        $first = Join-Path $Folder 'site-a.db'
        $back = Join-Path $Folder 'site-b.db'
        Connect-ChamiDatabase -Path $first | Out-Null
        New-ChamiNode -Xname x1000c0s0b0n0 -Nid 1 -MacAddress 02:00:00:00:00:01 -IPAddress 10.0.0.1 -Group compute, gpu | Out-Null
        New-ChamiNode -Xname x1000c0s1b0n0 -Nid 2 -MacAddress 02:00:00:00:00:02 -Group compute -Role Service | Out-Null
        New-ChamiPartition -Name p1 -Member x1000c0s1b0n0 | Out-Null
        New-ChamiRedfishEndpoint -Xname x1000c0s0b0 -IPAddress 10.0.0.100 | Out-Null
        Set-ChamiBootParams -Xname x1000c0s0b0n0 -Kernel http://10.0.0.254/vmlinuz -Params 'console=ttyS0' | Out-Null
        Set-ChamiCloudInitGroup -Name compute -UserData "#cloud-config`nruncmd: [[true]]" | Out-Null
        $exportBefore = Join-Path $Folder 'before.json'
        Export-ChamiInventory -Path $exportBefore
        $bootBefore = Get-ChamiBootParams | ConvertTo-Json -Depth 5
        $auditBefore = @(Get-ChamiAuditLog).Count
        $cloudInitBefore = Get-ChamiCloudInitGroup -Name compute | ConvertTo-Json -Depth 8
        Disconnect-ChamiDatabase -Confirm:$false

        $postgres = New-ChamiTestDatabase -Name copy -Folder $Folder
        $toPostgres = @{ From = $first; To = $postgres.ConnectionString; Confirm = $false }
        if ($postgres.Credential) { $toPostgres.ToCredential = $postgres.Credential }
        $counts = Copy-ChamiInventory @toPostgres
        $counts[0] | Should -BeOfType ([OpenChami.PowerShell.Commands.Inventory.InventoryCopyCount])
        ($counts | Where-Object Collection -EQ 'components').Count | Should -Be 2
        $counts.To | Sort-Object -Unique | Should -Match '^postgresql://'

        # Again without -Force: the target is not empty any more.
        $failure = { Copy-ChamiInventory @toPostgres } | Should -Throw -PassThru
        $failure.FullyQualifiedErrorId | Should -BeLikeExactly 'TargetNotEmpty,*'

        $fromPostgres = @{ From = $postgres.ConnectionString; To = $back; Confirm = $false }
        if ($postgres.Credential) { $fromPostgres.FromCredential = $postgres.Credential }
        Copy-ChamiInventory @fromPostgres | Out-Null

        Connect-ChamiDatabase -Path $back | Out-Null
        $exportAfter = Join-Path $Folder 'after.json'
        Export-ChamiInventory -Path $exportAfter
        (Get-FileHash $exportAfter).Hash | Should -Be (Get-FileHash $exportBefore).Hash
        Get-ChamiBootParams | ConvertTo-Json -Depth 5 | Should -Be $bootBefore
        Get-ChamiCloudInitGroup -Name compute | ConvertTo-Json -Depth 8 | Should -Be $cloudInitBefore
        @(Get-ChamiAuditLog).Count | Should -Be $auditBefore
        # Document for document: every collection of the file that came back equals the one that left.
        Get-ChamiStoreSnapshot $back | Should -Be (Get-ChamiStoreSnapshot $first)
        Disconnect-ChamiDatabase -Confirm:$false
    }
}
