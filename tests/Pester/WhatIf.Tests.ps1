<#
    -WhatIf on every state-changing cmdlet leaves the store exactly as it was (a full export of every
    collection in the file, read with LiteDB directly, before and after).

    The list of cmdlets comes from Get-Command (every cmdlet with SupportsShouldProcess), so a new
    ShouldProcess cmdlet FAILS here until someone adds a row to $Samples: nobody can add one without
    a WhatIf test. A row gives arguments that would really change something without -WhatIf
    (existing targets for Set/Remove, new ones for New), and optionally a Check that the session
    state it could change (servers, connection) is untouched too.
#>

BeforeDiscovery {
    Import-Module $env:OPENCHAMI_MODULE -Force
    $script:ShouldProcessCases = @(
        Get-Command -Module OpenChami -CommandType Cmdlet | Sort-Object Name | Where-Object {
            ([System.Management.Automation.CmdletAttribute]::GetCustomAttribute($_.ImplementingType, [System.Management.Automation.CmdletAttribute])).SupportsShouldProcess
        } | ForEach-Object { @{ Name = $_.Name } }
    )
}

BeforeAll {
    Import-Module $env:OPENCHAMI_MODULE -Force
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:Folder = New-TestFolder
    $script:Database = Join-Path $Folder 'whatif.db'
    Connect-ChamiDatabase -Path $Database | Out-Null
    New-ChamiNode -Xname x1000c0s0b0n0 -MacAddress 02:00:00:00:00:01 -IPAddress 10.0.0.1 -Group compute | Out-Null
    New-ChamiNode -Xname x1000c0s0b0n1 -MacAddress 02:00:00:00:00:02 -Group compute, gpu | Out-Null
    New-ChamiComponent -Xname x1000c0s0b0 | Out-Null
    $script:Server = Start-ChamiServer -Port 0

    # One row per ShouldProcess cmdlet. Add yours when you add a cmdlet with SupportsShouldProcess.
    $script:Samples = @{
        'New-ChamiNode'            = @{ Arguments = @{ Xname = 'x1000c0s1b0n0'; MacAddress = '02:00:00:00:01:01'; IPAddress = '10.0.1.1'; Group = 'compute', 'new-group' } }
        'Set-ChamiNode'            = @{ Arguments = @{ Xname = 'x1000c0s0b0n0'; Role = 'Service'; Nid = 99; Enabled = $false } }
        'Remove-ChamiNode'         = @{ Arguments = @{ Xname = 'x1000c0s0b0n1' } }
        'New-ChamiComponent'       = @{ Arguments = @{ Xname = 'x1000c0s2b0' } }
        'Set-ChamiComponent'       = @{ Arguments = @{ Xname = 'x1000c0s0b0n0'; State = 'Off'; Force = $true } }
        'Remove-ChamiComponent'    = @{ Arguments = @{ Xname = 'x1000c0s0b0' } }
        'Disconnect-ChamiDatabase' = @{ Arguments = @{}; Check = { (Get-ChamiDatabase).Path | Should -Be $Database } }
        'Start-ChamiServer'        = @{ Arguments = @{ Port = 0 }; Check = { @(Get-ChamiServer).Count | Should -Be 1 } }
        'Stop-ChamiServer'         = @{ Arguments = @{}; Check = { $Server.IsRunning | Should -BeTrue; @(Get-ChamiServer).Count | Should -Be 1 } }
    }
}

AfterAll {
    Stop-ChamiServer
    Disconnect-ChamiDatabase -Confirm:$false
    Remove-Item $Folder -Recurse -Force -ErrorAction SilentlyContinue
}

Describe '-WhatIf changes nothing' {
    It 'has ShouldProcess cmdlets to test' {
        $ShouldProcessCases.Count | Should -BeGreaterThan 5
    }

    It '<Name> -WhatIf leaves the store unchanged' -ForEach $ShouldProcessCases {
        $Samples.ContainsKey($Name) | Should -BeTrue -Because "$Name supports ShouldProcess: add a row for it to `$Samples in WhatIf.Tests.ps1"
        $sample = $Samples[$Name]
        $before = Get-ChamiStoreSnapshot $Database

        $arguments = $sample.Arguments
        $output = & $Name @arguments -WhatIf -ErrorVariable errors

        $errors | Should -BeNullOrEmpty -Because 'the sample arguments are valid; -WhatIf must only skip the change'
        $output | Should -BeNullOrEmpty
        Get-ChamiStoreSnapshot $Database | Should -Be $before
        if ($sample.Check) { & $sample.Check }
    }

    It '-WhatIf still reports what the real run would refuse (<Command>), and writes nothing' -ForEach @(
        @{ Command = 'Set-ChamiNode'; Arguments = @{ Xname = 'x1000c0s0b0n0'; Role = 'Wizard' }; ErrorId = 'InvalidRole' }
        @{ Command = 'Set-ChamiNode'; Arguments = @{ Xname = 'x1000c0s9b0n0'; Role = 'Service' }; ErrorId = 'NodeNotFound' }
        @{ Command = 'Set-ChamiComponent'; Arguments = @{ Xname = 'x1000c0s0b0n0'; State = 'Empty' }; ErrorId = 'StateTransitionNotAllowed' }
        @{ Command = 'New-ChamiNode'; Arguments = @{ Xname = 'x1000c0s1b0n0'; MacAddress = 'nonsense' }; ErrorId = 'InvalidMacAddress' }
        @{ Command = 'Remove-ChamiNode'; Arguments = @{ Xname = 'x1000c0s9b0n0' }; ErrorId = 'NodeNotFound' }
        @{ Command = 'Remove-ChamiComponent'; Arguments = @{ Xname = 'x1000c0s9b0' }; ErrorId = 'ComponentNotFound' }
    ) {
        $before = Get-ChamiStoreSnapshot $Database
        & $Command @Arguments -WhatIf -ErrorVariable errors -ErrorAction SilentlyContinue
        @($errors).Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -BeLikeExactly "$ErrorId,*"
        Get-ChamiStoreSnapshot $Database | Should -Be $before
    }

    It 'the same samples without -WhatIf do change the store (so the comparison above can fail)' {
        $before = Get-ChamiStoreSnapshot $Database
        Set-ChamiNode -Xname x1000c0s0b0n0 -Role Service
        Get-ChamiStoreSnapshot $Database | Should -Not -Be $before
    }
}
