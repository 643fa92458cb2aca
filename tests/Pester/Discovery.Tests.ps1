# Find-ChamiBmc and Invoke-ChamiDiscovery against simulated BMCs (tests/OpenChami.RedfishFixture run standalone on loopback).
BeforeAll {
    Import-Module $env:OPENCHAMI_MODULE -Force
    $script:Cred = [pscredential]::new('admin', (ConvertTo-SecureString 'password' -AsPlainText -Force))
    $script:Fixtures = [System.Collections.Generic.List[System.Diagnostics.Process]]::new()
    $script:Temp = Join-Path ([IO.Path]::GetTempPath()) ("chami-discovery-" + [guid]::NewGuid())
    New-Item -ItemType Directory -Path $Temp | Out-Null

    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    function Start-Fixture([string] $Mockup, [int] $Count, [string[]] $Extra = @()) {
        $fixture = Start-RedfishFixture -Mockup $Mockup -Count $Count -Extra $Extra -Folder $Temp
        $Fixtures.Add($fixture.Process)
        $fixture.Endpoints
    }

    $script:Blades = Start-Fixture 'EX425' 3
    $script:Refusing = Start-Fixture 'public-rackmount1' 1 @('--fault', 'RefuseCredentials')
    $script:Slow = Start-Fixture 'EX425' 4 @('--fault', 'Slow', '--slow-ms', '400')
    $script:BladeAddresses = $Blades | ForEach-Object { "127.0.0.1:$($_.Port)" }
}

AfterAll {
    foreach ($p in $Fixtures) { Stop-RedfishFixture $p }
    Remove-Item $Temp -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Find-ChamiBmc' -Tag LiteDbOnly {
    It 'finds every simulated BMC and reads its service root' {
        $found = Find-ChamiBmc -Address $BladeAddresses -Scheme http
        $found.Count | Should -Be 3
        $found | ForEach-Object { $_ | Should -BeOfType ([OpenChami.Core.Discovery.BmcProbeResult]) }
        $found.Status | Sort-Object -Unique | Should -Be 'Redfish'
        $found.RedfishVersion | Sort-Object -Unique | Should -Be '1.2.0'
        ($found.Port | Sort-Object) | Should -Be ($Blades.Port | Sort-Object)
        ($found | Format-Table | Out-String) | Should -Match 'Redfish'
    }

    # How long silence may take is asserted on a fake clock in the xunit discovery tests, not against the wall clock here.
    It 'returns nothing for a subnet where nothing listens' {
        $none = @(Find-ChamiBmc -Subnet 127.1.0.0/26 -Port 9 -Scheme http -TimeoutSec 1)
        $none.Count | Should -Be 0
        (@(Find-ChamiBmc -Subnet 127.1.0.0/30 -Port 9 -Scheme http -All)).Status | Sort-Object -Unique | Should -Be 'Closed'
    }

    It 'rejects bad targets with stable error ids' {
        { Find-ChamiBmc -Subnet 10.0.0.0/8 } | Should -Throw -ErrorId 'SubnetTooLarge*'
        { Find-ChamiBmc -Address 'not a host' } | Should -Throw -ErrorId 'InvalidAddress*'
        { Find-ChamiBmc } | Should -Throw -ErrorId 'NoTargets*'
    }
}

