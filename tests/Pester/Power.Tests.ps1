# Power cmdlets against the standalone Redfish fixture (simulated EX425 blades over HTTPS with
# self-signed certificates), seeded through the SMD SchemaVersion 1 ingestion over HTTP.
BeforeAll {
    Import-Module $env:OPENCHAMI_MODULE -Force
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')

    function Find-Up([string] $Relative) {
        $dir = Get-Item $PSScriptRoot
        while ($dir) {
            $candidate = Join-Path $dir.FullName $Relative
            if (Test-Path $candidate) { return $candidate }
            $dir = $dir.Parent
        }
    }

    $mockups = if ($env:OPENCHAMI_REDFISH_MOCKUPS) { $env:OPENCHAMI_REDFISH_MOCKUPS } else { Find-Up 'shared/redfish-mockups' }
    if (-not $mockups) { $mockups = '/work/shared/redfish-mockups' }
    $script:Mockup = Join-Path $mockups 'EX425'
    $fixtureDll = @('Release', 'Debug') | ForEach-Object { Join-Path $PSScriptRoot "../OpenChami.RedfishFixture/bin/$_/net10.0/OpenChami.RedfishFixture.dll" } |
        Where-Object { Test-Path $_ } | Select-Object -First 1
    if (-not $fixtureDll) { throw 'OpenChami.RedfishFixture is not built (run ./build.ps1 first)' }

    $script:Temp = Join-Path ([IO.Path]::GetTempPath()) "openchami-power-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
    New-Item -ItemType Directory $script:Temp | Out-Null
    $portsFile = Join-Path $script:Temp 'ports.json'

    # 4 BMCs x 2 nodes; stdin is a pipe we hold, so the fixture also ends if this pwsh dies.
    $start = [Diagnostics.ProcessStartInfo]::new([Environment]::ProcessPath)
    foreach ($a in @($fixtureDll, '--mockup', $script:Mockup, '--count', '4', '--https', '--power-delay-ms', '700', '--ports-file', $portsFile)) { $start.ArgumentList.Add($a) }
    $start.RedirectStandardInput = $true
    $start.RedirectStandardError = $true
    $start.UseShellExecute = $false
    $script:Fixture = [Diagnostics.Process]::Start($start)
    $deadline = [DateTime]::UtcNow.AddSeconds(60)
    while (-not (Test-Path $portsFile) -and [DateTime]::UtcNow -lt $deadline -and -not $script:Fixture.HasExited) { Start-Sleep -Milliseconds 100 }
    if (-not (Test-Path $portsFile)) { throw "Redfish fixture did not start: $($script:Fixture.StandardError.ReadToEnd())" }
    $script:Ports = @((Get-Content $portsFile -Raw | ConvertFrom-Json).Port)

    # A port that accepts TCP but is never a BMC: anything sent to it shows up as a pending connection.
    $script:Trap = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0)
    $script:Trap.Start()
    # A port nothing listens on: an unreachable BMC.
    $closed = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0); $closed.Start()
    $script:ClosedPort = $closed.LocalEndpoint.Port; $closed.Stop()

    # BMC certificates are self-signed: the server-side engine (PCS) needs the site-wide switch.
    $env:OPENCHAMI_BMC_SKIP_CERTIFICATE_CHECK = '1'
    Connect-ChamiTestDatabase -Name power -Folder $script:Temp | Out-Null

    function New-Endpoint([string] $Xname, [string] $Fqdn, [string] $Password = 'password') {
        @{
            ID = $Xname; FQDN = $Fqdn; IPAddress = '127.0.0.1'; User = 'admin'; Password = $Password; SchemaVersion = 1
            Managers = @(@{ uri = "https://$Fqdn/redfish/v1/Managers/BMC"; type = 'EnclosureManager' })
            Systems = @('Node0', 'Node1' | ForEach-Object { @{ uri = "https://$Fqdn/redfish/v1/Systems/$_"; system_type = 'Physical'; actions = @('ForceOff', 'On', 'Off') } })
        } | ConvertTo-Json -Depth 6
    }

    $server = Start-ChamiServer -Port 0
    try {
        for ($i = 0; $i -lt 4; $i++) {
            Invoke-RestMethod -Method Post -Uri "$($server.Url)/hsm/v2/Inventory/RedfishEndpoints" -ContentType 'application/json' -Body (New-Endpoint "x1000c0s${i}b0" "127.0.0.1:$($script:Ports[$i])") | Out-Null
        }
        Invoke-RestMethod -Method Post -Uri "$($server.Url)/hsm/v2/Inventory/RedfishEndpoints" -ContentType 'application/json' -Body (New-Endpoint 'x1000c1s0b0' "127.0.0.1:$($script:Trap.LocalEndpoint.Port)") | Out-Null
        Invoke-RestMethod -Method Post -Uri "$($server.Url)/hsm/v2/Inventory/RedfishEndpoints" -ContentType 'application/json' -Body (New-Endpoint 'x1000c1s1b0' "127.0.0.1:$($script:ClosedPort)") | Out-Null
    }
    finally {
        Stop-ChamiServer -Server $server | Out-Null
    }
}

