<#
    Nodes and components as an operator uses them: CSV bulk import, pipelines, wildcards, removal,
    bad input (clear errors with stable ids, nothing written), tab completion from the live store.
    A real database per Describe on the backend under test (New-ChamiTestDatabase: LiteDB file or PostgreSQL).
#>

BeforeAll {
    Import-Module $env:OPENCHAMI_MODULE -Force
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:Folder = New-TestFolder

    function New-NodeRows {
        # $Count CSV rows: xnames x1000c0s<slot>b0n<0..7>, MACs 02:00:00:00:hi:lo, IPs 10.0.hi.lo.
        param([int] $Count)
        foreach ($i in 0..($Count - 1)) {
            $slot = [int][math]::Floor($i / 8); $node = $i % 8; $hi = [int][math]::Floor($i / 256); $lo = $i % 256
            [pscustomobject]@{
                Xname      = "x1000c0s${slot}b0n$node"
                MacAddress = '02:00:00:00:{0:x2}:{1:x2}' -f $hi, $lo
                IPAddress  = "10.0.$hi.$lo"
                Role       = 'Compute'
                Group      = 'compute'
            }
        }
    }
}

AfterAll {
    Disconnect-ChamiDatabase -Confirm:$false
    Remove-Item $Folder -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Import-Csv | New-ChamiNode' {
    It 'creates 1,000 nodes from 1,000 rows' {
        $csv = Join-Path $Folder 'nodes.csv'
        New-NodeRows -Count 1000 | Export-Csv $csv
        Connect-ChamiTestDatabase -Name bulk -Folder $Folder | Out-Null

        $created = @(Import-Csv $csv | New-ChamiNode -ErrorVariable errors)

        $errors | Should -BeNullOrEmpty
        $created.Count | Should -Be 1000
        @(Get-ChamiNode).Count | Should -Be 1000
        (Get-ChamiDatabase).EthernetInterfaces | Should -Be 1000
        $node = Get-ChamiNode -Xname x1000c0s124b0n7
        $node.MacAddress | Should -Be @('02:00:00:00:03:e7')
        $node.IPAddress | Should -Be @('10.0.3.231')
        $node.Groups | Should -Be @('compute')
    }

    It 'writes one non-terminating error per bad row (InvalidXname, DuplicateMacAddress) and creates the other 998' {
        $rows = @(New-NodeRows -Count 1000)
        $rows[400].Xname = 'x1000c0s50b0nX'                  # not an xname
        $rows[600].MacAddress = $rows[10].MacAddress          # a MAC another row already registered
        $csv = Join-Path $Folder 'nodes-with-bad-rows.csv'
        $rows | Export-Csv $csv
        Connect-ChamiTestDatabase -Name bulk-bad -Folder $Folder | Out-Null

        $created = @(Import-Csv $csv | New-ChamiNode -ErrorVariable errors -ErrorAction SilentlyContinue)

        $errors.Count | Should -Be 2
        $errors[0].FullyQualifiedErrorId | Should -BeLikeExactly 'InvalidXname,*'
        $errors[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $errors[0].TargetObject | Should -Be 'x1000c0s50b0nX'
        $errors[1].FullyQualifiedErrorId | Should -BeLikeExactly 'DuplicateMacAddress,*'
        $errors[1].CategoryInfo.Category | Should -Be 'ResourceExists'
        $errors[1].Exception.Message | Should -Match '02:00:00:00:00:0a'
        $created.Count | Should -Be 998
        @(Get-ChamiNode).Count | Should -Be 998
        # The failed row left nothing behind: no component, no NIC.
        Get-ChamiComponent -Xname $rows[600].Xname -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        (Get-ChamiDatabase).EthernetInterfaces | Should -Be 998
        (Get-ChamiNode -MacAddress $rows[10].MacAddress).Xname | Should -Be $rows[10].Xname
    }
}

Describe 'Pipelines, wildcards and removal' {
    BeforeAll {
        Connect-ChamiTestDatabase -Name pipeline -Folder $Folder | Out-Null
        New-NodeRows -Count 16 | Select-Object -First 12 | New-ChamiNode | Out-Null
        New-ChamiNode -Xname x2000c0s0b0n0 -MacAddress 02:00:00:00:20:00 -Group compute, gpu | Out-Null
        New-ChamiNode -Xname x2000c0s0b0n1 -MacAddress 02:00:00:00:20:01 -Group login | Out-Null
    }

    It 'Get-ChamiNode -Group compute | Set-ChamiNode -Role Service changes exactly the compute nodes' {
        Get-ChamiNode -Group compute | Set-ChamiNode -Role Service
        @(Get-ChamiNode -Role Service).Count | Should -Be 13
        (Get-ChamiNode -Xname x2000c0s0b0n1).Role | Should -Be 'Compute'
        (Get-ChamiComponent -Xname x1000c0s1b0n3).Role | Should -Be 'Service'
    }

    It 'Get-ChamiNode x1* matches by wildcard; a pattern that matches nothing is not an error' {
        $nodes = @(Get-ChamiNode x1*)
        $nodes.Count | Should -Be 12
        $nodes.Xname | ForEach-Object { $_ | Should -BeLike 'x1*' }
        @(Get-ChamiNode 'x2000c0s0b0n?').Count | Should -Be 2
        @(Get-ChamiNode x9* -ErrorVariable errors).Count | Should -Be 0
        $errors | Should -BeNullOrEmpty
    }

    It 'an exact xname that does not exist is a NodeNotFound error' {
        Get-ChamiNode x3000c0s0b0n0 -ErrorVariable errors -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $errors[0].FullyQualifiedErrorId | Should -BeLikeExactly 'NodeNotFound,*'
        $errors[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }

    It 'objects with an ID property bind to -Xname (alias ID)' {
        $node = [pscustomobject]@{ ID = 'x2000c0s0b0n1' } | Get-ChamiNode
        $node.Xname | Should -Be 'x2000c0s0b0n1'
    }

    It 'Remove-ChamiNode -Confirm:$false removes the node, its NICs and its group memberships' {
        Get-ChamiNode x2000c0s0b0n0 | Remove-ChamiNode -Confirm:$false
        Get-ChamiNode x2000c0s0b0n0 -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        Get-ChamiNode -MacAddress 02:00:00:00:20:00 | Should -BeNullOrEmpty
        @(Get-ChamiNode -Group gpu).Count | Should -Be 0
        @(Get-ChamiNode x1*).Count | Should -Be 12
    }

    It 'Remove-ChamiNode by pipeline removes every piped node' {
        Get-ChamiNode x1000c0s1* | Remove-ChamiNode -Confirm:$false
        @(Get-ChamiNode x1*).Count | Should -Be 8
    }
}

Describe 'Bad input: clear errors, stable ids, nothing written' {
    BeforeAll {
        $script:Database = Connect-ChamiTestDatabase -Name bad-input -Folder $Folder
        New-ChamiNode -Xname x1000c0s0b0n0 -MacAddress 02:00:00:00:00:01 -IPAddress 10.0.0.1 -Group compute | Out-Null
        $script:Before = Get-ChamiStoreSnapshot $Database
    }

    AfterEach {
        # Whatever the case tried, the store is exactly as it was.
        Get-ChamiStoreSnapshot $Database | Should -Be $Before
    }

    It '<Command> with <Case> fails with <ErrorId>' -ForEach @(
        @{ Command = 'New-ChamiNode'; Case = 'an invalid xname'; ErrorId = 'InvalidXname'; Category = 'InvalidArgument'; Arguments = @{ Xname = 'x1000c0s0b0n'; MacAddress = '02:00:00:00:00:02' } }
        @{ Command = 'New-ChamiNode'; Case = 'a non-node xname'; ErrorId = 'InvalidXnameType'; Category = 'InvalidArgument'; Arguments = @{ Xname = 'x1000c0s0b0'; MacAddress = '02:00:00:00:00:02' } }
        @{ Command = 'New-ChamiNode'; Case = 'a malformed MAC'; ErrorId = 'InvalidMacAddress'; Category = 'InvalidArgument'; Arguments = @{ Xname = 'x1000c0s0b0n1'; MacAddress = '02:00:00:00:00' } }
        @{ Command = 'New-ChamiNode'; Case = 'a MAC with bad digits'; ErrorId = 'InvalidMacAddress'; Category = 'InvalidArgument'; Arguments = @{ Xname = 'x1000c0s0b0n1'; MacAddress = '02:00:00:00:00:zz' } }
        @{ Command = 'New-ChamiNode'; Case = 'a malformed IP'; ErrorId = 'InvalidIPAddress'; Category = 'InvalidArgument'; Arguments = @{ Xname = 'x1000c0s0b0n1'; MacAddress = '02:00:00:00:00:02'; IPAddress = '10.0.0.256' } }
        @{ Command = 'New-ChamiNode'; Case = 'an existing xname'; ErrorId = 'NodeExists'; Category = 'ResourceExists'; Arguments = @{ Xname = 'x1000c0s0b0n0'; MacAddress = '02:00:00:00:00:02' } }
        @{ Command = 'New-ChamiNode'; Case = 'a MAC already registered'; ErrorId = 'DuplicateMacAddress'; Category = 'ResourceExists'; Arguments = @{ Xname = 'x1000c0s0b0n1'; MacAddress = '02:00:00:00:00:01' } }
        @{ Command = 'New-ChamiNode'; Case = 'an unknown role'; ErrorId = 'InvalidRole'; Category = 'InvalidArgument'; Arguments = @{ Xname = 'x1000c0s0b0n1'; Role = 'Wizard' } }
        @{ Command = 'New-ChamiComponent'; Case = 'an invalid xname'; ErrorId = 'InvalidXname'; Category = 'InvalidArgument'; Arguments = @{ Xname = 'not-an-xname' } }
        @{ Command = 'Set-ChamiNode'; Case = 'an invalid xname'; ErrorId = 'InvalidXname'; Category = 'InvalidArgument'; Arguments = @{ Xname = 'x1000c0s0b0nQ'; Role = 'Service' } }
        @{ Command = 'Set-ChamiNode'; Case = 'an unknown node'; ErrorId = 'NodeNotFound'; Category = 'ObjectNotFound'; Arguments = @{ Xname = 'x1000c0s0b0n7'; Role = 'Service' } }
        @{ Command = 'Set-ChamiComponent'; Case = 'an unknown role'; ErrorId = 'InvalidRole'; Category = 'InvalidArgument'; Arguments = @{ Xname = 'x1000c0s0b0n0'; Role = 'Wizard' } }
        @{ Command = 'Remove-ChamiNode'; Case = 'an invalid xname'; ErrorId = 'InvalidXname'; Category = 'InvalidArgument'; Arguments = @{ Xname = 'x1000c0s0b0nQ'; Confirm = $false } }
        @{ Command = 'New-ChamiNode'; Case = 'an unknown state'; ErrorId = 'InvalidState'; Category = 'InvalidArgument'; Arguments = @{ Xname = 'x1000c0s0b0n1'; State = 'Bogus' } }
        @{ Command = 'New-ChamiNode'; Case = 'an unknown arch'; ErrorId = 'InvalidArch'; Category = 'InvalidArgument'; Arguments = @{ Xname = 'x1000c0s0b0n1'; Arch = 'Sparc' } }
        @{ Command = 'New-ChamiNode'; Case = 'a NID that is not a number'; ErrorId = 'InvalidNid'; Category = 'InvalidArgument'; Arguments = @{ Xname = 'x1000c0s0b0n1'; Nid = 'abc' } }
        @{ Command = 'New-ChamiNode'; Case = 'an Enabled that is not a boolean'; ErrorId = 'InvalidEnabled'; Category = 'InvalidArgument'; Arguments = @{ Xname = 'x1000c0s0b0n1'; Enabled = 'maybe' } }
        @{ Command = 'New-ChamiComponent'; Case = 'an unknown state'; ErrorId = 'InvalidState'; Category = 'InvalidArgument'; Arguments = @{ Xname = 'x1000c0s0b0'; State = 'Bogus' } }
        @{ Command = 'New-ChamiComponent'; Case = 'an unknown flag'; ErrorId = 'InvalidFlag'; Category = 'InvalidArgument'; Arguments = @{ Xname = 'x1000c0s0b0'; Flag = 'Purple' } }
        @{ Command = 'Remove-ChamiComponent'; Case = 'an unknown component'; ErrorId = 'ComponentNotFound'; Category = 'ObjectNotFound'; Arguments = @{ Xname = 'x1000c0s0b0n7'; Confirm = $false } }
    ) {
        $errors = $null
        & $Command @Arguments -ErrorVariable errors -ErrorAction SilentlyContinue | Out-Null
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -BeLikeExactly "$ErrorId,*"
        $errors[0].CategoryInfo.Category | Should -Be $Category
        $errors[0].Exception.Message | Should -Not -BeNullOrEmpty
    }

    It '<Command> -State Bogus is refused at binding, naming the valid values' -ForEach @(
        @{ Command = 'Set-ChamiNode'; Arguments = @{ Xname = 'x1000c0s0b0n0' } }
        @{ Command = 'Get-ChamiNode'; Arguments = @{} }
        @{ Command = 'Set-ChamiComponent'; Arguments = @{ Xname = 'x1000c0s0b0n0' } }
    ) {
        $failure = { & $Command @Arguments -State Bogus } | Should -Throw -PassThru
        $failure.FullyQualifiedErrorId | Should -BeLikeExactly 'CannotConvertArgumentNoMessage,*'
        $failure.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $failure.Exception.Message | Should -Match 'Standby'
    }

    It 'CSV cells that do not convert (State, Arch, Nid, Enabled) are errors for their row, never silent defaults' {
        $csv = Join-Path $Folder 'bad-cells.csv'
        @(
            [pscustomobject]@{ Xname = 'x1000c0s0b0n1'; MacAddress = '02:00:00:00:00:11'; State = 'Bogus'; Arch = ''; Nid = ''; Enabled = '' }
            [pscustomobject]@{ Xname = 'x1000c0s0b0n2'; MacAddress = '02:00:00:00:00:12'; State = ''; Arch = 'Sparc'; Nid = ''; Enabled = '' }
            [pscustomobject]@{ Xname = 'x1000c0s0b0n3'; MacAddress = '02:00:00:00:00:13'; State = ''; Arch = ''; Nid = 'abc'; Enabled = '' }
            [pscustomobject]@{ Xname = 'x1000c0s0b0n4'; MacAddress = '02:00:00:00:00:14'; State = ''; Arch = ''; Nid = ''; Enabled = 'perhaps' }
        ) | Export-Csv $csv
        Import-Csv $csv | New-ChamiNode -ErrorVariable errors -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        @($errors | ForEach-Object { $_.FullyQualifiedErrorId.Split(',')[0] }) | Should -Be @('InvalidState', 'InvalidArch', 'InvalidNid', 'InvalidEnabled')
        $errors[0].Exception.Message | Should -Match 'valid values are .*Standby'
    }

    It 'Connect-ChamiDatabase -Path to a folder that cannot be a database fails with DatabaseOpenFailed' {
        $current = (Get-ChamiDatabase).Path
        $failure = { Connect-ChamiDatabase -Path $Folder } | Should -Throw -PassThru
        $failure.FullyQualifiedErrorId | Should -BeLikeExactly 'DatabaseOpenFailed,*'
        # The session stays on the database it had.
        (Get-ChamiDatabase).Path | Should -Be $current
    }
}

Describe 'Tab completion from the live store' {
    BeforeAll {
        Connect-ChamiTestDatabase -Name completion -Folder $Folder | Out-Null
        New-NodeRows -Count 3 | New-ChamiNode | Out-Null
        New-ChamiNode -Xname x1000c0s1b0n0 -Group compute-large | Out-Null
        New-ChamiNode -Xname x1000c0s2b0n0 -Group login | Out-Null
    }

    It 'completes stored xnames for -Xname' {
        $line = 'Get-ChamiNode -Xname x1000c0s0b0n'
        $completions = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText
        $completions | Should -Be @('x1000c0s0b0n0', 'x1000c0s0b0n1', 'x1000c0s0b0n2')
    }

    It 'completes group labels for -Group' {
        $line = 'Get-ChamiNode -Group co'
        $completions = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText
        $completions | Should -Be @('compute', 'compute-large')
    }

    It 'completes from the default database when nothing was connected yet (fresh session)' -Tag LiteDbOnly {
        $completion = (Get-ChamiDatabase).Path
        Disconnect-ChamiDatabase -Confirm:$false
        $env:OPENCHAMI_DB_BEFORE = $env:OPENCHAMI_DB
        try {
            $env:OPENCHAMI_DB = $completion
            $line = 'Set-ChamiNode x1000c0s2'
            $completions = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText
            $completions | Should -Contain 'x1000c0s2b0n0'
        }
        finally {
            $env:OPENCHAMI_DB = $env:OPENCHAMI_DB_BEFORE
            Remove-Item Env:OPENCHAMI_DB_BEFORE
        }
    }
}
