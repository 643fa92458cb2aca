BeforeAll {
    Import-Module $env:OPENCHAMI_MODULE -Force
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:Secret = 'Pester-S3cret-Value'
    $script:Cred = [pscredential]::new('root', (ConvertTo-SecureString $script:Secret -AsPlainText -Force))

    $script:NodesYaml = @'
bmcs:
- name: bmc01
  xname: x1000c0s0b0
  mac: de:ca:fc:0f:fe:e1
  ip: 172.16.0.101
  fqdn: x1000c0s0b0.demo.openchami.cluster
- xname: x1000c0s0b1
  mac: de:ca:fc:0f:fe:e2
  ip: 172.16.0.102
nodes:
- name: compute1
  nid: 1
  xname: x1000c0s0b0n0
  bmc: bmc01
  groups: [compute, slurm]
  interfaces:
  - mac_addr: 52:54:00:be:ef:01
    ip_addrs:
    - name: management
      ip_addr: 172.16.0.1
- name: compute2
  nid: 2
  xname: x1000c0s0b1n0
  groups: [compute]
  interfaces:
  - mac_addr: 52:54:00:be:ef:02
    ip_addrs: [{name: management, ip_addr: 172.16.0.2}]
'@
}

Describe 'Redfish endpoint cmdlets' {
    BeforeEach { Connect-ChamiTestDatabase -Name redfish -InMemoryOnLiteDb | Out-Null }

    It 'creates an endpoint and never shows the password back' {
        $created = New-ChamiRedfishEndpoint -Xname x1000c0s0b0 -Hostname 172.16.0.101 -MacAddress DE-CA-FC-0F-FE-E1 -Credential $Cred
        $created | Should -BeOfType ([OpenChami.Core.Model.RedfishEndpoint])
        $created.Password | Should -BeExactly ''
        $created.User | Should -Be 'root'
        $created.MACAddr | Should -Be 'de:ca:fc:0f:fe:e1'
        $all = Get-ChamiRedfishEndpoint
        ($all | Out-String) | Should -Not -Match $Secret
        ($all | Format-List * | Out-String) | Should -Not -Match $Secret
        ($all | ConvertTo-Json -Depth 5) | Should -Not -Match $Secret
        (Get-ChamiRedfishEndpoint -Xname 'x1000c0s0*').ID | Should -Be 'x1000c0s0b0'
        (Get-ChamiRedfishEndpoint -MacAddress de:ca:fc:0f:fe:e1).ID | Should -Be 'x1000c0s0b0'
    }

    It 'reports bad input as non-terminating errors with stable ids and stores nothing' {
        New-ChamiRedfishEndpoint -Xname bogus -ErrorVariable e1 -ErrorAction SilentlyContinue
        $e1[0].FullyQualifiedErrorId | Should -BeLike 'InvalidXname*'
        New-ChamiRedfishEndpoint -Xname x1000c0s0b0n0 -ErrorVariable e2 -ErrorAction SilentlyContinue
        $e2[0].FullyQualifiedErrorId | Should -BeLike 'InvalidRedfishEndpointType*'
        $e2[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        @(Get-ChamiRedfishEndpoint).Count | Should -Be 0
        New-ChamiRedfishEndpoint -Xname x1000c0s0b0 | Out-Null
        New-ChamiRedfishEndpoint -Xname x1000c0s0b0 -ErrorVariable e3 -ErrorAction SilentlyContinue
        $e3[0].FullyQualifiedErrorId | Should -BeLike 'RedfishEndpointExists*'
        $e3[0].CategoryInfo.Category | Should -Be 'ResourceExists'
        Get-ChamiRedfishEndpoint -Xname x9c0s0b0 -ErrorVariable e4 -ErrorAction SilentlyContinue
        $e4[0].FullyQualifiedErrorId | Should -BeLike 'RedfishEndpointNotFound*'
    }

    It 'sets fields and credentials, honours -WhatIf, and removes with cascade' {
        New-ChamiRedfishEndpoint -Xname x1000c0s0b0 | Out-Null
        New-ChamiRedfishEndpoint -Xname x1000c0s0b1 -WhatIf | Should -BeNullOrEmpty
        @(Get-ChamiRedfishEndpoint).Count | Should -Be 1
        $set = Set-ChamiRedfishEndpoint -Xname x1000c0s0b0 -IPAddress 10.0.0.5 -Credential $Cred -Enabled $false
        $set.IPAddress | Should -Be '10.0.0.5'
        $set.Enabled | Should -BeFalse
        $set.Password | Should -BeExactly ''
        Get-ChamiRedfishEndpoint x1000c0s0b0 | Remove-ChamiRedfishEndpoint -Confirm:$false
        @(Get-ChamiRedfishEndpoint).Count | Should -Be 0
        Remove-ChamiRedfishEndpoint -Xname x1000c0s0b0 -Confirm:$false -ErrorVariable e -ErrorAction SilentlyContinue
        $e[0].FullyQualifiedErrorId | Should -BeLike 'RedfishEndpointNotFound*'
    }
}

Describe 'Import-ChamiInventory and Export-ChamiInventory' {
    BeforeAll {
        $script:Dir = Join-Path ([IO.Path]::GetTempPath()) "openchami-pester-inv-$PID"
        New-Item -ItemType Directory -Path $Dir -Force | Out-Null
        $script:Yaml = Join-Path $Dir 'nodes.yaml'
        Set-Content -Path $Yaml -Value $NodesYaml
    }
    AfterAll { Remove-Item $Dir -Recurse -Force -ErrorAction SilentlyContinue }
    BeforeEach { Connect-ChamiTestDatabase -Name redfish -InMemoryOnLiteDb | Out-Null }

    It 'imports nodes.yaml, reports per object, and a second run is all Unchanged' {
        $first = Import-ChamiInventory -Path $Yaml
        $first[0] | Should -BeOfType ([OpenChami.Core.Inventory.ImportResult])
        ($first | Where-Object Action -eq 'Added').Count | Should -Be $first.Count
        ($first | Where-Object { $_.ObjectType -eq 'RedfishEndpoint' }).ID | Should -Be @('x1000c0s0b0', 'x1000c0s0b1')
        ($first | Out-String) | Should -Match 'ObjectType\s+ID\s+Action'

        $node = Get-ChamiNode -Xname x1000c0s0b0n0
        $node.Nid | Should -Be 1
        $node.Groups | Should -Be @('compute', 'slurm')
        $node.IPAddress | Should -Be '172.16.0.1'
        (Get-ChamiComponent -Xname x1000c0s0b1).State | Should -Be 'Ready'

        $second = Import-ChamiInventory -Path $Yaml
        $second.Count | Should -Be $first.Count
        ($second | Where-Object Action -ne 'Unchanged') | Should -BeNullOrEmpty
    }

    It 'reports with -WhatIf without writing' {
        $report = Import-ChamiInventory -Path $Yaml -WhatIf
        $report.Count | Should -BeGreaterThan 5
        $report | ForEach-Object { $_.WhatIf | Should -BeTrue }
        @(Get-ChamiComponent).Count | Should -Be 0
        @(Get-ChamiRedfishEndpoint).Count | Should -Be 0
    }

    It 'reports every problem of a bad file as a non-terminating error and imports the valid rest' {
        $bad = Join-Path $Dir 'bad.yaml'
        Set-Content -Path $bad -Value ($NodesYaml -replace '52:54:00:be:ef:02', 'zz:zz' -replace 'nid: 1', 'nid: one')
        $result = Import-ChamiInventory -Path $bad -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs.FullyQualifiedErrorId | ForEach-Object { ($_ -split ',')[0] } | Should -Be @('InvalidNid', 'InvalidMacAddress')
        $errs[0].Exception.Message | Should -Match 'bad.yaml:\d+:\d+'
        (Get-ChamiComponent -Type Node).ID | Should -Be 'x1000c0s0b1n0'
        $result | Should -Not -BeNullOrEmpty
    }

    It 'does not import a file with a structural error' {
        $broken = Join-Path $Dir 'broken.yaml'
        Set-Content -Path $broken -Value "node:`n- name: a`n"
        Import-ChamiInventory -Path $broken -ErrorVariable errs -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        ($errs.FullyQualifiedErrorId | ForEach-Object { ($_ -split ',')[0] }) | Should -Contain 'UnknownKey'
        ($errs.FullyQualifiedErrorId | ForEach-Object { ($_ -split ',')[0] }) | Should -Contain 'InventoryNotImported'
        @(Get-ChamiComponent).Count | Should -Be 0
    }

    It 'round-trips export -> import into an empty database -> export, without passwords' {
        Import-ChamiInventory -Path $Yaml | Out-Null
        Set-ChamiRedfishEndpoint -Xname x1000c0s0b0 -Credential $Cred | Out-Null
        $one = Join-Path $Dir 'one.json'
        $two = Join-Path $Dir 'two.json'
        Export-ChamiInventory -Path $one
        Get-Content $one -Raw | Should -Not -Match $Secret
        Connect-ChamiTestDatabase -Name redfish -InMemoryOnLiteDb | Out-Null
        $imported = Import-ChamiInventory -Path $one
        ($imported | Where-Object Action -ne 'Added') | Should -BeNullOrEmpty
        (Export-ChamiInventory -Path $two -PassThru).Length | Should -Be (Get-Item $one).Length
        (Get-FileHash $two).Hash | Should -Be (Get-FileHash $one).Hash
        Export-ChamiInventory -Path $two -NoClobber -ErrorVariable e -ErrorAction SilentlyContinue
        $e[0].FullyQualifiedErrorId | Should -BeLike 'InventoryFileExists*'
    }

    It 'serves the imported state over HTTP exactly as the cmdlets see it' {
        Import-ChamiInventory -Path $Yaml | Out-Null
        $server = Start-ChamiServer -Port 0
        try {
            $components = (Invoke-RestMethod "$($server.Url)/hsm/v2/State/Components").Components
            $components.ID | Should -Be (Get-ChamiComponent).ID
            $rfes = Invoke-RestMethod "$($server.Url)/hsm/v2/Inventory/RedfishEndpoints"
            $rfes.RedfishEndpoints.ID | Should -Be (Get-ChamiRedfishEndpoint).ID
            $rfes.RedfishEndpoints | ForEach-Object { $_.Password | Should -BeExactly '' }
            $ce = Invoke-RestMethod "$($server.Url)/hsm/v2/Inventory/ComponentEndpoints/x1000c0s0b0n0"
            $ce.RedfishSystemInfo.Actions.'#ComputerSystem.Reset'.'ResetType@Redfish.AllowableValues'.Count | Should -Be 12
        }
        finally {
            $server | Stop-ChamiServer
        }
    }

    It 'imports a CSV by extension' {
        $csv = Join-Path $Dir 'nodes.csv'
        Set-Content -Path $csv -Value "xname,nid,mac,ip,groups`nx1000c0s0b0n0,7,52:54:00:be:ef:07,172.16.0.7,compute"
        $r = Import-ChamiInventory -Path $csv
        ($r | Where-Object ObjectType -eq 'Component').ID | Should -Be 'x1000c0s0b0n0'
        (Get-ChamiNode x1000c0s0b0n0).Nid | Should -Be 7
    }
}
