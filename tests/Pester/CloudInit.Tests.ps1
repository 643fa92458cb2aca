# cloud-init cmdlets as an operator uses them (spec/cloud-init.md), against the built module.
BeforeAll {
    Import-Module $env:OPENCHAMI_MODULE -Force
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:ComputeConfig = "## template: jinja`n#cloud-config`nusers:`n  - name: root`n    ssh_authorized_keys: {{ ds.meta_data.instance_data.v1.public_keys }}`n"
    function New-DemoCluster {
        Connect-ChamiTestDatabase -Name cloudinit -InMemoryOnLiteDb | Out-Null
        New-ChamiNode -Xname x1000c0s0b0n0 -Nid 1 -MacAddress 52:54:00:00:00:01 -IPAddress 172.16.0.1 -Group compute | Out-Null
        New-ChamiNode -Xname x1000c0s1b0n0 -Nid 2 -MacAddress 52:54:00:00:00:02 -IPAddress 172.16.0.2 -Group io | Out-Null
        Set-ChamiCloudInitDefaults -ClusterName demo -ShortName nid -NidLength 3 -PublicKey 'ssh-ed25519 AAAAhead root@head'
    }
}

Describe 'Set/Get/Remove-ChamiCloudInitGroup' {
    BeforeEach { New-DemoCluster }
    AfterEach { Disconnect-ChamiDatabase | Out-Null }

    It 'stores a Jinja cloud-config from a file byte for byte, with meta-data from a hashtable' {
        $file = Join-Path $TestDrive 'compute.yaml'
        [IO.File]::WriteAllText($file, $script:ComputeConfig)
        $group = Set-ChamiCloudInitGroup -Name compute -UserDataPath $file -Description 'compute nodes' -MetaData ([ordered]@{ syslog_aggregator = '172.16.0.254'; ports = @(1, 2) }) -PassThru
        $group | Should -BeOfType OpenChami.Core.CloudInit.CloudInitGroup
        $group.File.Content | Should -BeExactly $script:ComputeConfig
        $group.File.Filename | Should -Be 'compute.yaml'
        (Get-ChamiCloudInitGroup compute).MetaData.ToJsonString() | Should -Be '{"syslog_aggregator":"172.16.0.254","ports":[1,2]}'
    }

    It 'changes only the parts given and accepts meta-data as JSON text' {
        Set-ChamiCloudInitGroup -Name compute -UserData "#cloud-config`n" -Description first
        Set-ChamiCloudInitGroup -Name compute -MetaData '{"a":{"b":true}}'
        $group = Get-ChamiCloudInitGroup -Name compute
        $group.Description | Should -Be first
        $group.File.Content | Should -Be "#cloud-config`n"
        $group.MetaData.ToJsonString() | Should -Be '{"a":{"b":true}}'
    }

    It 'lists with wildcards, reports a missing group with a stable ErrorId and carries on' {
        Set-ChamiCloudInitGroup -Name compute -UserData '#cloud-config'
        Set-ChamiCloudInitGroup -Name io -UserData '#cloud-config'
        (Get-ChamiCloudInitGroup -Name 'c*').Name | Should -Be @('compute')
        $found = Get-ChamiCloudInitGroup -Name nosuch, io -ErrorVariable err -ErrorAction SilentlyContinue
        $found.Name | Should -Be 'io'
        $err[0].FullyQualifiedErrorId | Should -BeLike 'CloudInitGroupNotFound*'
        $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }

    It 'refuses a bad group name or bad meta-data and leaves the store unchanged' {
        { Set-ChamiCloudInitGroup -Name 'bad name!' -UserData '#cloud-config' -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidGroupLabel*'
        { Set-ChamiCloudInitGroup -Name compute -MetaData '{not json' -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidMetaData*'
        Get-ChamiCloudInitGroup | Should -BeNullOrEmpty
    }

    It 'removes with -Confirm:$false, honours -WhatIf and completes names' {
        Set-ChamiCloudInitGroup -Name compute -UserData '#cloud-config' -Description 'compute nodes'
        Remove-ChamiCloudInitGroup -Name compute -WhatIf
        Get-ChamiCloudInitGroup compute | Should -Not -BeNullOrEmpty
        $completion = TabExpansion2 -inputScript 'Remove-ChamiCloudInitGroup -Name com' -cursorColumn 36
        $completion.CompletionMatches.CompletionText | Should -Contain 'compute'
        Remove-ChamiCloudInitGroup -Name compute -Confirm:$false
        Get-ChamiCloudInitGroup | Should -BeNullOrEmpty
        { Remove-ChamiCloudInitGroup -Name compute -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'CloudInitGroupNotFound*'
    }
}

Describe 'Get/Set-ChamiCloudInitDefaults and -Node' {
    BeforeEach { New-DemoCluster }
    AfterEach { Disconnect-ChamiDatabase | Out-Null }

    It 'merges given values, replaces with -Replace and rejects a bad URL without changing anything' {
        Set-ChamiCloudInitDefaults -BaseUrl 'http://172.16.0.254:8081/cloud-init/' -BootSubnet 172.16.0.0/24
        $d = Get-ChamiCloudInitDefaults
        $d | Should -BeOfType OpenChami.Core.CloudInit.ClusterDefaults
        $d.ClusterName | Should -Be demo
        $d.BaseUrl | Should -Be 'http://172.16.0.254:8081/cloud-init'
        { Set-ChamiCloudInitDefaults -BaseUrl 'nope' -ClusterName other -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidBaseUrl*'
        (Get-ChamiCloudInitDefaults).ClusterName | Should -Be demo
        Set-ChamiCloudInitDefaults -Replace -ClusterName other
        $d = Get-ChamiCloudInitDefaults
        $d.ClusterName | Should -Be other
        $d.BaseUrl | Should -BeNullOrEmpty
    }

    It 'sets per-node values, keeps the others and the instance-id' {
        $first = Set-ChamiCloudInitNode -Xname x1000c0s0b0n0 -Hostname login1 -PassThru
        $first.InstanceId | Should -Match '^i-[0-9a-f]{8}$'
        $second = Set-ChamiCloudInitNode -Xname x1000c0s0b0n0 -PublicKey 'ssh-ed25519 AAAAnode a@b' -PassThru
        $second.Hostname | Should -Be login1
        $second.InstanceId | Should -Be $first.InstanceId
        (Get-ChamiCloudInitNode).Id | Should -Be @('x1000c0s0b0n0')
        { Get-ChamiCloudInitNode -Xname x1000c0s1b0n0 -ErrorAction Stop } | Should -Throw -ErrorId 'CloudInitNodeNotFound*'
        { Set-ChamiCloudInitNode -Xname nid001 -Hostname x -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidXname*'
    }

    It 'rotating the seed key invalidates the old seed URL' {
        $old = (Get-ChamiCloudInitData -Xname x1000c0s0b0n0 -Kind UserData).SeedUrl
        Set-ChamiCloudInitDefaults -RotateSeedKey
        (Get-ChamiCloudInitData -Xname x1000c0s0b0n0 -Kind UserData).SeedUrl | Should -Not -Be $old
    }
}

Describe 'Get-ChamiCloudInitData' {
    BeforeEach {
        New-DemoCluster
        Set-ChamiCloudInitGroup -Name compute -Description 'compute nodes' -MetaData @{ syslog_aggregator = '172.16.0.254' } -UserData $script:ComputeConfig
    }
    AfterEach { Disconnect-ChamiDatabase | Out-Null }

    It 'returns the three documents and the seed URL' {
        $data = Get-ChamiCloudInitData -Xname x1000c0s0b0n0 -BaseUrl http://10.0.0.1:8081
        $data.Kind | Should -Be @('MetaData', 'UserData', 'VendorData')
        $data[0] | Should -BeOfType OpenChami.Core.CloudInit.CloudInitData
        $data[0].Content | Should -Match '(?m)^hostname: nid001$'
        $data[1].Content | Should -BeExactly '#cloud-config'
        $data[0].SeedUrl | Should -Match '^http://10\.0\.0\.1:8081/cloud-init/n/x1000c0s0b0n0\.[0-9a-f]{8}\.[A-Za-z0-9_-]+/$'
        $data[2].Content | Should -BeExactly ("#include`n" + $data[0].SeedUrl + "compute.yaml`n")
    }

    It 'explains which layer each meta-data value came from' {
        Set-ChamiCloudInitNode -Xname x1000c0s0b0n0 -LocalHostname special
        $explain = Get-ChamiCloudInitData -Xname x1000c0s0b0n0 -Explain
        $explain[0] | Should -BeOfType OpenChami.Core.CloudInit.CloudInitValueSource
        ($explain | Where-Object Path -EQ 'local-hostname').Layer | Should -Be 'InstanceInfo'
        ($explain | Where-Object Path -EQ 'hostname').Layer | Should -Be 'ClusterDefaults'
        ($explain | Where-Object Path -EQ 'cluster-name').Value | Should -Be 'demo'
        ($explain | Where-Object Path -EQ 'instance_data.v1.local_ipv4').Layer | Should -Be 'Smd'
        $group = $explain | Where-Object Path -EQ 'instance_data.v1.vendor_data.groups.compute.syslog_aggregator'
        $group.Layer | Should -Be 'Group'
        $group.Detail | Should -Be 'compute'
        ($explain | Where-Object Path -EQ 'instance_data.v1.public_keys[0]').Layer | Should -Be 'ClusterDefaults'
    }

    It 'reports an unknown node with NodeNotFound' {
        { Get-ChamiCloudInitData -Xname x9000c0s0b0n0 -Kind MetaData -ErrorAction Stop } | Should -Throw -ErrorId 'NodeNotFound*'
    }
}

Describe 'Debian cloud-init against a server started with the cmdlets' {
    BeforeAll {
        New-DemoCluster
        Set-ChamiCloudInitGroup -Name compute -Description 'compute nodes' -UserData $script:ComputeConfig
        Set-ChamiCloudInitGroup -Name io -UserData "#cloud-config`nruncmd: 42`n"
        $script:server = Start-ChamiServer -Port 0
        $script:client = Join-Path $PSScriptRoot '../cloudinit/seed_client.py'
    }
    AfterAll {
        if ($script:server) { $script:server | Stop-ChamiServer -Confirm:$false }
        Disconnect-ChamiDatabase | Out-Null
    }

    It 'a node booted with its seed URL gets its data and valid cloud-config' {
        $seed = (Get-ChamiCloudInitData -Xname x1000c0s0b0n0 -Kind UserData -BaseUrl $script:server.Url).SeedUrl
        $json = & /usr/bin/python3 $script:client --seed-url $seed --timeout 10 --deadline 90
        $LASTEXITCODE | Should -Be 0 -Because ($json -join "`n")
        $out = $json | ConvertFrom-Json
        $out.metadata.hostname | Should -Be nid001
        $out.vendordata_merged.users[0].ssh_authorized_keys[0] | Should -Be 'ssh-ed25519 AAAAhead root@head'
    }

    It 'reads the same through /metadata-service, and cloud-init applies its network-config for both NICs' {
        New-ChamiEthernetInterface 52:54:00:aa:00:01 x1000c0s0b0n0 -IPAddress 10.100.0.1 -Network hsn | Out-Null
        $defaults = @(Invoke-RestMethod "$($script:server.Url)/metadata-service/clusterdefaultss")[0]
        $body = @{ metadata = @{ name = 'default' }; spec = @{ base_url = "$($script:server.Url)/metadata-service"; cluster_name = 'demo'; short_name = 'nid'; nid_length = 3
                public_keys = @('ssh-ed25519 AAAAhead root@head')
                networks = @(@{ name = 'mgmt'; cidr = '172.16.0.0/24'; gateway = '172.16.0.254'; dns = @('172.16.0.253') }, @{ name = 'hsn'; cidr = '10.100.0.0/16'; mtu = 9000 }) } }
        Invoke-RestMethod -Method Put "$($script:server.Url)/metadata-service/clusterdefaultss/$($defaults.metadata.uid)" -ContentType application/json -Body ($body | ConvertTo-Json -Depth 6) | Out-Null
        $seed = (Get-ChamiCloudInitData -Xname x1000c0s0b0n0 -Kind UserData -BaseUrl $script:server.Url).SeedUrl -replace '/cloud-init/n/', '/metadata-service/n/'
        $seed | Should -Match '/metadata-service/n/[^/]+/$'

        $json = & /usr/bin/python3 $script:client --seed-url $seed --network-config --timeout 10 --deadline 90
        $LASTEXITCODE | Should -Be 0 -Because ($json -join "`n")
        $out = $json | ConvertFrom-Json
        $out.metadata.hostname | Should -Be nid001
        $out.metadata.instance_data.v1.vendor_data.mac | Should -Be '52:54:00:00:00:01'
        $out.vendordata_merged.users[0].ssh_authorized_keys[0] | Should -Be 'ssh-ed25519 AAAAhead root@head'
        @($out.fetches.url | Where-Object { $_ -like '*/cloud-init/*' }) | Should -BeNullOrEmpty -Because 'every document, include and template comes from /metadata-service'

        $nics = $out.network_interfaces | Sort-Object mac_address
        $nics.mac_address | Should -Be @('52:54:00:00:00:01', '52:54:00:aa:00:01')
        $nics[0].subnets[0].address | Should -Be '172.16.0.1'
        $nics[0].subnets[0].prefix | Should -Be 24
        $nics[0].subnets[0].dns_nameservers | Should -Be @('172.16.0.253')
        $nics[1].subnets[0].address | Should -Be '10.100.0.1'
        $nics[1].subnets[0].prefix | Should -Be 16
        $nics[1].mtu | Should -Be 9000
        $nics[0].subnets[0].routes[0].gateway | Should -Be '172.16.0.254' -Because 'the management network has the default route'
        $nics[1].subnets[0].routes | Should -BeNullOrEmpty
        $out.network_eni | Should -Match 'route add default gw 172\.16\.0\.254'
        $out.network_eni | Should -Match 'address 10\.100\.0\.1/16'
    }

    It 'an invalid group cloud-config is caught (exit 1)' {
        $seed = (Get-ChamiCloudInitData -Xname x1000c0s1b0n0 -Kind UserData -BaseUrl $script:server.Url).SeedUrl
        $json = & /usr/bin/python3 $script:client --seed-url $seed --timeout 10 --deadline 90
        $LASTEXITCODE | Should -Be 1
        (($json | ConvertFrom-Json).vendordata_parts.schema_errors.path -join ',') | Should -Match 'runcmd'
    }
}

Describe 'Start-ChamiServer -TrustedProxy' {
    BeforeAll { New-DemoCluster }
    AfterAll { Disconnect-ChamiDatabase | Out-Null }

    It 'believes X-Forwarded-For from loopback by default and from nobody with an empty list' {
        $default = Start-ChamiServer -Port 0
        $none = Start-ChamiServer -Port 0 -TrustedProxy @()
        try {
            $ok = Invoke-WebRequest "$($default.Url)/cloud-init/meta-data" -Headers @{ 'X-Forwarded-For' = '172.16.0.2' } -SkipHttpErrorCheck
            $ok.StatusCode | Should -Be 200
            # application/x-yaml is not a text type to Invoke-WebRequest: read the raw bytes.
            [Text.Encoding]::UTF8.GetString($ok.RawContentStream.ToArray()) | Should -Match '(?m)^hostname: nid002$'
            $ignored = Invoke-WebRequest "$($none.Url)/cloud-init/meta-data" -Headers @{ 'X-Forwarded-For' = '172.16.0.2' } -SkipHttpErrorCheck
            $ignored.StatusCode | Should -Be 422
            $ignored.Content | Should -BeExactly "unknown node for address 127.0.0.1`n"
        }
        finally {
            $default, $none | Stop-ChamiServer -Confirm:$false
        }
        { Start-ChamiServer -Port 0 -TrustedProxy 'not-a-network' -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidTrustedProxy*'
    }
}
