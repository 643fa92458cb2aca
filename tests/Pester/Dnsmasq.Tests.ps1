# Export-ChamiDnsmasqConfig and the error paths of Start-ChamiServer -Dnsmasq. Nothing here runs dnsmasq
# as a service on this machine (only `dnsmasq --test`); the running dnsmasq is tested inside a private
# network namespace by DnsmasqBoot.Tests.ps1.
BeforeDiscovery {
    # CI installs dnsmasq-base (.ci/apt-packages.txt); elsewhere the dnsmasq --test checks are skipped, saying why.
    $script:dnsmasqInstalled = [bool](@('/usr/sbin/dnsmasq', '/sbin/dnsmasq') | Where-Object { Test-Path -LiteralPath $_ })
    if (-not $script:dnsmasqInstalled) { Write-Warning 'dnsmasq not installed: dnsmasq --test checks skipped (apt-get install dnsmasq-base)' }
}
BeforeAll {
    Import-Module $env:OPENCHAMI_MODULE -Force
    $script:dnsmasqInstalled = [bool](@('/usr/sbin/dnsmasq', '/sbin/dnsmasq') | Where-Object { Test-Path -LiteralPath $_ })
}

Describe 'Export-ChamiDnsmasqConfig' -Tag LiteDbOnly {
    BeforeAll {
        Connect-ChamiDatabase -InMemory | Out-Null
        1..40 | ForEach-Object {
            New-ChamiNode -Xname ("x1000c0s{0}b0n0" -f $_) -Nid $_ -MacAddress ('52:54:00:aa:00:{0:x2}' -f $_) -IPAddress "10.5.0.$($_ + 10)" | Out-Null
        }
        New-ChamiNode -Xname x1000c0s50b0n0 -Nid 50 -MacAddress 52:54:00:aa:01:01 | Out-Null   # no address: no lease
        $common = @{
            Interface = 'br-mgmt'; DhcpRange = '10.5.0.0/24'; Router = '10.5.0.1'; DnsServer = '10.5.0.1'
            Domain = 'cluster.test'; ServerUrl = 'http://10.5.0.1:8081'
        }
        $text = Export-ChamiDnsmasqConfig @common -Validate:$script:dnsmasqInstalled
        $lines = $text -split "`n"
        $work = Join-Path ([IO.Path]::GetTempPath()) "chami-dnsmasq-pester-$([guid]::NewGuid().ToString('n').Substring(0, 8))"
        New-Item -ItemType Directory -Path $work | Out-Null
    }
    AfterAll {
        Disconnect-ChamiDatabase
        Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction SilentlyContinue
    }

    It 'passes dnsmasq --test' -Skip:(-not $script:dnsmasqInstalled) {
        $file = Join-Path $work 'check.conf'
        Set-Content -LiteralPath $file -Value $text -NoNewline
        $out = & /usr/sbin/dnsmasq --test "--conf-file=$file" 2>&1
        $LASTEXITCODE | Should -Be 0 -Because "$out"
    }

    It 'has a dhcp-host and a DNS name for every NIC with an address, and nothing for the others' {
        $hosts = @($lines | Where-Object { $_ -like 'dhcp-host=*' })
        $hosts.Count | Should -Be 40
        foreach ($node in Get-ChamiNode | Where-Object { $_.IPAddress }) {
            $lines | Should -Contain "dhcp-host=$($node.MacAddress[0]),$($node.IPAddress[0]),$($node.Xname)"
            $lines | Should -Contain "host-record=$($node.Xname),$($node.Xname).cluster.test,$($node.IPAddress[0])"
        }
        $text | Should -Not -Match '52:54:00:aa:01:01'
    }

    It 'hands iPXE the fixed boot-script URL and PXE ROMs the iPXE binaries by client architecture' {
        $lines | Should -Contain 'dhcp-boot=tag:ipxe,http://10.5.0.1:8081/boot/v1/bootscript'
        $lines | Should -Contain 'dhcp-userclass=set:ipxe,iPXE'
        $lines | Should -Contain 'dhcp-match=set:ipxe,175'
        $lines | Should -Contain 'dhcp-match=set:efi-x86_64,option:client-arch,7'
        $lines | Should -Contain 'dhcp-boot=tag:!ipxe,tag:!efi-x86_64,undionly.kpxe'
        $lines | Should -Contain 'enable-tftp'
        $lines | Should -Contain 'tftp-root=/usr/lib/ipxe'
        $lines | Should -Contain 'interface=br-mgmt'
        $lines | Should -Contain 'dhcp-range=10.5.0.0,static,255.255.255.0,1h'
    }

    It 'names hosts by a NID pattern when asked' {
        $byNid = Export-ChamiDnsmasqConfig @common -HostNamePattern 'nid{nid:000}'
        ($byNid -split "`n") | Should -Contain 'dhcp-host=52:54:00:aa:00:07,10.5.0.17,nid007'
        ($byNid -split "`n") | Should -Contain 'host-record=nid007,nid007.cluster.test,x1000c0s7b0n0,10.5.0.17'
    }

    It 'writes -Path only when ShouldProcess agrees, and returns the file' {
        $path = Join-Path $work 'dnsmasq.conf'
        Export-ChamiDnsmasqConfig @common -Path $path -WhatIf
        Test-Path -LiteralPath $path | Should -BeFalse
        $file = Export-ChamiDnsmasqConfig @common -Path $path
        $file | Should -BeOfType System.IO.FileInfo
        $file.FullName | Should -Be $path
        Get-Content -LiteralPath $path -Raw | Should -BeExactly $text.MainConfig
    }

    It 'refuses a bad range with InvalidDhcpRange and writes nothing' {
        $path = Join-Path $work 'bad.conf'
        { Export-ChamiDnsmasqConfig @common -DhcpRange '10.5.0.200-10.5.0.100' -Path $path -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidDhcpRange,OpenChami.PowerShell.Commands.Dhcp.ExportChamiDnsmasqConfigCommand'
        $err = $null
        try { Export-ChamiDnsmasqConfig @common -DhcpRange '10.5.0.200-10.5.0.100' -Path $path -ErrorAction Stop } catch { $err = $_ }
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err.Exception.Message | Should -Match 'end address is below the start'
        Test-Path -LiteralPath $path | Should -BeFalse
    }

    It 'reports what dnsmasq itself rejects as DnsmasqConfigInvalid with dnsmasq''s message' -Skip:(-not $script:dnsmasqInstalled) {
        $err = $null
        try { Export-ChamiDnsmasqConfig @common -ExtraOption 'no-such-option=1' -Validate -ErrorAction Stop } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -BeLike 'DnsmasqConfigInvalid,*'
        $err.Exception.Message | Should -Match 'bad option at line \d+'
    }

    It 'declares its output types and supports -WhatIf' {
        $cmd = Get-Command Export-ChamiDnsmasqConfig
        $cmd.OutputType.Type | Should -Contain ([OpenChami.Core.Dhcp.DnsmasqConfiguration])
        $cmd.OutputType.Type | Should -Contain ([System.IO.FileInfo])
        $cmd.Parameters.Keys | Should -Contain 'WhatIf'
        (Get-Module OpenChami).ExportedCmdlets.Keys | Should -Contain 'Export-ChamiDnsmasqConfig'
    }
}

Describe 'Start-ChamiServer -Dnsmasq failures' -Tag LiteDbOnly {
    BeforeAll { Connect-ChamiDatabase -InMemory | Out-Null }
    AfterAll { Disconnect-ChamiDatabase }

    It 'says DnsmasqNotFound when dnsmasq is missing, and leaves no server running' {
        $err = $null
        try { Start-ChamiServer -Port 0 -Dnsmasq -DnsmasqPath '/nonexistent/dnsmasq' -ErrorAction Stop } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -BeLike 'DnsmasqNotFound,*'
        $err.Exception.Message | Should -Match 'dnsmasq was not found'
        @(Get-ChamiServer).Count | Should -Be 0
    }

    It 'says DnsmasqConfigInvalid (dnsmasq --test) before starting dnsmasq, and leaves no server running' -Skip:(-not $script:dnsmasqInstalled) {
        $state = Join-Path ([IO.Path]::GetTempPath()) "chami-dnsmasq-state-$([guid]::NewGuid().ToString('n').Substring(0, 8))"
        try {
            $err = $null
            try { Start-ChamiServer -Port 0 -Dnsmasq -DnsmasqStateDirectory $state -DnsmasqOption 'no-such-option=1' -ErrorAction Stop } catch { $err = $_ }
            $err.FullyQualifiedErrorId | Should -BeLike 'DnsmasqConfigInvalid,*'
            $err.Exception.Message | Should -Match 'bad option at line \d+ of .*dnsmasq\.conf'
            @(Get-ChamiServer).Count | Should -Be 0
            Test-Path -LiteralPath (Join-Path $state 'dnsmasq.pid') | Should -BeFalse
        } finally {
            Remove-Item -LiteralPath $state -Recurse -Force -ErrorAction SilentlyContinue
        }
    }

    It 'refuses bad network options with their own error id' {
        $err = $null
        try { Start-ChamiServer -Port 0 -Dnsmasq -DnsmasqDhcpRange 'nonsense' -ErrorAction Stop } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -BeLike 'InvalidDhcpRange,*'
        @(Get-ChamiServer).Count | Should -Be 0
    }
}
