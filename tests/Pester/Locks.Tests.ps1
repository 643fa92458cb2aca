# Lock and reservation cmdlets over the same LockService as /hsm/v2/locks, and power cmdlets honouring them
# (spec/smd.md §2.10.1, spec/discovery-power.md §4.5.1).
BeforeAll {
    Import-Module $env:OPENCHAMI_MODULE -Force
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:Temp = New-TestFolder
    Connect-ChamiTestDatabase -Name locks -Folder $script:Temp | Out-Null
    # A node with a BMC endpoint on a port nothing listens on: power cmdlets resolve it, and -WhatIf sends nothing.
    $closed = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0); $closed.Start()
    $port = $closed.LocalEndpoint.Port; $closed.Stop()
    $script:Server = Start-ChamiServer -Port 0
    $endpoint = @{
        ID = 'x1000c0s0b0'; FQDN = "127.0.0.1:$port"; IPAddress = '127.0.0.1'; User = 'admin'; Password = 'password'; SchemaVersion = 1
        Systems = @(@{ uri = "http://127.0.0.1:$port/redfish/v1/Systems/Node0"; system_type = 'Physical'; actions = @('ForceOff', 'On', 'Off') })
    } | ConvertTo-Json -Depth 5
    Invoke-RestMethod -Method Post -Uri "$($Server.Url)/hsm/v2/Inventory/RedfishEndpoints" -ContentType 'application/json' -Body $endpoint | Out-Null
    $script:Node = 'x1000c0s0b0n0'
    New-ChamiNode -Xname x1000c0s1b0n0 -Nid 11 | Out-Null
    New-ChamiNode -Xname x1000c0s1b0n1 -Nid 12 | Out-Null
}

AfterAll {
    Stop-ChamiServer -Server $script:Server | Out-Null
    Disconnect-ChamiDatabase -Confirm:$false | Out-Null
    Remove-Item $script:Temp -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Lock-ChamiComponent, Unlock-ChamiComponent and Get-ChamiLock' {
    It 'locks from the pipeline, reports each refused component as its own error, and shows the state' {
        $locked = 'x1000c0s1b0n0', 'x1000c0s1b0n1' | Lock-ChamiComponent
        $locked.ID | Should -Be @('x1000c0s1b0n0', 'x1000c0s1b0n1')
        $locked.Locked | Should -Be @($true, $true)
        $locked[0].GetType().FullName | Should -Be 'OpenChami.Core.Locks.ComponentLockStatus'

        $again = Lock-ChamiComponent -Xname x1000c0s1b0n0, x9c0s0b0n0 -ErrorVariable refused -ErrorAction SilentlyContinue
        $again | Should -BeNullOrEmpty
        @($refused.FullyQualifiedErrorId | ForEach-Object { ($_ -split ',')[0] }) | Sort-Object | Should -Be @('ComponentLocked', 'ComponentNotFound')
        (Get-ChamiLock -Locked).ID | Should -Be @('x1000c0s1b0n0', 'x1000c0s1b0n1')
        (Get-ChamiComponent -Xname x1000c0s1b0n0).Locked | Should -BeTrue

        Unlock-ChamiComponent -Xname x1000c0s1b0n1 | Out-Null
        (Get-ChamiLock -Xname x1000c0s1b0n1).Locked | Should -BeFalse
        Unlock-ChamiComponent -Xname x1000c0s1b0n1 -ErrorVariable notLocked -ErrorAction SilentlyContinue
        $notLocked[0].FullyQualifiedErrorId | Should -BeLike 'ComponentUnlocked,*'
    }

    It '-Rigid refuses the whole request at the first failure and changes nothing' {
        Lock-ChamiComponent -Xname x1000c0s1b0n0, x1000c0s1b0n1 -Rigid -ErrorVariable refused -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $refused[0].FullyQualifiedErrorId | Should -BeLike 'LockRequestRefused,*'
        (Get-ChamiLock -Xname x1000c0s1b0n1).Locked | Should -BeFalse
        Unlock-ChamiComponent -Xname x1000c0s1b0n0 | Out-Null
    }
}

Describe 'New-ChamiReservation and Remove-ChamiReservation' {
    It 'reserves for a duration, shows it without keys, and releases it with the key from the pipeline' {
        $grant = New-ChamiReservation -Xname x1000c0s1b0n0 -Duration 5
        $grant.DeputyKey | Should -BeLike 'x1000c0s1b0n0:dk:*'
        $grant.ReservationKey | Should -BeLike 'x1000c0s1b0n0:rk:*'
        $grant.ExpirationTime | Should -BeGreaterThan ([DateTime]::UtcNow.AddMinutes(4))

        $status = Get-ChamiLock -Reserved
        $status.ID | Should -Be 'x1000c0s1b0n0'
        $status.ExpirationTime | Should -Be $grant.ExpirationTime
        ($status | Out-String) | Should -Not -Match ':rk:'

        New-ChamiReservation -Xname x1000c0s1b0n0 -ErrorVariable taken -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $taken[0].FullyQualifiedErrorId | Should -BeLike 'ComponentReserved,*'

        $released = $grant | Remove-ChamiReservation -Confirm:$false
        $released.Reserved | Should -BeFalse
        Get-ChamiLock -Reserved | Should -BeNullOrEmpty
    }

    It 'an administrator removes a reservation without its key' {
        New-ChamiReservation -Xname x1000c0s1b0n1 | Out-Null
        (Get-ChamiLock -Xname x1000c0s1b0n1).Reserved | Should -BeTrue
        Remove-ChamiReservation -Xname x1000c0s1b0n1 -Confirm:$false | Out-Null
        (Get-ChamiLock -Xname x1000c0s1b0n1).Reserved | Should -BeFalse
    }
}

Describe 'Power cmdlets honour reservations' {
    It 'refuses a reserved node without its key, before anything is sent, and accepts it with the key' {
        $grant = New-ChamiReservation -Xname $Node -Duration 2
        Restart-ChamiNode -Xname $Node -WhatIf -ErrorVariable refused -ErrorAction SilentlyContinue
        @($refused).Count | Should -Be 1
        $refused[0].FullyQualifiedErrorId | Should -BeLike 'ComponentReserved,*'
        $refused[0].Exception.Message | Should -BeLike "Unable to reserve component $Node*Component is Reserved*"

        # With the key (bound from the reservation's DeputyKey by the pipeline) it gets as far as -WhatIf.
        $grant | Stop-ChamiNode -Force -WhatIf -ErrorVariable withKey -ErrorAction SilentlyContinue
        @($withKey).Count | Should -Be 0
        Stop-ChamiNode -Xname $Node -Force -ReservationKey $grant.ReservationKey -WhatIf -ErrorVariable withOwnerKey -ErrorAction SilentlyContinue
        @($withOwnerKey).Count | Should -Be 0
        $grant | Remove-ChamiReservation -Confirm:$false | Out-Null
    }

    It 'refuses a locked node' {
        Lock-ChamiComponent -Xname $Node | Out-Null
        Start-ChamiNode -Xname $Node -WhatIf -ErrorVariable refused -ErrorAction SilentlyContinue
        $refused[0].Exception.Message | Should -BeLike '*Component is Locked*'
        Unlock-ChamiComponent -Xname $Node | Out-Null
        Start-ChamiNode -Xname $Node -WhatIf -ErrorVariable free -ErrorAction SilentlyContinue
        @($free).Count | Should -Be 0
    }
}
