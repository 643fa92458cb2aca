# Boot cmdlets (BSS) as an operator uses them: pipeline bulk edits, -WhatIf, errors, and the
# script a node receives over HTTP compared with what Get-ChamiBootScript shows.
BeforeAll {
    Import-Module $env:OPENCHAMI_MODULE -Force
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    function Get-BootWriteCount { [OpenChami.PowerShell.Infrastructure.ChamiSession]::Current.BootParams.WriteTransactions }
}

Describe 'Set-ChamiBootParams on a 10,000-node pipeline' {
    BeforeAll {
        # A database file: LiteDB's in-memory stream is far slower for one 20,000-document transaction.
        $db = Connect-ChamiTestDatabase -Name boot10k
        Import-Module (Join-Path $PSScriptRoot 'BootTestSupport.psm1') -Force
        $clock = [Diagnostics.Stopwatch]::StartNew()
        Add-ChamiTestNodes -Count 10000 -Group compute
        Write-Host ("Registered 10,000 nodes in {0:N1} s" -f $clock.Elapsed.TotalSeconds)
        Set-ChamiBootParams -Default -Kernel 'http://boot/default/vmlinuz' -Params 'quiet console=ttyS0'
    }
    AfterAll {
        Disconnect-ChamiDatabase
        if ($db.Path) { Remove-Item $db.Path -ErrorAction SilentlyContinue }
    }

    It 'writes every node of the pipeline in ONE transaction' {
        $before = Get-BootWriteCount
        $clock = [Diagnostics.Stopwatch]::StartNew()
        Get-ChamiNode -Group compute | Set-ChamiBootParams -Kernel 'http://boot/v2/vmlinuz' -AddParam 'rd.debug'
        $elapsed = $clock.Elapsed
        Write-Host ("Get-ChamiNode -Group compute | Set-ChamiBootParams on 10,000 nodes: {0:N2} s" -f $elapsed.TotalSeconds)
        (Get-BootWriteCount) - $before | Should -Be 1
        $hosts = @(Get-ChamiBootParams | Where-Object Kind -EQ 'Host')
        $hosts.Count | Should -Be 10000
        $hosts[0].Kernel | Should -Be 'http://boot/v2/vmlinuz'
        # It started from what the nodes booted (Default) and added one argument.
        $hosts[0].Params | Should -Be 'quiet console=ttyS0 rd.debug'
        (Get-ChamiBootScript -Xname 'x1001c0s0b0n0').Source | Should -Be 'host:x1001c0s0b0n0'
        Remove-ChamiBootParams -Xname 'x1002c3s31b0n7' -Confirm:$false
        (Get-ChamiBootScript -Xname 'x1002c3s31b0n7').Source | Should -Be 'tag:Default'
    }

    It 'applies nothing when one item of the pipeline is bad' {
        $before = Get-BootWriteCount
        # 'not-an-xname' is bad input (a BMC's xname no longer is: BSS accepts any xname, spec/bss.md §4.2).
        $items = @(Get-ChamiNode -Group compute | Select-Object -ExpandProperty Xname) + 'not-an-xname' + 'x1001c0s0b0n1'
        $errors = $null
        { $items | Set-ChamiBootParams -RemoveParam 'rd.debug' -ErrorVariable errors -ErrorAction SilentlyContinue } |
            Should -Throw -ErrorId 'BootParamsBatchAborted,OpenChami.PowerShell.Commands.Boot.SetChamiBootParamsCommand'
        (Get-BootWriteCount) | Should -Be $before
        @(Get-ChamiBootParams | Where-Object { $_.Kind -eq 'Host' -and $_.Params -notlike '*rd.debug*' }).Count | Should -Be 0
    }

    It 'edits one kernel argument across many nodes with -AddParam/-RemoveParam' {
        Get-ChamiNode -Group compute | Select-Object -First 100 | Set-ChamiBootParams -RemoveParam 'console' -AddParam 'console=tty0'
        (Get-ChamiBootParams -Xname 'x1000c0s0b0n0').Params | Should -Be 'quiet rd.debug console=tty0'
        (Get-ChamiBootParams -Xname 'x1000c0s12b0n3').Params | Should -Be 'quiet rd.debug console=tty0'
        (Get-ChamiBootParams -Xname 'x1000c0s12b0n4').Params | Should -Be 'quiet console=ttyS0 rd.debug'
    }

    It 'warns per outranked node of a Default write, capped at 20 lines and a count' {
        $clock = [Diagnostics.Stopwatch]::StartNew()
        Set-ChamiBootParams -Default -AddParam 'loglevel=3' -WarningVariable warned -WarningAction SilentlyContinue
        Write-Host ("Set-ChamiBootParams -Default over 10,000 nodes with their own entries: {0:N2} s" -f $clock.Elapsed.TotalSeconds)
        # 9,999 nodes keep their own entries (one was removed above): 20 named, the rest counted.
        $warned.Count | Should -Be 21
        "$($warned[0])" | Should -Match '^x\d+c\d+s\d+b0n\d: the boot parameters set for Default do not apply: the node-level entry for x\d+c\d+s\d+b0n\d outranks them$'
        "$($warned[20])" | Should -Match '^\.\.\. and 9979 more node\(s\) boot from a more specific entry'
        (Get-ChamiBootParams -Default).Params | Should -Be 'quiet console=ttyS0 loglevel=3'
    }
}

