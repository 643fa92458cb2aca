<#
    -WhatIf on every state-changing cmdlet leaves the store exactly as it was (a full export of every
    collection, read with LiteDB or Npgsql directly, before and after), on the backend under test.

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
    $script:Database = Connect-ChamiTestDatabase -Name whatif -Folder $Folder
    $script:Location = (Get-ChamiDatabase).Path
    $script:KeyFolder = if ($Database.KeyDirectory) { $Database.KeyDirectory } else { "$($Database.Path).keys" }
    # Copy-ChamiInventory's source: this very database, named as an operator would name it.
    $script:CopySource = if ($Database.ConnectionString) { @{ From = $Database.ConnectionString } } else { @{ From = $Database.Path } }
    if ($Database.Credential) { $CopySource.FromCredential = $Database.Credential }
    New-ChamiNode -Xname x1000c0s0b0n0 -MacAddress 02:00:00:00:00:01 -IPAddress 10.0.0.1 -Group compute | Out-Null
    New-ChamiNode -Xname x1000c0s0b0n1 -MacAddress 02:00:00:00:00:02 -Group compute, gpu | Out-Null
    New-ChamiComponent -Xname x1000c0s0b0 | Out-Null
    New-ChamiPartition -Name p1 -Member x1000c0s0b0n1 | Out-Null
    New-ChamiRedfishEndpoint -Xname x1000c0s0b0 -IPAddress 10.0.0.100 | Out-Null
    Set-ChamiCloudInitGroup -Name compute -UserData "#cloud-config`nruncmd: [[true]]" | Out-Null
    Set-ChamiCloudInitProfile -Name gpu-nodes -Group compute -MetaData @{ gpu = 'yes' } | Out-Null
    Set-ChamiWireGuardPeer -Name head -PublicKey 'aGVhZC1wdWJsaWMta2V5LWZvci13aXJlZ3VhcmQtMDA=' -Endpoint 10.0.0.254:51820 -AllowedIPs 10.87.0.1/32 | Out-Null
    Set-ChamiBootParams -Xname x1000c0s0b0n0 -Kernel http://10.0.0.254/vmlinuz -Params 'console=ttyS0' | Out-Null
    New-ChamiReservation -Xname x1000c0s0b0 | Out-Null
    Lock-ChamiComponent -Xname x1000c0s0b0 | Out-Null
    New-ChamiSubscription -Subscriber whatif -Url http://127.0.0.1:9/scn -State Off | Out-Null
    $script:ImportFile = Join-Path $Folder 'nodes.csv'
    "Xname,Nid,MacAddress`nx1000c0s3b0n0,300,02:00:00:00:03:01" | Set-Content $ImportFile
    $script:Server = Start-ChamiServer -Port 0

    # One row per ShouldProcess cmdlet. Add yours when you add a cmdlet with SupportsShouldProcess.
    $script:Samples = @{
        'New-ChamiNode'            = @{ Arguments = @{ Xname = 'x1000c0s1b0n0'; MacAddress = '02:00:00:00:01:01'; IPAddress = '10.0.1.1'; Group = 'compute', 'new-group' } }
        'Set-ChamiNode'            = @{ Arguments = @{ Xname = 'x1000c0s0b0n0'; Role = 'Service'; Nid = 99; Enabled = $false } }
        'Remove-ChamiNode'         = @{ Arguments = @{ Xname = 'x1000c0s0b0n1' } }
        'New-ChamiComponent'       = @{ Arguments = @{ Xname = 'x1000c0s2b0' } }
        'Set-ChamiComponent'       = @{ Arguments = @{ Xname = 'x1000c0s0b0n0'; State = 'Off'; Force = $true } }
        'Remove-ChamiComponent'    = @{ Arguments = @{ Xname = 'x1000c0s0b0' } }
        'Disconnect-ChamiDatabase' = @{ Arguments = @{}; Check = { (Get-ChamiDatabase).Path | Should -Be $Location } }
        'Start-ChamiServer'        = @{ Arguments = @{ Port = 0 }; Check = { @(Get-ChamiServer).Count | Should -Be 1 } }
        'Stop-ChamiServer'         = @{ Arguments = @{}; Check = { $Server.IsRunning | Should -BeTrue; @(Get-ChamiServer).Count | Should -Be 1 } }
        'Add-ChamiGroupMember'       = @{ Arguments = @{ Name = 'gpu'; Xname = 'x1000c0s0b0n0' } }
        'Remove-ChamiGroupMember'    = @{ Arguments = @{ Name = 'compute'; Xname = 'x1000c0s0b0n0' } }
        'New-ChamiGroup'             = @{ Arguments = @{ Name = 'login'; Description = 'login nodes'; Member = 'x1000c0s0b0n0' } }
        'Set-ChamiGroup'             = @{ Arguments = @{ Name = 'compute'; Description = 'changed' } }
        'Remove-ChamiGroup'          = @{ Arguments = @{ Name = 'gpu' } }
        'New-ChamiPartition'         = @{ Arguments = @{ Name = 'p2'; Member = 'x1000c0s0b0n0' } }
        'Remove-ChamiPartition'      = @{ Arguments = @{ Name = 'p1' } }
        'New-ChamiEthernetInterface' = @{ Arguments = @{ MacAddress = '02:00:00:00:09:09'; Xname = 'x1000c0s0b0n0'; IPAddress = '10.0.9.9' } }
        'Remove-ChamiEthernetInterface' = @{ Arguments = @{ MacAddress = '02:00:00:00:00:01' } }
        'New-ChamiRedfishEndpoint'   = @{ Arguments = @{ Xname = 'x1000c0s5b0'; IPAddress = '10.0.0.105' } }
        'Set-ChamiRedfishEndpoint'   = @{ Arguments = @{ Xname = 'x1000c0s0b0'; IPAddress = '10.0.0.101' } }
        'Remove-ChamiRedfishEndpoint' = @{ Arguments = @{ Xname = 'x1000c0s0b0' } }
        'Set-ChamiBootParams'        = @{ Arguments = @{ Xname = 'x1000c0s0b0n1'; Kernel = 'http://10.0.0.254/new'; Params = 'quiet' } }
        'Remove-ChamiBootParams'     = @{ Arguments = @{ Xname = 'x1000c0s0b0n0' } }
        'New-ChamiBootConfig'        = @{ Arguments = @{ Name = 'whatif'; Kernel = 'http://10.0.0.254/k'; Group = 'compute'; Priority = 10 } }
        'Set-ChamiBootConfig'        = @{ Arguments = @{ Name = 'bss-host-x1000c0s0b0n0'; Kernel = 'http://10.0.0.254/other'; Host = 'x1000c0s0b0n*' } }
        'Remove-ChamiBootConfig'     = @{ Arguments = @{ Name = 'bss-host-x1000c0s0b0n0' } }
        'Set-ChamiCloudInitGroup'    = @{ Arguments = @{ Name = 'compute'; UserData = "#cloud-config`npackages: [vim]" } }
        'Remove-ChamiCloudInitGroup' = @{ Arguments = @{ Name = 'compute' } }
        'Set-ChamiCloudInitProfile'  = @{ Arguments = @{ Name = 'gpu-nodes'; MetaData = @{ gpu = 'no' } } }
        'Remove-ChamiCloudInitProfile' = @{ Arguments = @{ Name = 'gpu-nodes' } }
        'Set-ChamiWireGuardPeer'     = @{ Arguments = @{ Name = 'head'; Endpoint = '10.0.0.253:51820'; AllowedIPs = '10.87.0.2/32' } }
        'Remove-ChamiWireGuardPeer'  = @{ Arguments = @{ Name = 'head' } }
        'Set-ChamiCloudInitDefaults' = @{ Arguments = @{ ClusterName = 'whatif-cluster' } }
        'Set-ChamiCloudInitNode'     = @{ Arguments = @{ Xname = 'x1000c0s0b0n0'; Hostname = 'nid001' } }
        'New-ChamiToken'             = @{ Arguments = @{ Subject = 'ops'; Scope = 'Write' }; Check = { Test-Path (Join-Path $KeyFolder 'jwt-signing.key') | Should -BeFalse } }
        'Export-ChamiCertificate'    = @{ Arguments = @{ Path = (Join-Path $Folder 'ca.pem') }; Check = { Test-Path (Join-Path $Folder 'ca.pem') | Should -BeFalse } }
        'Copy-ChamiInventory'        = @{ Arguments = $CopySource + @{ To = (Join-Path $Folder 'copy.db') }; Check = { Test-Path (Join-Path $Folder 'copy.db') | Should -BeFalse } }
        'Export-ChamiInventory'      = @{ Arguments = @{ Path = (Join-Path $Folder 'export.json') }; Check = { Test-Path (Join-Path $Folder 'export.json') | Should -BeFalse } }
        'Export-ChamiDnsmasqConfig'  = @{ Arguments = @{ Path = (Join-Path $Folder 'dnsmasq.conf'); DhcpRange = '10.0.0.0/24'; ServerUrl = 'http://10.0.0.254:8081' }; Check = { Test-Path (Join-Path $Folder 'dnsmasq.conf') | Should -BeFalse } }
        # These report what they would do (that is their -WhatIf output), and write nothing.
        'Import-ChamiInventory'      = @{ Arguments = @{ Path = $ImportFile }; AllowOutput = $true }
        'Invoke-ChamiDiscovery'      = @{ Arguments = @{ Address = '127.0.0.1:9'; Scheme = 'http'; TimeoutSec = 2 }; AllowOutput = $true; AllowErrors = $true }
        # Power: the node has no BMC endpoint, so they may refuse it; either way nothing is sent or written.
        'Invoke-ChamiPowerAction'    = @{ Arguments = @{ Xname = 'x1000c0s0b0n0'; Action = 'ForceOff' }; AllowOutput = $true; AllowErrors = $true }
        'Start-ChamiNode'            = @{ Arguments = @{ Xname = 'x1000c0s0b0n0' }; AllowOutput = $true; AllowErrors = $true }
        'Stop-ChamiNode'             = @{ Arguments = @{ Xname = 'x1000c0s0b0n0'; Force = $true }; AllowOutput = $true; AllowErrors = $true }
        'Restart-ChamiNode'          = @{ Arguments = @{ Xname = 'x1000c0s0b0n0' }; AllowOutput = $true; AllowErrors = $true }
        'Lock-ChamiComponent'        = @{ Arguments = @{ Xname = 'x1000c0s0b0n0' } }
        'Unlock-ChamiComponent'      = @{ Arguments = @{ Xname = 'x1000c0s0b0' } }
        'New-ChamiReservation'       = @{ Arguments = @{ Xname = 'x1000c0s0b0n0'; Duration = 5 } }
        'Remove-ChamiReservation'    = @{ Arguments = @{ Xname = 'x1000c0s0b0' } }
        'New-ChamiSubscription'      = @{ Arguments = @{ Subscriber = 'ops'; Url = 'http://127.0.0.1:9/other'; State = 'Ready' } }
        'Remove-ChamiSubscription'   = @{ Arguments = @{ ID = '1' } }
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
        $output = & $Name @arguments -WhatIf -ErrorVariable errors -ErrorAction ($sample.AllowErrors ? 'SilentlyContinue' : 'Continue')

        if (-not $sample.AllowErrors) { $errors | Should -BeNullOrEmpty -Because 'the sample arguments are valid; -WhatIf must only skip the change' }
        if (-not $sample.AllowOutput) { $output | Should -BeNullOrEmpty }
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
