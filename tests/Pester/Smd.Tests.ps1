# SMD inventory cmdlets (EthernetInterfaces, groups, partitions) and their agreement with /hsm/v2 over HTTP.
BeforeAll {
    Import-Module $env:OPENCHAMI_MODULE -Force
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')

    function New-TestNodes {
        param([int] $Count = 4)
        0..($Count - 1) | ForEach-Object { New-ChamiNode -Xname "x1000c0s${_}b0n0" -Confirm:$false } | Out-Null
    }

    function Get-ErrorId {
        # Runs a script block and returns the FullyQualifiedErrorIds of the non-terminating errors it wrote.
        param([scriptblock] $Script)
        # The suite runs with ErrorActionPreference Stop; here errors are collected, not thrown.
        $ErrorActionPreference = 'Continue'
        @(& $Script 2>&1 | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] } |
            ForEach-Object { ($_.FullyQualifiedErrorId -split ',')[0] })
    }
}

Describe 'EthernetInterface cmdlets' {
    BeforeEach { Connect-ChamiTestDatabase -Name smd -InMemoryOnLiteDb | Out-Null }

    It 'creates a NIC with normalized MAC, component, type and IPs' {
        $nic = New-ChamiEthernetInterface -MacAddress 52-54-00-BE-EF-01 -Xname X1000C0S0B0N0 -IPAddress 172.16.0.1 -Network management -Description 'nic0'
        $nic | Should -BeOfType ([OpenChami.Core.Model.EthernetInterface])
        $nic.ID | Should -Be '525400beef01'
        $nic.MACAddress | Should -Be '52:54:00:be:ef:01'
        $nic.ComponentID | Should -Be 'x1000c0s0b0n0'
        $nic.Type | Should -Be 'Node'
        $nic.IPAddresses[0].IPAddress | Should -Be '172.16.0.1'
        $nic.IPAddresses[0].Network | Should -Be 'management'
        (Get-ChamiEthernetInterface 525400beef01).Description | Should -Be 'nic0'
    }

    It 'filters by component, IP and network and reports a missing exact MAC' {
        New-ChamiEthernetInterface 52:54:00:be:ef:01 -Xname x1000c0s0b0n0 -IPAddress 10.0.0.1 -Network hmn | Out-Null
        New-ChamiEthernetInterface 52:54:00:be:ef:02 -Xname x1000c0s1b0n0 -IPAddress 10.0.0.2 | Out-Null
        (Get-ChamiEthernetInterface -Xname x1000c0s1b0n0).MACAddress | Should -Be '52:54:00:be:ef:02'
        (Get-ChamiEthernetInterface -IPAddress 10.0.0.1).MACAddress | Should -Be '52:54:00:be:ef:01'
        (Get-ChamiEthernetInterface -Network hmn).MACAddress | Should -Be '52:54:00:be:ef:01'
        @(Get-ChamiEthernetInterface).Count | Should -Be 2
        Get-ErrorId { Get-ChamiEthernetInterface 52:54:00:00:00:99 } | Should -Be 'EthernetInterfaceNotFound'
        Get-ErrorId { Get-ChamiEthernetInterface zz } | Should -Be 'InvalidMacAddress'
    }

    It 'imports NICs from a pipeline of CSV rows; a bad row is a non-terminating error with a stable id' {
        $rows = @"
MacAddress,Xname,IPAddress
52:54:00:00:00:01,x1000c0s0b0n0,10.1.0.1
not-a-mac,x1000c0s1b0n0,10.1.0.2
52:54:00:00:00:03,x1000c0s2b0n0,10.1.0.3
52:54:00:00:00:01,x1000c0s3b0n0,10.1.0.4
"@ | ConvertFrom-Csv
        $errs = $null
        $created = $rows | New-ChamiEthernetInterface -ErrorAction SilentlyContinue -ErrorVariable errs
        @($created).Count | Should -Be 2
        @($errs | ForEach-Object { ($_.FullyQualifiedErrorId -split ',')[0] }) | Should -Be @('InvalidMacAddress', 'DuplicateMacAddress')
        $errs[1].CategoryInfo.Category | Should -Be 'ResourceExists'
        (Get-ChamiEthernetInterface 52:54:00:00:00:01).ComponentID | Should -Be 'x1000c0s0b0n0'
    }

    It '-WhatIf writes nothing, and bad input is still reported' {
        New-ChamiEthernetInterface 52:54:00:00:00:01 -Xname x1000c0s0b0n0 -WhatIf | Should -BeNullOrEmpty
        @(Get-ChamiEthernetInterface).Count | Should -Be 0
        Get-ErrorId { New-ChamiEthernetInterface 52:54:00:00:00:01 -Xname bogus -WhatIf } | Should -Be 'InvalidXname'
        New-ChamiEthernetInterface 52:54:00:00:00:01 | Out-Null
        Remove-ChamiEthernetInterface 52:54:00:00:00:01 -WhatIf
        @(Get-ChamiEthernetInterface).Count | Should -Be 1
    }

    It 'removes NICs piped from Get-ChamiEthernetInterface' {
        New-ChamiEthernetInterface 52:54:00:00:00:01 -Xname x1000c0s0b0n0 | Out-Null
        New-ChamiEthernetInterface 52:54:00:00:00:02 -Xname x1000c0s0b0n0 | Out-Null
        New-ChamiEthernetInterface 52:54:00:00:00:03 -Xname x1000c0s1b0n0 | Out-Null
        $removed = Get-ChamiEthernetInterface -Xname x1000c0s0b0n0 | Remove-ChamiEthernetInterface -Confirm:$false -PassThru
        @($removed).Count | Should -Be 2
        (Get-ChamiEthernetInterface).MACAddress | Should -Be '52:54:00:00:00:03'
        Get-ErrorId { Remove-ChamiEthernetInterface 52:54:00:00:00:09 -Confirm:$false } | Should -Be 'EthernetInterfaceNotFound'
    }
}

