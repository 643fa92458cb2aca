# Boot configurations at the prompt (spec/boot-service.md §3, §5, §6): the *-ChamiBootConfig cmdlets, their
# pipeline, -WhatIf and errors, Get-ChamiBootScript -Explain, and the same configurations over /boot-service and /boot/v1.
BeforeAll {
    Import-Module $env:OPENCHAMI_MODULE -Force
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
}

Describe 'Boot configuration cmdlets' {
    BeforeAll {
        $db = Connect-ChamiTestDatabase -Name bootconfig
        New-ChamiNode -Xname x1000c0s0b0n0 -Nid 1 -MacAddress 52:54:00:be:ef:01 -Group compute | Out-Null
        New-ChamiNode -Xname x1000c0s1b0n0 -Nid 2 -MacAddress 52:54:00:be:ef:02 | Out-Null
    }
    AfterAll {
        Disconnect-ChamiDatabase
        if ($db.Path) { Remove-Item $db.Path -ErrorAction SilentlyContinue }
    }

    It 'creates, lists by wildcard and by uid, changes through the pipeline and removes' {
        $created = New-ChamiBootConfig -Name compute -Group compute -Kernel http://k/compute -Initrd http://k/initrd -Params quiet -Priority 10
        $created.Uid | Should -Match '^bootconfiguration-[0-9a-f]{8}$'
        $created.Groups | Should -Be @('compute')
        New-ChamiBootConfig -Name everyone -Kernel http://k/all | Out-Null
        @(Get-ChamiBootConfig).Name | Should -Be @('compute', 'everyone')
        @(Get-ChamiBootConfig comp*).Name | Should -Be @('compute')
        (Get-ChamiBootConfig -Uid $created.Uid).Name | Should -Be 'compute'

        Get-ChamiBootConfig comp* | Set-ChamiBootConfig -Kernel http://k/compute-2 -Host 'x1000c0s*'
        $changed = Get-ChamiBootConfig compute
        $changed.Kernel | Should -Be 'http://k/compute-2'
        $changed.Hosts | Should -Be @('x1000c0s*')
        $changed.Initrd | Should -Be 'http://k/initrd'
        $changed.Uid | Should -Be $created.Uid

        (Get-ChamiBootScript -Xname x1000c0s0b0n0).Kernel | Should -Be 'http://k/compute-2'
        Get-ChamiBootConfig everyone | Remove-ChamiBootConfig -Confirm:$false
        @(Get-ChamiBootConfig).Name | Should -Be @('compute')
    }

    It 'previews with -WhatIf and writes nothing' {
        New-ChamiBootConfig -Name preview -Kernel http://k/p -WhatIf
        Set-ChamiBootConfig compute -Kernel http://k/never -WhatIf
        Remove-ChamiBootConfig compute -WhatIf
        @(Get-ChamiBootConfig).Name | Should -Be @('compute')
        (Get-ChamiBootConfig compute).Kernel | Should -Be 'http://k/compute-2'
    }

    It 'reports bad input with stable error ids and stores nothing' {
        { New-ChamiBootConfig -Name bad -Kernel k -MacAddress zz -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidMacAddress,OpenChami.PowerShell.Commands.Boot.NewChamiBootConfigCommand'
        { New-ChamiBootConfig -Name bad -Kernel k -Host 'node[1' -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidBootHost,OpenChami.PowerShell.Commands.Boot.NewChamiBootConfigCommand'
        { New-ChamiBootConfig -Name bad -Kernel k -Host 'x1000c0s[1]*' -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidBootHostGlob,OpenChami.PowerShell.Commands.Boot.NewChamiBootConfigCommand'
        { New-ChamiBootConfig -Name compute -Kernel k -ErrorAction Stop } | Should -Throw -ErrorId 'BootConfigurationExists,OpenChami.PowerShell.Commands.Boot.NewChamiBootConfigCommand'
        { Set-ChamiBootConfig missing -Kernel k -ErrorAction Stop } | Should -Throw -ErrorId 'BootConfigurationNotFound,OpenChami.PowerShell.Commands.Boot.SetChamiBootConfigCommand'
        { Get-ChamiBootConfig missing -ErrorAction Stop } | Should -Throw -ErrorId 'BootConfigurationNotFound,OpenChami.PowerShell.Commands.Boot.GetChamiBootConfigCommand'
        { New-ChamiBootConfig -Name bad -Kernel k -Priority 101 -ErrorAction Stop } | Should -Throw -ErrorId 'ParameterArgumentValidationError,OpenChami.PowerShell.Commands.Boot.NewChamiBootConfigCommand'
        @(Get-ChamiBootConfig).Name | Should -Be @('compute')
    }

    It 'explains the choice: every candidate, its score, the winner and why' {
        New-ChamiBootConfig -Name by-mac -MacAddress 52:54:00:BE:EF:01 -Kernel http://k/mac | Out-Null
        $explained = Get-ChamiBootScript -Xname x1000c0s0b0n0 -Explain
        $explained.Winner | Should -Be 'by-mac'
        @($explained.Candidates | ForEach-Object { "$($_.Name)=$($_.Score)" }) | Should -Be @('by-mac=100', 'compute=75')
        $explained.Reason | Should -Be 'by-mac wins with score 100 (mac 52:54:00:be:ef:01 (100)): the highest score (next: compute with 75)'
        $explained.BootV1Source | Should -Be 'mac:52:54:00:be:ef:01'
        $text = $explained | Out-String
        $text | Should -Match 'by-mac wins with score 100'
        $text | Should -Match '(?m)^\*\s+100\s+0\s+by-mac'
        (Get-ChamiBootConfig | Format-Table | Out-String) | Should -Match 'group:compute|x1000c0s\*'
    }

    It 'serves the same configurations over /boot-service and /boot/v1' {
        $server = Start-ChamiServer -Port 0
        try {
            $list = Invoke-RestMethod "$($server.Url)/boot-service/bootconfigurations"
            @($list.metadata.name) | Should -Be @('by-mac', 'compute')
            (Invoke-WebRequest "$($server.Url)/boot-service/bootscript?mac=52:54:00:be:ef:01").Content | Should -Match 'kernel --name kernel http://k/mac '
            (Invoke-WebRequest "$($server.Url)/boot/v1/bootscript?mac=52:54:00:be:ef:01").Content | Should -Match 'kernel --name kernel http://k/mac '
        }
        finally { $server | Stop-ChamiServer }
    }
}
