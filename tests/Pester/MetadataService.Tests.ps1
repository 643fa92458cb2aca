# metadata-service from the prompt (spec/metadata-service.md): profile cmdlets and the group's osVersion, read back
# over /metadata-service from a server on the same database.
BeforeAll {
    Import-Module $env:OPENCHAMI_MODULE -Force
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    function New-DemoCluster {
        Connect-ChamiTestDatabase -Name metadatasvc -InMemoryOnLiteDb | Out-Null
        New-ChamiNode -Xname x1000c0s0b0n0 -Nid 1 -MacAddress 52:54:00:00:00:01 -IPAddress 172.16.0.1 -Group compute | Out-Null
        Set-ChamiCloudInitDefaults -ClusterName demo -ShortName nid -NidLength 3
        Set-ChamiCloudInitGroup -Name compute -Template "#cloud-config`nruncmd: [true]`n" -MetaData @{ tier = 'base' } -OsVersion rocky9
    }
}

Describe 'Set/Get/Remove-ChamiCloudInitProfile' {
    BeforeEach { New-DemoCluster }
    AfterEach { Disconnect-ChamiDatabase | Out-Null }

    It 'creates, changes only the parts given, and lists by group with wildcards' {
        $base = Set-ChamiCloudInitProfile -Name gpu-base -Group compute -MetaData @{ tier = 'gpu' } -PassThru
        $base | Should -BeOfType OpenChami.Core.MetadataService.CloudInitProfileInfo
        $base.Active | Should -BeTrue
        $base.Uid | Should -Match '^profile-[0-9a-f]{8}$'
        Set-ChamiCloudInitProfile -Name gpu-test -Group compute -Parent gpu-base -Template "#cloud-config`nruncmd: [nvidia-smi]`n" -ValidFor 1:00:00
        Set-ChamiCloudInitProfile -Name gpu-test -MetaData '{"driver":"560"}'
        $test = Get-ChamiCloudInitProfile gpu-test
        $test.Parent | Should -Be gpu-base
        $test.Template | Should -Be "#cloud-config`nruncmd: [nvidia-smi]`n"
        $test.MetaData.ToJsonString() | Should -Be '{"driver":"560"}'
        $test.ExpiresAt | Should -BeGreaterThan ([datetime]::UtcNow.AddMinutes(50))
        (Get-ChamiCloudInitProfile -Name 'gpu-*' -Group compute).Name | Should -Be @('gpu-base', 'gpu-test')
        (Get-ChamiCloudInitGroup compute).Versions['osVersion'] | Should -Be rocky9
    }

    It 'an expired profile stays listed but inactive; -NoExpiry brings it back' {
        Set-ChamiCloudInitProfile -Name old -Group compute -MetaData @{ tier = 'old' } -ExpiresAt ([datetime]::UtcNow.AddMinutes(-1))
        (Get-ChamiCloudInitProfile old).Active | Should -BeFalse
        (Set-ChamiCloudInitProfile -Name old -NoExpiry -PassThru).Active | Should -BeTrue
        (Get-ChamiCloudInitProfile old).ExpiresAt | Should -BeNullOrEmpty
    }

    It 'refuses bad input with stable error ids and stores nothing' {
        { Set-ChamiCloudInitProfile -Name p -Group compute -Template "## template: jinja`n#cloud-config`nhostname: {{ ds.meta_data.nodename }}`n" -ErrorAction Stop } |
            Should -Throw -ErrorId 'UndefinedTemplateVariable*'
        { Set-ChamiCloudInitProfile -Name p -MetaData @{ a = 1 } -ErrorAction Stop } | Should -Throw -ErrorId 'GroupRequired*'
        { Set-ChamiCloudInitProfile -Name p -Group compute -Parent nope -ErrorAction Stop } | Should -Throw -ErrorId 'ParentNotFound*'
        Get-ChamiCloudInitProfile | Should -BeNullOrEmpty
        { Get-ChamiCloudInitProfile nosuch -ErrorAction Stop } | Should -Throw -ErrorId 'CloudInitProfileNotFound*'
    }

    It 'removes with -Confirm:$false, honours -WhatIf, keeps a parent and completes names' {
        Set-ChamiCloudInitProfile -Name gpu-base -Group compute
        Set-ChamiCloudInitProfile -Name gpu-test -Group compute -Parent gpu-base
        Remove-ChamiCloudInitProfile gpu-test -WhatIf
        (Get-ChamiCloudInitProfile).Count | Should -Be 2
        { Remove-ChamiCloudInitProfile gpu-base -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'ProfileInUse*'
        $completion = TabExpansion2 -inputScript 'Remove-ChamiCloudInitProfile -Name gpu-t' -cursorColumn 40
        $completion.CompletionMatches.CompletionText | Should -Contain 'gpu-test'
        Get-ChamiCloudInitProfile | Remove-ChamiCloudInitProfile -Confirm:$false -ErrorAction SilentlyContinue
        Get-ChamiCloudInitProfile gpu-base | Remove-ChamiCloudInitProfile -Confirm:$false
        Get-ChamiCloudInitProfile | Should -BeNullOrEmpty
    }

    It 'is what /metadata-service serves: the profile over the group, osVersion on /groups' {
        Set-ChamiCloudInitProfile -Name gpu -Group compute -MetaData @{ tier = 'gpu' } -Template "#cloud-config`nruncmd: [nvidia-smi]`n"
        $server = Start-ChamiServer -Port 0
        try {
            $group = @(Invoke-RestMethod "$($server.Url)/metadata-service/groups")[0]
            $group.spec.osVersion | Should -Be rocky9
            $group.spec.template | Should -Be "#cloud-config`nruncmd: [true]`n"
            @(Invoke-RestMethod "$($server.Url)/metadata-service/profiles").metadata.name | Should -Be @('gpu')
            function Get-NodeText([string] $Path) {
                # YAML and cloud-config bodies arrive as bytes in Invoke-WebRequest
                $response = Invoke-WebRequest "$($server.Url)$Path" -Headers @{ 'X-Forwarded-For' = '172.16.0.1' }
                if ($response.Content -is [byte[]]) { [Text.Encoding]::UTF8.GetString($response.Content) } else { $response.Content }
            }
            Get-NodeText /metadata-service/meta-data | Should -Match '(?m)^\s+tier: gpu$'
            Get-NodeText /metadata-service/compute.yaml | Should -Be "#cloud-config`nruncmd: [nvidia-smi]`n"
        }
        finally { $server | Stop-ChamiServer -Confirm:$false }
    }
}

Describe 'Set/Get/Remove-ChamiWireGuardPeer' {
    BeforeAll {
        # 32 bytes each, as `wg pubkey` prints them
        $script:HeadKey = [Convert]::ToBase64String([Text.Encoding]::ASCII.GetBytes('head-public-key-for-wireguard-00'))
        $script:NodeKey = [Convert]::ToBase64String([Text.Encoding]::ASCII.GetBytes('node-public-key-for-wireguard-01'))
    }
    BeforeEach { New-DemoCluster }
    AfterEach { Disconnect-ChamiDatabase | Out-Null }

    It 'creates, changes only the parts given, filters by name and xname, and is what /metadata-service lists' {
        $head = Set-ChamiWireGuardPeer -Name head -PublicKey $HeadKey -Endpoint 172.16.0.254:51820 -AllowedIPs 10.87.0.1/32 -PassThru
        $head | Should -BeOfType OpenChami.Core.MetadataService.WireGuardPeerInfo
        $head.Uid | Should -Match '^wireguardpeer-[0-9a-f]{8}$'
        Set-ChamiWireGuardPeer -Name nid001 -PublicKey $NodeKey -Xname X1000C0S0B0N0 -AllowedIPs 10.87.0.11/32 -PersistentKeepalive 25
        Set-ChamiWireGuardPeer -Name head -PersistentKeepalive 15
        $head = Get-ChamiWireGuardPeer head
        $head.Endpoint | Should -Be 172.16.0.254:51820
        $head.AllowedIPs | Should -Be @('10.87.0.1/32')
        $head.PersistentKeepalive | Should -Be 15
        (Get-ChamiWireGuardPeer -Xname 'x1000c0s0b0*').Name | Should -Be nid001
        (Get-ChamiWireGuardPeer nid001).Xname | Should -Be x1000c0s0b0n0
        (Get-ChamiWireGuardPeer '*').Name | Should -Be @('head', 'nid001')
        $server = Start-ChamiServer -Port 0
        try {
            $peers = @(Invoke-RestMethod "$($server.Url)/metadata-service/wireguardpeers" | ForEach-Object { $_ })
            $peers.metadata.name | Should -Be @('head', 'nid001')
            ($peers | Where-Object { $_.metadata.name -eq 'head' }).spec.public_key | Should -Be $HeadKey
            ($peers | Where-Object { $_.metadata.name -eq 'nid001' }).spec.persistent_keepalive | Should -Be 25
        }
        finally { $server | Stop-ChamiServer -Confirm:$false }
    }

    It 'refuses bad input with stable error ids and stores nothing' {
        { Set-ChamiWireGuardPeer -Name p -Endpoint 10.0.0.1:51820 -ErrorAction Stop } | Should -Throw -ErrorId 'PublicKeyRequired*'
        { Set-ChamiWireGuardPeer -Name p -PublicKey 'not-a-key' -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidPublicKey*'
        { Set-ChamiWireGuardPeer -Name p -PublicKey ([Convert]::ToBase64String([byte[]]::new(31))) -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidPublicKey*'
        { Set-ChamiWireGuardPeer -Name p -PublicKey $HeadKey -Endpoint 10.0.0.1 -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidEndpoint*'
        { Set-ChamiWireGuardPeer -Name p -PublicKey $HeadKey -AllowedIPs 10.87.0.300/32 -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidAllowedIp*'
        { Set-ChamiWireGuardPeer -Name p -PublicKey $HeadKey -Xname 'node 1' -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidXname*'
        Get-ChamiWireGuardPeer | Should -BeNullOrEmpty
        { Get-ChamiWireGuardPeer nosuch -ErrorAction Stop } | Should -Throw -ErrorId 'WireGuardPeerNotFound*'
        # a failed change of an existing peer leaves it as it was
        Set-ChamiWireGuardPeer -Name head -PublicKey $HeadKey -Endpoint 172.16.0.254:51820
        { Set-ChamiWireGuardPeer -Name head -Endpoint 'bad endpoint' -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidEndpoint*'
        (Get-ChamiWireGuardPeer head).Endpoint | Should -Be 172.16.0.254:51820
    }

    It 'removes with -Confirm:$false, honours -WhatIf, and completes names' {
        Set-ChamiWireGuardPeer -Name head -PublicKey $HeadKey
        Set-ChamiWireGuardPeer -Name nid001 -PublicKey $NodeKey
        Remove-ChamiWireGuardPeer head -WhatIf
        @(Get-ChamiWireGuardPeer).Count | Should -Be 2
        $line = 'Remove-ChamiWireGuardPeer -Name ni'
        $completion = TabExpansion2 -inputScript $line -cursorColumn $line.Length
        $completion.CompletionMatches.CompletionText | Should -Contain 'nid001'
        (Remove-ChamiWireGuardPeer head -Confirm:$false -PassThru).Name | Should -Be head
        Get-ChamiWireGuardPeer | Remove-ChamiWireGuardPeer -Confirm:$false
        Get-ChamiWireGuardPeer | Should -BeNullOrEmpty
        { Remove-ChamiWireGuardPeer head -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'WireGuardPeerNotFound*'
    }
}
