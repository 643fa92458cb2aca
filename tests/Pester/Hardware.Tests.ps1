# Get-ChamiHardware, Get-ChamiHardwareHistory and Get-ChamiNode's serial number after discovering a simulated EX425 blade
# (tests/OpenChami.RedfishFixture run standalone on loopback). Expectations come from the mockup's JSON files.
BeforeAll {
    Import-Module $env:OPENCHAMI_MODULE -Force
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:Mockup = '/work/shared/redfish-mockups/EX425'
    $script:Cred = [pscredential]::new('admin', (ConvertTo-SecureString 'password' -AsPlainText -Force))
    $script:Temp = New-TestFolder
    $script:Fixture = Start-RedfishFixture -Mockup EX425 -Folder $Temp
    $port = $Fixture.Endpoints[0].Port

    function Read-Mockup([string] $Path) { Get-Content (Join-Path $Mockup ($Path -replace '^/redfish/v1/?', '') 'index.json') -Raw | ConvertFrom-Json }

    Connect-ChamiDatabase -Path (Join-Path $Temp 'hw.db') | Out-Null
    $script:Result = Invoke-ChamiDiscovery -Address "127.0.0.1:$port" -Scheme http -Credential $Cred
    $script:Node0 = $Result.Nodes[0]
    $script:System0 = Read-Mockup '/redfish/v1/Systems/Node0'
    $script:Dimms = @('Node0', 'Node1' | ForEach-Object { (Read-Mockup "/redfish/v1/Systems/$_/Memory").Members })
    $script:Dimm0 = Read-Mockup '/redfish/v1/Systems/Node0/Memory/DIMM0'
}

AfterAll {
    Disconnect-ChamiDatabase -ErrorAction SilentlyContinue
    Stop-RedfishFixture $Fixture.Process
    Remove-Item $Temp -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Get-ChamiHardware' -Tag LiteDbOnly {
    It 'lists every DIMM of both nodes with its serial number' {
        $memory = @(Get-ChamiHardware -Type Memory)
        $memory.Count | Should -Be $Dimms.Count
        $memory | ForEach-Object { $_ | Should -BeOfType ([OpenChami.Core.Inventory.Hardware.HardwareItem]) }
        $memory.Type | Sort-Object -Unique | Should -Be 'Memory'
        ($memory | Format-Table | Out-String -Width 250) | Should -Match 'SerialNumber'
    }

    It 'finds a part by serial number and by wildcard xname' {
        $bySerial = @(Get-ChamiHardware -SerialNumber $Dimm0.SerialNumber -Type Memory)
        $bySerial.Xname | Should -Contain (@(Get-ChamiHardware -Xname "$($Node0)d*" | Where-Object { $_.Location.OdataID -eq $Dimm0.'@odata.id' }).Xname)
        $bySerial[0].PartNumber | Should -Be $Dimm0.PartNumber
        $bySerial[0].Manufacturer | Should -Be $Dimm0.Manufacturer
        @(Get-ChamiHardware -Xname "$($Node0)p*").Count | Should -Be (Read-Mockup '/redfish/v1/Systems/Node0/Processors').Members.Count
    }

    It 'reports an exact xname that has no hardware as an error' {
        $found = Get-ChamiHardware -Xname x9999c0s0b0n0 -ErrorVariable err -ErrorAction SilentlyContinue
        $found | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'HardwareNotFound*'
    }
}

Describe 'Get-ChamiHardwareHistory' -Tag LiteDbOnly {
    It 'has one Added event per populated location after the first discovery' {
        $added = @(Get-ChamiHardwareHistory -EventType Added)
        $added.Count | Should -Be @(Get-ChamiHardware | Where-Object FruId).Count
        (Get-ChamiHardwareHistory -EventType Scanned) | Should -BeNullOrEmpty
        ($added | Format-Table | Out-String -Width 250) | Should -Match 'Added'
    }

    It 'follows a part piped from Get-ChamiHardware, and filters by time' {
        $part = Get-ChamiHardware -SerialNumber $Dimm0.SerialNumber -Type Memory | Select-Object -First 1
        $events = @($part | Get-ChamiHardwareHistory)
        $events.FRUID | Sort-Object -Unique | Should -Be $part.FruId
        Get-ChamiHardwareHistory -Since ([DateTime]::UtcNow.AddDays(1)) | Should -BeNullOrEmpty
        @(Get-ChamiHardwareHistory -Until ([DateTime]::UtcNow.AddDays(1))).Count | Should -Be @(Get-ChamiHardwareHistory).Count
    }
}

Describe 'Get-ChamiNode serial number' -Tag LiteDbOnly {
    It 'shows the serial number discovery read from the System' {
        $node = Get-ChamiNode -Xname $Node0
        $node.SerialNumber | Should -Be $System0.SerialNumber
        ($node | Format-Table | Out-String -Width 250) | Should -Match ([regex]::Escape($System0.SerialNumber))
    }
}
