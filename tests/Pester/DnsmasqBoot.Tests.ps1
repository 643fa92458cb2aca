# End to end WITHOUT QEMU's built-in DHCP: a private network namespace holds a bridge (br0) and a tap
# device (tap0). Inside it run, in a child pwsh: our server (Start-ChamiServer -Dnsmasq, so the REAL
# dnsmasq with the configuration generated from the inventory) and a static file server for the kernel
# and initramfs. A QEMU guest on tap0 PXE-boots through Debian's iPXE ROM: lease + boot-script URL from
# dnsmasq, iPXE script + kernel command line from our /boot/v1/bootscript. The node's NIC is registered
# by THIS process after the server is up, so dnsmasq only knows it if the server noticed the change in
# the database and reloaded it. Nothing leaves the namespace: it has no link to the host's networks.
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot '../boot/BootHarness.psm1') -Force
    $script:skipReason = $null
    $harness = Get-BootHarnessStatus
    $ip = Get-Command ip -CommandType Application -ErrorAction SilentlyContinue
    $dnsmasq = @('/usr/sbin/dnsmasq', '/sbin/dnsmasq') + @(Get-Command dnsmasq -CommandType Application -ErrorAction SilentlyContinue | ForEach-Object Source) |
        Where-Object { $_ -and (Test-Path -LiteralPath $_) } | Select-Object -First 1
    if (-not $IsLinux) { $script:skipReason = 'needs Linux network namespaces' }
    elseif (-not $harness.Ready) { $script:skipReason = $harness.Reason }
    elseif (-not $ip) { $script:skipReason = 'ip (iproute2) not installed' }
    elseif (-not $dnsmasq) { $script:skipReason = 'dnsmasq not installed (apt-get install dnsmasq-base)' }
    elseif (-not (Test-Path -LiteralPath '/usr/lib/ipxe/undionly.kpxe')) { $script:skipReason = 'Debian ipxe package not installed' }
    else {
        # The one way to know whether namespaces are permitted here: try once.
        $probe = "chami-probe-$([guid]::NewGuid().ToString('n').Substring(0, 8))"
        $out = & ip netns add $probe 2>&1
        if ($LASTEXITCODE -ne 0) { $script:skipReason = "network namespaces not permitted: $out" }
        else { & ip netns del $probe 2>&1 | Out-Null }
    }
    if ($script:skipReason) { Write-Warning "dnsmasq end-to-end boot skipped: $($script:skipReason)" }
}