Describe 'Invoke-ChamiDiscovery' -Tag LiteDbOnly {
    BeforeEach { Connect-ChamiDatabase -Path (Join-Path $Temp ("d-" + [guid]::NewGuid() + '.db')) | Out-Null }

    It '-WhatIf walks and reports the plan but writes nothing' {
        $results = Invoke-ChamiDiscovery -Address $BladeAddresses -Scheme http -Credential $Cred -WhatIf 6>$null
        $results.Count | Should -Be 3
        $results.WhatIf | Sort-Object -Unique | Should -BeTrue
        $results.Status | Sort-Object -Unique | Should -Be 'Added'
        @(Get-ChamiComponent).Count | Should -Be 0
        @(Get-ChamiRedfishEndpoint).Count | Should -Be 0
    }

    It 'fills the inventory, then reports Unchanged on a re-run' {
        $first = Invoke-ChamiDiscovery -Address $BladeAddresses -Scheme http -Credential $Cred
        $first.Status | Sort-Object -Unique | Should -Be 'Added'
        $first.Systems | Sort-Object -Unique | Should -Be 2
        @(Get-ChamiRedfishEndpoint).Count | Should -Be 3
        @(Get-ChamiNode).Count | Should -Be 6   # two nodes per EX425 blade, never merged
        (Get-ChamiNode -Xname "$($first[0].Xname)n0").MacAddress | Should -Be '00:40:a6:83:52:5f'

        $summary = Invoke-ChamiDiscovery -Address $BladeAddresses -Scheme http -Credential $Cred -Summary
        $summary | Should -BeOfType ([OpenChami.Core.Discovery.DiscoverySummary])
        $summary.Unchanged | Should -Be 3
        $summary.Failed | Should -Be 0
        "$summary" | Should -Match '3 unchanged'
        @(Get-ChamiNode).Count | Should -Be 6
    }

    It 'takes Find-ChamiBmc output from the pipeline and reports a refused credential without stopping the others' {
        $results = @(Find-ChamiBmc -Address ($BladeAddresses + "127.0.0.1:$($Refusing[0].Port)") -Scheme http |
            Invoke-ChamiDiscovery -Credential $Cred)
        $results.Count | Should -Be 4
        $refused = $results | Where-Object Port -eq $Refusing[0].Port
        $refused.Status | Should -Be 'Failed'
        $refused.Reason | Should -Be 'AuthFailed'
        $refused.Error | Should -Match 'refused the credential'
        ($results | Where-Object Status -eq 'Added').Count | Should -Be 3
        ($results | Format-Table | Out-String -Width 250) | Should -Match 'AuthFailed'
    }

    It 'names BMCs from -XnameMap and reports unmapped ones' {
        $map = @{ $BladeAddresses[0] = 'x1000c0s0b0' }
        $results = Invoke-ChamiDiscovery -Address $BladeAddresses -Scheme http -Credential $Cred -XnameMap $map
        ($results | Where-Object Xname -eq 'x1000c0s0b0').Nodes | Should -Be @('x1000c0s0b0n0', 'x1000c0s0b0n1')
        ($results | Where-Object Reason -eq 'Unmapped').Count | Should -Be 2
        (Get-ChamiRedfishEndpoint).ID | Should -Be 'x1000c0s0b0'
        { Invoke-ChamiDiscovery -Address $BladeAddresses -Scheme http -XnameMap @{ '10.0.0.1' = 'x1000c0s0b0n0' } } |
            Should -Throw -ErrorId 'InvalidXnameMap*'
    }

    It '-SkipCertificateCheck (alias -Insecure) is remembered per endpoint and Set-ChamiRedfishEndpoint takes it back' {
        $tls = Start-Fixture 'EX425' 1 @('--https')
        $address = "127.0.0.1:$($tls[0].Port)"
        $strict = Invoke-ChamiDiscovery -Address $address -Scheme https -Credential $Cred
        $strict.Reason | Should -Be 'TlsError'
        $strict.Error | Should -Match '-SkipCertificateCheck'
        $found = Invoke-ChamiDiscovery -Address $address -Scheme https -Credential $Cred -Insecure
        $found.Status | Should -Be 'Added'
        (Get-ChamiRedfishEndpoint -Xname $found.Xname).SkipCertificateCheck | Should -BeTrue
        (Get-Command Invoke-ChamiDiscovery).Parameters['SkipCertificateCheck'].Aliases | Should -Contain 'Insecure'
        (Get-Command Find-ChamiBmc).Parameters['SkipCertificateCheck'].Aliases | Should -Contain 'Insecure'

        $changed = Set-ChamiRedfishEndpoint -Xname $found.Xname -SkipCertificateCheck:$false
        $changed.SkipCertificateCheck | Should -BeNullOrEmpty
        (Get-ChamiRedfishEndpoint -Xname $found.Xname).SkipCertificateCheck | Should -BeNullOrEmpty
        Set-ChamiRedfishEndpoint -Xname $found.Xname -SkipCertificateCheck | Out-Null
        (Get-ChamiRedfishEndpoint -Xname $found.Xname).SkipCertificateCheck | Should -BeTrue
    }

    It 're-discovers the endpoints already in the inventory with -KnownEndpoints' {
        Invoke-ChamiDiscovery -Address $BladeAddresses[0] -Scheme http -Credential $Cred | Out-Null
        $again = @(Invoke-ChamiDiscovery -KnownEndpoints -Scheme http -Credential $Cred)
        $again.Count | Should -Be 1
        $again[0].Status | Should -Be 'Unchanged'
        $again[0].Port | Should -Be $Blades[0].Port
        # Endpoint objects bind by FQDN (host:port kept), not by IPAddress.
        $piped = @(Get-ChamiRedfishEndpoint | Invoke-ChamiDiscovery -Scheme http -Credential $Cred)
        $piped.Port | Should -Be $Blades[0].Port
        $piped.Status | Should -Be 'Unchanged'
    }

    It 'stops promptly when the pipeline is stopped (Ctrl+C)' {
        $db = Join-Path $Temp ("stop-" + [guid]::NewGuid() + '.db')
        $ps = [powershell]::Create()
        try {
            $addresses = $Slow | ForEach-Object { "127.0.0.1:$($_.Port)" }
            [void] $ps.AddScript({
                param($module, $db, $addresses, $cred)
                Import-Module $module
                Connect-ChamiDatabase -Path $db | Out-Null
                Invoke-ChamiDiscovery -Address $addresses -Scheme http -Credential $cred -ThrottleLimit 1
            }).AddArgument($env:OPENCHAMI_MODULE).AddArgument($db).AddArgument($addresses).AddArgument($Cred)
            $handle = $ps.BeginInvoke()
            Start-Sleep -Seconds 2   # one slow BMC is mid-walk (each request takes 400 ms)
            $handle.IsCompleted | Should -BeFalse
            $ps.Stop()   # returns once the pipeline has stopped: the held walk must not be waited out
            $ps.InvocationStateInfo.State | Should -Be 'Stopped'
            $handle.IsCompleted | Should -BeTrue
            { $ps.EndInvoke($handle) } | Should -Throw '*pipeline has been stopped*'
        }
        finally { $ps.Dispose() }
    }

    It 'runs as a job that Receive-Job collects' {
        $job = Invoke-ChamiDiscovery -Address $BladeAddresses -Scheme http -Credential $Cred -AsJob
        $job | Should -BeOfType ([System.Management.Automation.Job])
        $job | Wait-Job -Timeout 60 | Out-Null
        $job.State | Should -Be 'Completed'
        $results = @($job | Receive-Job)
        $results.Count | Should -Be 3
        $results.Status | Sort-Object -Unique | Should -Be 'Added'
        $job | Remove-Job
        @(Get-ChamiRedfishEndpoint).Count | Should -Be 3
    }

    It 'stops a running job with Stop-Job' {
        $addresses = $Slow | ForEach-Object { "127.0.0.1:$($_.Port)" }
        $job = Invoke-ChamiDiscovery -Address $addresses -Scheme http -Credential $Cred -ThrottleLimit 1 -AsJob
        Start-Sleep -Seconds 1
        $job.State | Should -Be 'Running'
        $job | Stop-Job
        $job.State | Should -Be 'Stopped'
        @($job | Receive-Job).Count | Should -BeLessThan 4   # stopped mid-run, not run to the end
        $job | Remove-Job
    }
}