AfterAll {
    if ($script:Trap) { $script:Trap.Stop() }
    if ($script:Fixture -and -not $script:Fixture.HasExited) {
        $script:Fixture.StandardInput.Close()
        if (-not $script:Fixture.WaitForExit(5000)) { $script:Fixture.Kill() }
    }
    Disconnect-ChamiDatabase | Out-Null
    Remove-Item $script:Temp -Recurse -Force -ErrorAction SilentlyContinue
    Remove-Item Env:OPENCHAMI_BMC_SKIP_CERTIFICATE_CHECK -ErrorAction SilentlyContinue
}

Describe 'Power cmdlets' {
    It 'reads live power state from the BMCs, by xname and from the pipeline' {
        $one = Get-ChamiPowerState -Xname x1000c0s0b0n0
        $one | Should -BeOfType ([OpenChami.Core.Power.PowerStatus])
        $one.PowerState | Should -Be 'on'
        $one.ManagementState | Should -Be 'available'
        $one.Error | Should -BeNullOrEmpty

        $piped = Get-ChamiComponent -Type Node | Where-Object ID -like 'x1000c0s*' | Get-ChamiPowerState
        @($piped).Count | Should -Be 8
        $piped.PowerState | Sort-Object -Unique | Should -Be 'on'
    }

    It 'reports an unreachable BMC as unavailable with the reason' {
        $status = Get-ChamiPowerState x1000c1s1b0n0
        $status.PowerState | Should -Be 'undefined'
        $status.ManagementState | Should -Be 'unavailable'
        $status.Error | Should -Match 'cannot reach the BMC'
    }

    It 'stops with -Force -Wait and starts again, each node getting exactly its ResetType' {
        $results = Stop-ChamiNode -Xname x1000c0s0b0n0, x1000c0s0b0n1 -Force -Wait -TimeoutSec 30 -Confirm:$false
        @($results).Count | Should -Be 2
        $results | ForEach-Object {
            $_ | Should -BeOfType ([OpenChami.Core.Power.PowerActionResult])
            $_.Status | Should -Be 'Succeeded'
            $_.ResetTypesSent | Should -Be @('ForceOff')
            $_.FinalPowerState | Should -Be 'Off'
            $_.Message | Should -Be 'Transition confirmed, Off'   # -Wait saw Off (the BMC takes 700 ms); timing itself: xunit, fake clock
        }
        (Get-ChamiPowerState x1000c0s0b0n0, x1000c0s0b0n1).PowerState | Should -Be @('off', 'off')
        (Get-ChamiPowerState x1000c0s1b0n0).PowerState | Should -Be 'on'

        $on = Start-ChamiNode x1000c0s0b0n0 -Wait
        $on.ResetTypesSent | Should -Be @('On')
        $on.FinalPowerState | Should -Be 'On'
        $again = Start-ChamiNode x1000c0s0b0n0
        $again.ResetTypesSent | Should -BeNullOrEmpty
        $again.Message | Should -Be 'Component already in desired state'
    }

    It 'Stop-ChamiNode without -Force uses the BMC''s graceful Off (EX425 has no GracefulShutdown)' {
        $r = Stop-ChamiNode x1000c0s2b0n1 -Wait -Confirm:$false
        $r.ResetTypesSent | Should -Be @('Off')
        $r.FinalPowerState | Should -Be 'Off'
        (Start-ChamiNode x1000c0s2b0n1 -Wait).Status | Should -Be 'Succeeded'
    }

    It 'Invoke-ChamiPowerAction PowerCycle falls back to ForceOff then On' {
        $r = Invoke-ChamiPowerAction -Xname x1000c0s3b0n0 -Action PowerCycle -Wait -Confirm:$false
        $r.ResetTypesSent | Should -Be @('ForceOff', 'On')
        $r.FinalPowerState | Should -Be 'On'
    }

    It 'refuses a ResetType the BMC did not advertise, with a stable ErrorId and nothing sent' {
        $before = $script:Trap.Pending()
        $out = Invoke-ChamiPowerAction -Xname x1000c1s0b0n0, x1000c0s1b0n0 -Action GracefulRestart -Confirm:$false -ErrorVariable errs -ErrorAction SilentlyContinue
        $out | Should -BeNullOrEmpty
        @($errs).Count | Should -Be 2
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'ResetTypeNotSupported*'
        $errs[0].CategoryInfo.Category | Should -Be 'NotImplemented'
        $errs[0].TargetObject | Should -Be 'x1000c1s0b0n0'
        $script:Trap.Pending() | Should -BeFalse
        $before | Should -BeFalse
        (Get-ChamiPowerState x1000c0s1b0n0).PowerState | Should -Be 'on'
    }

    It '-WhatIf sends nothing to the BMC' {
        Stop-ChamiNode x1000c1s0b0n0 -Force -WhatIf | Should -BeNullOrEmpty
        Restart-ChamiNode x1000c1s0b0n1 -Force -WhatIf | Should -BeNullOrEmpty
        Invoke-ChamiPowerAction x1000c1s0b0n0 -Action ForceOff -WhatIf | Should -BeNullOrEmpty
        Start-Sleep -Milliseconds 200
        $script:Trap.Pending() | Should -BeFalse
        Stop-ChamiNode x1000c0s1b0n1 -Force -WhatIf
        (Get-ChamiPowerState x1000c0s1b0n1).PowerState | Should -Be 'on'
    }

    It 'one unreachable BMC does not stop the others; it is reported Failed with the reason' {
        $results = Stop-ChamiNode -Xname x1000c1s1b0n0, x1000c0s1b0n0 -Force -Confirm:$false -ErrorVariable errs -ErrorAction SilentlyContinue |
            Sort-Object Xname
        @($results).Count | Should -Be 2
        $results[0].Xname | Should -Be 'x1000c0s1b0n0'
        $results[0].Status | Should -Be 'Succeeded'
        $results[1].Status | Should -Be 'Failed'
        $results[1].Error | Should -Match 'cannot reach the BMC'
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'PowerActionFailed*'
        (Start-ChamiNode x1000c0s1b0n0 -Wait).Status | Should -Be 'Succeeded'
    }

    It 'a wrong -Credential fails with 401 and no secret appears anywhere' {
        $secret = 'N0t-The-Passw0rd'
        $cred = [pscredential]::new('admin', (ConvertTo-SecureString $secret -AsPlainText -Force))
        $r = Stop-ChamiNode x1000c0s3b0n1 -Force -Credential $cred -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable errs
        $r.Status | Should -Be 'Failed'
        $r.Error | Should -Match '401'
        ($r | ConvertTo-Json -Depth 5) + ($errs | Out-String) | Should -Not -Match $secret
        (Get-ChamiPowerState x1000c0s3b0n1).PowerState | Should -Be 'on'
    }

    It 'staggers batches and runs as a job' {
        $nodes = 0..3 | ForEach-Object { "x1000c0s${_}b0n1" }
        Start-ChamiNode $nodes -Wait | Out-Null   # a restart of a node that is off only needs the On
        $job = Restart-ChamiNode -Xname $nodes -Force -BatchSize 1 -BatchDelay 300 -Wait -AsJob -Confirm:$false
        $job.PSJobTypeName | Should -Be 'ChamiPowerJob'
        $job | Wait-Job -Timeout 60 | Out-Null
        $results = Receive-Job $job
        $job.State | Should -Be 'Completed'
        Remove-Job $job
        @($results).Count | Should -Be 4
        $results.Status | Sort-Object -Unique | Should -Be 'Succeeded'
        $results | ForEach-Object { $_.ResetTypesSent | Should -Be @('ForceOff', 'On') }   # EX425: no ForceRestart
        # The pacing itself is checked exactly on a fake clock (PowerActionTests.Batches_are_staggered_...): a
        # wall-clock lower bound here measured the machine's load as much as the stagger.
    }

    It 'shows PCS transitions run by the server' {
        $server = Start-ChamiServer -Port 0
        try {
            $body = @{ operation = 'force-off'; location = @(@{ xname = 'x1000c0s2b0n0' }, @{ xname = 'x1000c0s3b0n0' }) } | ConvertTo-Json -Depth 4
            $created = Invoke-RestMethod -Method Post -Uri "$($server.Url)/power-control/v1/transitions" -ContentType 'application/json' -Body $body
            $deadline = [DateTime]::UtcNow.AddSeconds(60)
            do { Start-Sleep -Milliseconds 200; $t = Get-ChamiPowerTransition -TransitionID $created.transitionID }
            while ($t.TransitionStatus -ne 'Completed' -and [DateTime]::UtcNow -lt $deadline)
            $t | Should -BeOfType ([OpenChami.Core.Power.PowerTransition])
            $t.TransitionStatus | Should -Be 'Completed'
            $t.Tasks.TaskStatus | Should -Be @('Succeeded', 'Succeeded')
            (Get-ChamiPowerTransition | Select-Object -First 1).TransitionID | Should -Be $created.transitionID
            (Get-ChamiPowerState x1000c0s2b0n0).PowerState | Should -Be 'off'
            Get-ChamiPowerTransition -TransitionID ([guid]::NewGuid()) -ErrorAction SilentlyContinue -ErrorVariable errs
            $errs[0].FullyQualifiedErrorId | Should -BeLike 'TransitionNotFound*'
        }
        finally {
            Stop-ChamiServer -Server $server | Out-Null
        }
    }
}