Describe 'PXE boot from power-on through the real dnsmasq to our boot script' -Skip:($null -ne $script:skipReason) -Tag LiteDbOnly {
    BeforeAll {
        Import-Module $env:OPENCHAMI_MODULE -Force
        Import-Module (Join-Path $PSScriptRoot '../boot/BootHarness.psm1') -Force
        $suffix = [guid]::NewGuid().ToString('n').Substring(0, 8)
        $ns = "chami-test-$suffix"
        $serverAddress = '10.77.0.1'
        $nodeAddress = '10.77.0.50'
        $mac = '52:54:00:77:00:50'
        $xname = 'x1000c0s0b0n0'
        $work = Join-Path ([IO.Path]::GetTempPath()) "chami-dnsmasqboot-$suffix"
        $database = Join-Path $work 'inventory.db'
        $stateDirectory = Join-Path $work 'inventory.dnsmasq'
        $serverLog = Join-Path $work 'server.log'
        $stopFile = Join-Path $work 'stop'
        $readyFile = Join-Path $work 'ready'
        $state = @{ Child = $null }

        # Everything this test created, removed in any case (AfterAll, and the exit trap below).
        $cleanup = {
            $child = $state.Child
            Set-Content -LiteralPath $stopFile -Value 'stop' -ErrorAction SilentlyContinue
            if ($child -and -not $child.HasExited) {
                if (-not $child.WaitForExit(15000)) { $child.Kill($true); [void]$child.WaitForExit(5000) }
            }
            # Whatever still runs inside our namespace was started by this test (dnsmasq, QEMU).
            foreach ($procId in @(& ip netns pids $ns 2>$null)) {
                if ($procId -match '^\d+$') { Stop-Process -Id ([int]$procId) -Force -ErrorAction SilentlyContinue }
            }
            # Deleting the namespace deletes br0 and tap0 with it.
            & ip netns del $ns 2>$null
            Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction SilentlyContinue
        }.GetNewClosure()
        $exitTrap = Register-EngineEvent -SourceIdentifier PowerShell.Exiting -Action $cleanup

        function Invoke-InNamespace([string[]] $Command) {
            $out = & ip netns exec $ns @Command 2>&1
            if ($LASTEXITCODE -ne 0) { throw "ip netns exec $ns $($Command -join ' '): $out" }
            $out
        }

        New-Item -ItemType Directory -Path (Join-Path $work 'files') -Force | Out-Null
        & ip netns add $ns 2>&1 | Out-Null
        if ($LASTEXITCODE -ne 0) { throw "cannot create network namespace $ns" }
        Invoke-InNamespace 'ip', 'link', 'set', 'lo', 'up'
        Invoke-InNamespace 'ip', 'link', 'add', 'br0', 'type', 'bridge'
        Invoke-InNamespace 'ip', 'addr', 'add', "$serverAddress/24", 'dev', 'br0'
        Invoke-InNamespace 'ip', 'tuntap', 'add', 'dev', 'tap0', 'mode', 'tap'
        Invoke-InNamespace 'ip', 'link', 'set', 'tap0', 'master', 'br0'
        Invoke-InNamespace 'ip', 'link', 'set', 'tap0', 'up'
        Invoke-InNamespace 'ip', 'link', 'set', 'br0', 'up'

        $harness = Get-BootHarnessStatus
        Copy-Item -LiteralPath $harness.Kernel -Destination (Join-Path $work 'files/vmlinuz')
        New-BootTestInitramfs -Path (Join-Path $work 'files/initrd.img') -KernelPath $harness.Kernel | Out-Null

        # The inventory before the server starts: another node, not ours.
        Connect-ChamiDatabase -Path $database | Out-Null
        New-ChamiNode -Xname x1000c0s1b0n0 -MacAddress 52:54:00:77:00:99 -IPAddress 10.77.0.99 | Out-Null

        # The server side runs inside the namespace (a fresh one, so fixed ports are free).
        $serverScript = Join-Path $work 'server.ps1'
        Set-Content -LiteralPath $serverScript -Value @'
param($ModulePath, $HarnessPath, $Database, $Root, $Address, $LogPath, $ReadyFile, $StopFile)
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath
Import-Module $HarnessPath
$files = Start-BootTestFileServer -Root $Root -Port 8080 -BindAddress $Address
$server = Start-ChamiServer -DatabasePath $Database -BindAddress $Address -Port 8081 -LogPath $LogPath `
    -Dnsmasq -DnsmasqInterface br0 -DnsmasqDhcpRange '10.77.0.100-10.77.0.150/24' -DnsmasqRouter $Address -DnsmasqDomain cluster.test
Set-Content -LiteralPath $ReadyFile -Value $server.Url
# Bounded: the test asks us to stop, or we give up on our own.
$deadline = [DateTime]::UtcNow.AddMinutes(15)
while (-not (Test-Path -LiteralPath $StopFile) -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 200 }
$server | Stop-ChamiServer
Stop-BootTestFileServer $files
'@
        $psi = [System.Diagnostics.ProcessStartInfo]::new('ip')
        foreach ($a in @('netns', 'exec', $ns, [Environment]::ProcessPath, (Join-Path $PSHOME 'pwsh.dll'), '-NoProfile', '-NonInteractive', '-File', $serverScript,
                $env:OPENCHAMI_MODULE, (Join-Path $PSScriptRoot '../boot/BootHarness.psm1'), $database, (Join-Path $work 'files'),
                $serverAddress, $serverLog, $readyFile, $stopFile)) { $psi.ArgumentList.Add($a) }
        $psi.UseShellExecute = $false
        $psi.RedirectStandardInput = $true
        $psi.RedirectStandardOutput = $true
        $psi.RedirectStandardError = $true
        $child = [System.Diagnostics.Process]::Start($psi)
        $state.Child = $child
        $child.StandardInput.Close()
        $childOut = $child.StandardOutput.ReadToEndAsync()
        $childErr = $child.StandardError.ReadToEndAsync()
        $sw = [Diagnostics.Stopwatch]::StartNew()
        while (-not (Test-Path -LiteralPath $readyFile) -and -not $child.HasExited -and $sw.Elapsed.TotalSeconds -lt 60) { Start-Sleep -Milliseconds 200 }
        if (-not (Test-Path -LiteralPath $readyFile)) {
            if (-not $child.HasExited) { $child.Kill($true) }
            throw "server in the namespace did not start: $($childErr.Result) $($childOut.Result)"
        }
        Write-Host ("server + dnsmasq up in {0:N1} s" -f $sw.Elapsed.TotalSeconds)
        $dnsmasqPid = [int](Get-Content -LiteralPath (Join-Path $stateDirectory 'dnsmasq.pid') -Raw).Trim()

        # Now the NIC, from this process: the server must notice the database change and reload dnsmasq.
        New-ChamiNode -Xname $xname -MacAddress $mac -IPAddress $nodeAddress | Out-Null
        Set-ChamiBootParams -Xname $xname -Kernel "http://${serverAddress}:8080/vmlinuz" -Initrd "http://${serverAddress}:8080/initrd.img" -Params 'console=ttyS0 panic=-1'
        $hostsFile = Join-Path $stateDirectory 'dhcp-hosts'
        $sw.Restart()
        while ($sw.Elapsed.TotalSeconds -lt 20 -and -not ((Get-Content -LiteralPath $hostsFile -Raw) -match [regex]::Escape($mac))) { Start-Sleep -Milliseconds 200 }
        $reloadSeconds = $sw.Elapsed.TotalSeconds
        Write-Host ("NIC change picked up in {0:N1} s" -f $reloadSeconds)
        # dnsmasq logs "read <file> - N addresses" when SIGHUP made it re-read.
        $sw.Restart()
        while ($sw.Elapsed.TotalSeconds -lt 10 -and -not (Select-String -LiteralPath $serverLog -Pattern 'read .*dhcp-hosts' -Quiet)) { Start-Sleep -Milliseconds 200 }

        $result = Invoke-QemuNetBoot -TapInterface tap0 -NetNamespace $ns -MacAddress $mac -TimeoutSec 300
        Write-Host ("QEMU boot ({0}): {1:N1} s, iPXE {2}" -f $result.Accelerator, $result.Duration.TotalSeconds, $result.IpxeVersion)
        if (-not $result.KernelCmdline) { Write-Host $result.Console }
    }
    AfterAll {
        & $cleanup
        if ($exitTrap) { Unregister-Event -SourceIdentifier PowerShell.Exiting -ErrorAction SilentlyContinue; Remove-Job $exitTrap -Force -ErrorAction SilentlyContinue }
        Disconnect-ChamiDatabase
    }

    It 'reloaded dnsmasq with the NIC registered by another process' {
        Get-Content -LiteralPath (Join-Path $stateDirectory 'dhcp-hosts') | Should -Contain "$mac,$nodeAddress,$xname"
        Get-Content -LiteralPath (Join-Path $stateDirectory 'hosts') | Should -Contain "$nodeAddress $xname.cluster.test $xname"
        Select-String -LiteralPath $serverLog -Pattern 'inventory changed: dnsmasq reloaded' -Quiet | Should -BeTrue
    }

    It 'booted with the lease from the dnsmasq host entry, not from QEMU' {
        $result.Failure | Should -BeNullOrEmpty
        $result.Arguments | Should -Contain 'tap,id=n0,ifname=tap0,script=no,downscript=no'
        ($result.Arguments -join ' ') | Should -Not -Match 'user,'
        # The booted Linux asked DHCP again (udhcpc) and got the fixed address.
        $result.Net | Should -Match ([regex]::Escape("$nodeAddress/24"))
        # dnsmasq's own account: it acknowledged that address for that MAC on the bridge.
        Select-String -LiteralPath $serverLog -Pattern ("DHCPACK\(br0\) {0} {1}" -f [regex]::Escape($nodeAddress), $mac) -Quiet | Should -BeTrue
    }

    It 'handed iPXE the fixed boot-script URL, and our server gave the node its kernel command line' {
        $result.IpxeSeen | Should -BeTrue
        -split $result.KernelCmdline | Should -Contain "xname=$xname"
        -split $result.KernelCmdline | Should -Contain 'console=ttyS0'
        # The fixed URL in dnsmasq's configuration, then our server answering the node on it (twice: the
        # selector script, and the chained ?mac= request; the log shows paths without queries).
        Get-Content -LiteralPath (Join-Path $stateDirectory 'dnsmasq.conf') | Should -Contain "dhcp-boot=tag:ipxe,http://${serverAddress}:8081/boot/v1/bootscript"
        @(Select-String -LiteralPath $serverLog -Pattern ("{0} GET /boot/v1/bootscript 200" -f [regex]::Escape($nodeAddress))).Count | Should -BeGreaterOrEqual 2
    }

    It 'serves the node names in DNS and the iPXE binaries over TFTP' {
        $lookup = & ip netns exec $ns busybox nslookup "$xname.cluster.test" $serverAddress 2>&1
        ($lookup -join "`n") | Should -Match ([regex]::Escape($nodeAddress))
        $copy = Join-Path $work 'undionly.kpxe'
        & ip netns exec $ns busybox tftp -g -r undionly.kpxe -l $copy $serverAddress 2>&1 | Out-Null
        (Get-FileHash -LiteralPath $copy).Hash | Should -Be (Get-FileHash -LiteralPath '/usr/lib/ipxe/undionly.kpxe').Hash
    }

    It 'says DnsmasqStartFailed with dnsmasq''s reason when it cannot start, and leaves no server running' {
        # A second server with its own dnsmasq on the same bridge: the DHCP/DNS ports are taken by the first.
        $second = Join-Path $work 'second.db'
        $command = "Import-Module '$env:OPENCHAMI_MODULE'; try { Start-ChamiServer -DatabasePath '$second' -BindAddress $serverAddress -Port 8082 " +
            "-Dnsmasq -DnsmasqInterface br0 -DnsmasqDhcpRange 10.77.0.0/24 -ErrorAction Stop | Out-Null; 'STARTED' } " +
            "catch { `$_.FullyQualifiedErrorId; `$_.Exception.Message }; 'SERVERS=' + @(Get-ChamiServer).Count"
        $out = & ip netns exec $ns ([Environment]::ProcessPath) (Join-Path $PSHOME 'pwsh.dll') -NoProfile -NonInteractive -Command $command 2>&1
        $text = $out -join "`n"
        $text | Should -Not -Match 'STARTED'
        $text | Should -Match 'DnsmasqStartFailed,'
        $text | Should -Match 'dnsmasq exited at start \(code \d+\): .*(Address already in use|address in use)'
        $text | Should -Match 'SERVERS=0'
        # The first dnsmasq is unharmed.
        Get-Process -Id $dnsmasqPid -ErrorAction SilentlyContinue | Should -Not -BeNullOrEmpty
    }

    It 'stops dnsmasq with the server' {
        Get-Process -Id $dnsmasqPid -ErrorAction SilentlyContinue | Should -Not -BeNullOrEmpty
        Set-Content -LiteralPath $stopFile -Value 'stop'
        $child.WaitForExit(30000) | Should -BeTrue
        $sw = [Diagnostics.Stopwatch]::StartNew()
        while ((Get-Process -Id $dnsmasqPid -ErrorAction SilentlyContinue) -and $sw.Elapsed.TotalSeconds -lt 10) { Start-Sleep -Milliseconds 100 }
        Get-Process -Id $dnsmasqPid -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        Select-String -LiteralPath $serverLog -Pattern 'dnsmasq stopped' -Quiet | Should -BeTrue
    }
}