Describe 'Group cmdlets' {
    BeforeEach {
        Connect-ChamiTestDatabase -Name smd -InMemoryOnLiteDb | Out-Null
        New-TestNodes
    }

    It 'creates, reads, changes and removes a group' {
        $g = New-ChamiGroup -Name Compute -Description 'compute nodes' -Tag slurm -Member x1000c0s0b0n0, x1000c0s1b0n0
        $g | Should -BeOfType ([OpenChami.Core.Model.Group])
        $g.Label | Should -Be 'compute'
        $g.Members.Ids | Should -Be @('x1000c0s0b0n0', 'x1000c0s1b0n0')
        (Get-ChamiGroup -Label compute).Tags | Should -Be @('slurm')
        (Get-ChamiGroup 'comp*').Label | Should -Be 'compute'
        (Get-ChamiGroup -Tag slurm).Label | Should -Be 'compute'
        $changed = Set-ChamiGroup compute -Description 'changed' -Tag a, b -PassThru
        $changed.Description | Should -Be 'changed'
        $changed.Tags | Should -Be @('a', 'b')
        Get-ChamiGroup compute | Remove-ChamiGroup -Confirm:$false
        Get-ErrorId { Get-ChamiGroup compute } | Should -Be 'GroupNotFound'
        @(Get-ChamiComponent -Type Node).Count | Should -Be 4
    }

    It 'reports stable error ids for bad labels, duplicates, unknown members and exclusive groups' {
        New-ChamiGroup rocky -ExclusiveGroup os -Member x1000c0s0b0n0 | Out-Null
        Get-ErrorId { New-ChamiGroup 'bad label' } | Should -Be 'InvalidGroupLabel'
        Get-ErrorId { New-ChamiGroup rocky } | Should -Be 'GroupExists'
        Get-ErrorId { New-ChamiGroup g1 -Member x9c0s0b0n0 } | Should -Be 'ComponentNotFound'
        Get-ErrorId { New-ChamiGroup g2 -ExclusiveGroup os -Member x1000c0s1b0n0, x1000c0s0b0n0 } | Should -Be 'ExclusiveGroupConflict'
        Get-ErrorId { Set-ChamiGroup nope -Description x } | Should -Be 'GroupNotFound'
        Get-ErrorId { Set-ChamiGroup rocky } | Should -Be 'EmptyPatch'
        # Failed creates left nothing behind (all or nothing).
        (Get-ChamiGroup).Label | Should -Be @('rocky')
    }

    It 'adds members from Get-ChamiNode through the pipeline and removes them' {
        New-ChamiGroup compute | Out-Null
        Get-ChamiNode x1000c0s* | Add-ChamiGroupMember -Name compute
        (Get-ChamiGroup compute).Members.Ids.Count | Should -Be 4
        (Get-ChamiNode x1000c0s2b0n0).Groups | Should -Be @('compute')
        Get-ErrorId { Add-ChamiGroupMember -Name compute -Xname x1000c0s0b0n0 } | Should -Be 'MemberExists'
        Get-ErrorId { Add-ChamiGroupMember -Name compute -Xname bogus } | Should -Be 'InvalidXname'
        Get-ChamiComponent x1000c0s0b0n0, x1000c0s1b0n0 | Remove-ChamiGroupMember -Name compute -Confirm:$false
        (Get-ChamiGroup compute).Members.Ids | Should -Be @('x1000c0s2b0n0', 'x1000c0s3b0n0')
        Get-ErrorId { Remove-ChamiGroupMember compute x1000c0s0b0n0 -Confirm:$false } | Should -Be 'MemberNotFound'
    }

    It 'one failing member in a pipeline does not stop the others' {
        New-ChamiGroup compute | Out-Null
        $errs = $null
        'x1000c0s0b0n0', 'x9c0s0b0n0', 'x1000c0s1b0n0' | Add-ChamiGroupMember -Name compute -ErrorAction SilentlyContinue -ErrorVariable errs
        (Get-ChamiGroup compute).Members.Ids | Should -Be @('x1000c0s0b0n0', 'x1000c0s1b0n0')
        ($errs[0].FullyQualifiedErrorId -split ',')[0] | Should -Be 'ComponentNotFound'
        $errs[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
    }

    It '-WhatIf writes nothing' {
        New-ChamiGroup compute -Member x1000c0s0b0n0 -WhatIf
        @(Get-ChamiGroup).Count | Should -Be 0
        New-ChamiGroup compute | Out-Null
        Add-ChamiGroupMember compute x1000c0s0b0n0 -WhatIf
        Set-ChamiGroup compute -Description x -WhatIf
        Remove-ChamiGroup compute -WhatIf
        $g = Get-ChamiGroup compute
        $g.Members.Ids.Count | Should -Be 0
        Add-ChamiGroupMember compute x1000c0s0b0n0
        Remove-ChamiGroupMember compute x1000c0s0b0n0 -WhatIf
        (Get-ChamiGroup compute).Members.Ids | Should -Be @('x1000c0s0b0n0')
        $g.Description | Should -Be ''
    }

    It 'completes group names on -Name' {
        New-ChamiGroup compute | Out-Null
        New-ChamiGroup storage | Out-Null
        $result = TabExpansion2 -inputScript 'Add-ChamiGroupMember -Name co' -cursorColumn 'Add-ChamiGroupMember -Name co'.Length
        $result.CompletionMatches.CompletionText | Should -Be @('compute')
    }
}

Describe 'Partition cmdlets' {
    BeforeEach {
        Connect-ChamiTestDatabase -Name smd -InMemoryOnLiteDb | Out-Null
        New-TestNodes
    }

    It 'creates, lists and removes partitions; a component is in at most one' {
        $p = New-ChamiPartition -Name P1 -Description first -Member x1000c0s0b0n0
        $p | Should -BeOfType ([OpenChami.Core.Model.Partition])
        $p.Name | Should -Be 'p1'
        (Get-ChamiPartition p1).Members.Ids | Should -Be @('x1000c0s0b0n0')
        Get-ErrorId { New-ChamiPartition p2 -Member x1000c0s1b0n0, x1000c0s0b0n0 } | Should -Be 'PartitionMemberConflict'
        Get-ErrorId { New-ChamiPartition q2 } | Should -Be 'InvalidPartitionName'
        Get-ErrorId { New-ChamiPartition p1 } | Should -Be 'PartitionExists'
        (Get-ChamiPartition).Name | Should -Be @('p1')
        New-ChamiPartition p1.2 -WhatIf
        Remove-ChamiPartition p1 -WhatIf
        (Get-ChamiPartition).Name | Should -Be @('p1')
        Get-ChamiPartition p1 | Remove-ChamiPartition -Confirm:$false
        Get-ErrorId { Get-ChamiPartition p1 } | Should -Be 'PartitionNotFound'
    }
}

Describe 'Cmdlets and HTTP see the same data' {
    BeforeAll {
        $script:db = Connect-ChamiTestDatabase -Name smd-http
        $script:server = Start-ChamiServer -Port 0
        $script:base = "$($script:server.Url)/hsm/v2"
    }
    AfterAll {
        Stop-ChamiServer -Server $script:server -Confirm:$false -ErrorAction SilentlyContinue
        Disconnect-ChamiDatabase -ErrorAction SilentlyContinue | Out-Null
        if ($script:db.Path) { Remove-Item $script:db.Path -Force -ErrorAction SilentlyContinue }
    }

    It 'serves what cmdlets create, at once' {
        New-ChamiNode -Xname x1000c0s0b0n0 -Nid 1 | Out-Null
        New-ChamiEthernetInterface 52:54:00:be:ef:01 -Xname x1000c0s0b0n0 -IPAddress 172.16.0.1 | Out-Null
        New-ChamiGroup compute -Member x1000c0s0b0n0 | Out-Null
        New-ChamiPartition p1 -Member x1000c0s0b0n0 | Out-Null
        $nics = Invoke-RestMethod "$script:base/Inventory/EthernetInterfaces?ComponentID=x1000c0s0b0n0"
        $nics[0].MACAddress | Should -Be '52:54:00:be:ef:01'
        (Invoke-RestMethod "$script:base/groups/compute").members.ids | Should -Be @('x1000c0s0b0n0')
        $m = Invoke-RestMethod "$script:base/memberships/x1000c0s0b0n0"
        $m.groupLabels | Should -Be @('compute')
        $m.partitionName | Should -Be 'p1'
        Remove-ChamiGroupMember compute x1000c0s0b0n0 -Confirm:$false
        (Invoke-RestMethod "$script:base/groups/compute/members").ids.Count | Should -Be 0
    }

    It 'shows cmdlets what HTTP clients create, at once' {
        $body = '{"Components":[{"ID":"x1000c0s1b0n0","State":"Ready","NID":2}]}'
        Invoke-RestMethod -Method Post "$script:base/State/Components" -ContentType application/json -Body $body | Out-Null
        (Get-ChamiComponent x1000c0s1b0n0).NID | Should -Be 2
        Invoke-RestMethod -Method Post "$script:base/Inventory/EthernetInterfaces" -ContentType application/json `
            -Body '{"MACAddress":"52:54:00:be:ef:02","ComponentID":"x1000c0s1b0n0","IPAddresses":[{"IPAddress":"172.16.0.2"}]}' | Out-Null
        (Get-ChamiEthernetInterface -Xname x1000c0s1b0n0).IPAddresses.IPAddress | Should -Be '172.16.0.2'
        Invoke-RestMethod -Method Post "$script:base/groups" -ContentType application/json -Body '{"label":"storage","members":{"ids":["x1000c0s1b0n0"]}}' | Out-Null
        (Get-ChamiGroup storage).Members.Ids | Should -Be @('x1000c0s1b0n0')
        Invoke-RestMethod -Method Post "$script:base/partitions" -ContentType application/json -Body '{"name":"p2"}' | Out-Null
        (Get-ChamiPartition p2).Name | Should -Be 'p2'
        Invoke-RestMethod -Method Delete "$script:base/groups/storage" | Out-Null
        Get-ErrorId { Get-ChamiGroup storage } | Should -Be 'GroupNotFound'
    }

    It 'a failing bulk HTTP request leaves what cmdlets see unchanged' {
        $before = (Get-ChamiComponent | ConvertTo-Json -Depth 3)
        $body = '{"ComponentIDs":["x1000c0s0b0n0","x1000c0s1b0n0","bogus"],"Enabled":false}'
        { Invoke-RestMethod -Method Patch "$script:base/State/Components/BulkEnabled" -ContentType application/json -Body $body } | Should -Throw
        (Get-ChamiComponent | ConvertTo-Json -Depth 3) | Should -Be $before
    }
}