Describe 'Power cmdlet contract' {
    It 'exports the power cmdlets with real output types and format views' {
        foreach ($name in 'Get-ChamiPowerState', 'Invoke-ChamiPowerAction', 'Start-ChamiNode', 'Stop-ChamiNode', 'Restart-ChamiNode', 'Get-ChamiPowerTransition') {
            $command = Get-Command $name -Module OpenChami
            $command.OutputType.Type | Should -Not -BeNullOrEmpty
        }
        foreach ($type in 'PowerActionResult', 'PowerStatus', 'PowerTransition', 'PowerTransitionTask') {
            Get-FormatData -TypeName "OpenChami.Core.Power.$type" | Should -Not -BeNullOrEmpty
        }
    }

    It 'asks for confirmation at High impact for off and restart' {
        foreach ($name in 'Stop-ChamiNode', 'Restart-ChamiNode', 'Invoke-ChamiPowerAction') {
            $attr = (Get-Command $name).ImplementingType.GetCustomAttributes([Management.Automation.CmdletAttribute], $false)[0]
            $attr.SupportsShouldProcess | Should -BeTrue
            $attr.ConfirmImpact | Should -Be 'High'
        }
        (Get-Command Stop-ChamiNode).Parameters.Keys | Should -Contain 'ThrottleLimit'
        (Get-Command Stop-ChamiNode).Parameters.Keys | Should -Contain 'BatchDelay'
        (Get-Command Stop-ChamiNode).Parameters['Xname'].Aliases | Should -Contain 'ID'
    }
}