Describe 'Boot cmdlets' {
    BeforeAll {
        Connect-ChamiTestDatabase -Name boot -InMemoryOnLiteDb
        New-ChamiNode -Xname x1000c0s0b0n0 -Nid 1 -MacAddress 52:54:00:be:ef:01 -Group compute | Out-Null
        New-ChamiNode -Xname x1000c0s0b0n1 -Nid 2 -MacAddress 52:54:00:be:ef:02 -Group compute -Role Service | Out-Null
        $server = Start-ChamiServer -Port 0
    }
    AfterAll {
        $server | Stop-ChamiServer
        Disconnect-ChamiDatabase
    }

    It 'Get-ChamiBootScript shows exactly what the node receives over HTTP, and where it came from' {
        Set-ChamiBootParams -Role Compute -Kernel 'http://boot/compute/vmlinuz' -Initrd 'http://boot/compute/initrd' -Params 'console=ttyS0'
        Set-ChamiBootParams -Default -Kernel 'http://boot/default/vmlinuz'
        $script = Get-ChamiBootScript -MacAddress '52-54-00-BE-EF-01'
        $script | Should -BeOfType ([OpenChami.Core.Boot.BootScript])
        $script.Node | Should -Be 'x1000c0s0b0n0'
        $script.Source | Should -Be 'tag:Compute'
        $script.Known | Should -BeTrue
        $http = (Invoke-WebRequest "$($server.Url)/boot/v1/bootscript?mac=52:54:00:be:ef:01").Content
        $script.Script | Should -BeExactly $http
        # The seed is the node's own signed cloud-init URL.
        $script.CommandLine | Should -Match ('^initrd=initrd console=ttyS0 xname=x1000c0s0b0n0 nid=1 BOOTIF=01-52-54-00-be-ef-01 ds=nocloud-net;s=' + [regex]::Escape("$($server.Url)/cloud-init/n/x1000c0s0b0n0.") + '[^ /]+/$')
        (Get-ChamiBootScript -Xname x1000c0s0b0n1).Source | Should -Be 'tag:Default'
        (Get-ChamiNode -Group compute | Get-ChamiBootScript).Count | Should -Be 2
    }

    It 'a change is visible to the very next boot request (no cache)' {
        Set-ChamiBootParams -Group compute -Kernel 'http://boot/group/vmlinuz'
        (Invoke-WebRequest "$($server.Url)/boot/v1/bootscript?name=x1000c0s0b0n1").Content | Should -Match 'kernel --name kernel http://boot/group/vmlinuz '
        Remove-ChamiBootParams -Group compute -Confirm:$false
        (Invoke-WebRequest "$($server.Url)/boot/v1/bootscript?name=x1000c0s0b0n1").Content | Should -Match 'kernel --name kernel http://boot/default/vmlinuz '
    }

    It 'keeps per-architecture variants apart' {
        Set-ChamiBootParams -Default -Arch aarch64 -Kernel 'http://boot/arm/vmlinuz'
        (Get-ChamiBootScript -Xname x1000c0s0b0n1 -Arch arm64).Kernel | Should -Be 'http://boot/arm/vmlinuz'
        (Get-ChamiBootScript -Xname x1000c0s0b0n1).Kernel | Should -Be 'http://boot/default/vmlinuz'
        $variant = Get-ChamiBootParams -Default -Arch arm64
        $variant.Arch | Should -Be 'arm64'
        $variant | Remove-ChamiBootParams -Confirm:$false
        @(Get-ChamiBootParams -Default).Count | Should -Be 1
    }

    It 'reports bad input with stable error ids and changes nothing' {
        $count = @(Get-ChamiBootParams).Count
        { Set-ChamiBootParams -MacAddress 'zz' -Kernel k -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidMacAddress,OpenChami.PowerShell.Commands.Boot.SetChamiBootParamsCommand'
        { Set-ChamiBootParams -Xname x9c0s0b0n0 -AddParam debug -ErrorAction Stop } | Should -Throw -ErrorId 'BootKernelRequired,OpenChami.PowerShell.Commands.Boot.SetChamiBootParamsCommand'
        { Remove-ChamiBootParams -MacAddress 52:54:00:00:00:00 -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'BootParamsNotFound,OpenChami.PowerShell.Commands.Boot.RemoveChamiBootParamsCommand'
        { Get-ChamiBootScript -MacAddress 52:54:00:00:00:09 -Arch x86_64 -ErrorAction Stop } | Should -Throw -ErrorId 'BootHostNotConfigured,OpenChami.PowerShell.Commands.Boot.GetChamiBootScriptCommand'
        @(Get-ChamiBootParams).Count | Should -Be $count
    }

    It 'exports the boot cmdlets with output types and table views' {
        foreach ($name in 'Get-ChamiBootParams', 'Set-ChamiBootParams', 'Remove-ChamiBootParams', 'Get-ChamiBootScript') {
            $command = Get-Command $name -Module OpenChami
            $command.OutputType.Type | Should -Not -BeNullOrEmpty
        }
        (Get-Command Set-ChamiBootParams).Parameters['WhatIf'] | Should -Not -BeNullOrEmpty
        (Get-ChamiBootScript -Xname x1000c0s0b0n0 | Format-Table | Out-String) | Should -Match 'Source'
        (Get-ChamiBootParams | Format-Table | Out-String) | Should -Match 'Kernel'
    }

    It 'warns per node when a more specific entry outranks what it sets, -WhatIf included' {
        Set-ChamiBootParams -Xname x1000c0s0b0n0 -Kernel 'http://boot/node/vmlinuz'
        Set-ChamiBootParams -MacAddress 52:54:00:be:ef:01 -Kernel 'http://boot/mac/vmlinuz' -WarningVariable warned -WarningAction SilentlyContinue
        @($warned).Count | Should -Be 1
        "$($warned[0])" | Should -BeExactly 'x1000c0s0b0n0: the boot parameters set for MAC 52:54:00:be:ef:01 do not apply: the node-level entry for x1000c0s0b0n0 outranks them'
        # Written all the same: a warning, not a refusal.
        (Get-ChamiBootParams -MacAddress 52:54:00:be:ef:01).Kernel | Should -Be 'http://boot/mac/vmlinuz'

        # -WhatIf warns the same and writes nothing; the Service node in the group does boot the group entry.
        Set-ChamiBootParams -Group compute -Kernel 'http://boot/group/vmlinuz' -WhatIf -WarningVariable previewed -WarningAction SilentlyContinue
        @($previewed).Count | Should -Be 1
        "$($previewed[0])" | Should -BeExactly 'x1000c0s0b0n0: the boot parameters set for group compute do not apply: the node-level entry for x1000c0s0b0n0 outranks them'
        @(Get-ChamiBootParams | Where-Object Kind -EQ 'Group').Count | Should -Be 0

        # An entry that reaches its node: no warning.
        Set-ChamiBootParams -MacAddress 52:54:00:be:ef:02 -Kernel 'http://boot/mac2/vmlinuz' -WarningVariable quiet -WarningAction SilentlyContinue
        @($quiet).Count | Should -Be 0
        Remove-ChamiBootParams -Xname x1000c0s0b0n0 -Confirm:$false
        Remove-ChamiBootParams -MacAddress 52:54:00:be:ef:01, 52:54:00:be:ef:02 -Confirm:$false
    }
}

Describe 'Set-ChamiBootParams -WhatIf' {
    It 'shows each node''s old and new command line and changes nothing' {
        $db = New-ChamiTestDatabase -Name boot-whatif
        $child = @"
Import-Module '$env:OPENCHAMI_MODULE'
Connect-ChamiDatabase $(Format-ChamiTestDatabaseArgument $db) | Out-Null
New-ChamiNode -Xname x1000c0s0b0n0 -Nid 1 -Group compute | Out-Null
New-ChamiNode -Xname x1000c0s0b0n1 -Nid 2 -Group compute | Out-Null
Set-ChamiBootParams -Xname x1000c0s0b0n0 -Kernel http://boot/a -Params 'quiet console=ttyS0'
Set-ChamiBootParams -Default -Kernel http://boot/d -Params 'ro'
Get-ChamiNode -Group compute | Set-ChamiBootParams -AddParam debug -WhatIf
'PARAMS=' + ((Get-ChamiBootParams | Sort-Object Value | ForEach-Object Params) -join '|')
"@
        try {
            $output = & ([Environment]::ProcessPath) (Join-Path $PSHOME 'pwsh.dll') -NoProfile -NonInteractive -Command $child 2>&1 | Out-String
            $output | Should -Match ([regex]::Escape("x1000c0s0b0n0: kernel http://boot/a; params 'quiet console=ttyS0' -> 'quiet console=ttyS0 debug'"))
            $output | Should -Match ([regex]::Escape("x1000c0s0b0n1 (inherits tag:Default): kernel http://boot/d; params 'ro' -> 'ro debug'"))
            $output | Should -Match ([regex]::Escape('PARAMS=ro|quiet console=ttyS0'))
        } finally {
            if ($db.Path) { Remove-Item $db.Path -ErrorAction SilentlyContinue }
        }
    }
}
