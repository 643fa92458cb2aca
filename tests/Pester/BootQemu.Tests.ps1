# Real firmware end to end: Debian's iPXE e1000 ROM in QEMU asks our /boot/v1/bootscript (through the
# one fixed URL a DHCP server would hand out), follows the chain to ?mac=, downloads the kernel and
# initramfs, and boots Linux. The initramfs prints /proc/cmdline on the serial console.
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot '../boot/BootHarness.psm1') -Force
    $script:harness = Get-BootHarnessStatus
    # CI installs the packages (.ci/apt-packages.txt); elsewhere say why this is skipped.
    if (-not $script:harness.Ready) { Write-Warning "Real-firmware boot test skipped: $($script:harness.Reason)" }
}

BeforeAll {
    # One lab per Describe: the kernel and a test initramfs served by a loopback file server, an in-memory database, a server.
    function Start-QemuBootLab([string] $Name) {
        $harness = Get-BootHarnessStatus
        $work = Join-Path ([IO.Path]::GetTempPath()) "chami-$Name-$([guid]::NewGuid().ToString('n').Substring(0, 8))"
        New-Item -ItemType Directory -Path $work | Out-Null
        Copy-Item -LiteralPath $harness.Kernel -Destination (Join-Path $work 'vmlinuz')
        New-BootTestInitramfs -Path (Join-Path $work 'initrd.img') -KernelPath $harness.Kernel | Out-Null
        # Our server serves no files (images live on the site's web/S3 server): a loopback static server stands in.
        $files = Start-BootTestFileServer -Root $work
        Connect-ChamiDatabase -InMemory
        [pscustomobject]@{ Work = $work; Files = $files; FilesUrl = $files.GuestUrl.TrimEnd('/'); Server = (Start-ChamiServer -Port 0) }
    }
    function Stop-QemuBootLab($Lab) {
        if ($Lab.Server) { $Lab.Server | Stop-ChamiServer }
        if ($Lab.Files) { Stop-BootTestFileServer $Lab.Files }
        Disconnect-ChamiDatabase
        if ($Lab.Work) { Remove-Item -LiteralPath $Lab.Work -Recurse -Force -ErrorAction SilentlyContinue }
    }
}

Describe 'Network boot through /boot/v1/bootscript with real iPXE firmware' -Skip:(-not $script:harness.Ready) -Tag LiteDbOnly {
    BeforeAll {
        Import-Module $env:OPENCHAMI_MODULE -Force
        Import-Module (Join-Path $PSScriptRoot '../boot/BootHarness.psm1') -Force
        $mac = '52:54:00:c4:a1:01'
        $lab = Start-QemuBootLab bootqemu
        $files = $lab.Files; $filesUrl = $lab.FilesUrl; $server = $lab.Server
        New-ChamiNode -Xname x1000c0s0b0n0 -Nid 17 -MacAddress $mac -Group compute | Out-Null
        Get-ChamiNode -Group compute |
            Set-ChamiBootParams -Kernel "$filesUrl/vmlinuz" -Initrd "$filesUrl/initrd.img" -Params 'console=ttyS0 panic=-1 chami.test=pester'

        # The one fixed URL (no selector): our reply chains back with ?mac=${net0/mac}&arch=${buildarch}.
        $bootUrl = "http://10.0.2.2:$($server.Port)/boot/v1/bootscript"
        $result = Invoke-QemuNetBoot -BootUrl $bootUrl -MacAddress $mac -TimeoutSec 120
        Write-Host ("QEMU boot ({0}): {1:N1} s, iPXE {2}" -f $result.Accelerator, $result.Duration.TotalSeconds, $result.IpxeVersion)
        if (-not $result.KernelCmdline) { Write-Host $result.Console }
    }
    AfterAll { if ($lab) { Stop-QemuBootLab $lab } }

    It 'ran the iPXE firmware and booted the kernel' {
        $result.IpxeSeen | Should -BeTrue
        $result.Failure | Should -BeNullOrEmpty
        $result.KernelCmdline | Should -Not -BeNullOrEmpty
    }

    It 'booted with the params, xname=, nid= and BOOTIF= set through Set-ChamiBootParams' {
        $tokens = -split $result.KernelCmdline
        $tokens | Should -Contain 'console=ttyS0'
        $tokens | Should -Contain 'chami.test=pester'
        $tokens | Should -Contain 'xname=x1000c0s0b0n0'
        $tokens | Should -Contain 'nid=17'
        $tokens | Should -Contain 'BOOTIF=01-52-54-00-c4-a1-01'
        # The node's own signed seed URL (ends in '/': Debian's cloud-init 22.4 appends meta-data verbatim).
        @($tokens | Where-Object { $_ -like "ds=nocloud-net;s=http://10.0.2.2:$($server.Port)/cloud-init/n/x1000c0s0b0n0.*/" }).Count | Should -Be 1
    }

    It 'fetched its own cloud-init meta-data from the seed URL in its command line (through QEMU NAT)' {
        $result.MetaData | Should -Not -BeNullOrEmpty -Because "the console said: $($result.Console | Select-String 'CHAMI-METADATA')"
        $expected = Get-ChamiCloudInitData -Xname x1000c0s0b0n0 -Kind MetaData
        $result.MetaData | Should -Match 'instance-id: i-[0-9a-f]+'
        ($result.MetaData -split "`n" | Where-Object { $_ -match '^instance-id:' }) | Should -Be (("$($expected.Content)" -split "`n") | Where-Object { $_ -match '^instance-id:' })
        $result.MetaData | Should -Match '(?m)^local-hostname: '
        $result.MetaData | Should -Match '(?m)^\s+compute:'   # its group, from the inventory
    }

    It 'is exactly the command line Get-ChamiBootScript predicts' {
        $predicted = Get-ChamiBootScript -MacAddress $mac -BaseUrl "http://10.0.2.2:$($server.Port)"
        $predicted.Source | Should -Be 'host:x1000c0s0b0n0'
        # iPXE passes "initrd=initrd" through to the kernel verbatim.
        $result.KernelCmdline | Should -BeExactly $predicted.CommandLine
    }

    It 'fetched the kernel and initramfs from the URLs we handed out, and recorded the boot' {
        $targets = @($files.Requests | ForEach-Object Target)
        $targets | Should -Contain '/vmlinuz'
        $targets | Should -Contain '/initrd.img'
        (Invoke-RestMethod "$($server.Url)/boot/v1/endpoint-history?name=x1000c0s0b0n0").endpoint | Should -Be 'bootscript'
    }
}

# The same firmware and machinery through boot-service (spec/boot-service.md §4): coresmd chains nodes to
# /boot-service/bootscript?mac=..., the node's configuration comes from New-ChamiBootConfig and is picked by score.
Describe 'Network boot through /boot-service/bootscript with real iPXE firmware' -Skip:(-not $script:harness.Ready) -Tag LiteDbOnly {
    BeforeAll {
        Import-Module $env:OPENCHAMI_MODULE -Force
        Import-Module (Join-Path $PSScriptRoot '../boot/BootHarness.psm1') -Force
        $mac = '52:54:00:c4:a1:02'
        $lab = Start-QemuBootLab bootsvc
        $files = $lab.Files; $filesUrl = $lab.FilesUrl; $server = $lab.Server
        New-ChamiNode -Xname x1000c0s0b0n1 -Nid 18 -MacAddress $mac -Group compute | Out-Null
        # A catch-all that must lose to the group's configuration (score 1 against 25).
        New-ChamiBootConfig -Name everyone -Kernel "$filesUrl/missing-vmlinuz" -Priority 100 | Out-Null
        New-ChamiBootConfig -Name compute -Group compute -Kernel "$filesUrl/vmlinuz" -Initrd "$filesUrl/initrd.img" -Params 'console=ttyS0 panic=-1 chami.test=bootsvc' | Out-Null

        # What coresmd hands out in OpenCHAMI's tutorial: boot-service's script URL with the NIC's MAC.
        $bootUrl = "http://10.0.2.2:$($server.Port)/boot-service/bootscript?mac=`${net0/mac}"
        $result = Invoke-QemuNetBoot -BootUrl $bootUrl -MacAddress $mac -TimeoutSec 120
        Write-Host ("QEMU boot-service boot ({0}): {1:N1} s, iPXE {2}" -f $result.Accelerator, $result.Duration.TotalSeconds, $result.IpxeVersion)
        if (-not $result.KernelCmdline) { Write-Host $result.Console }
    }
    AfterAll { if ($lab) { Stop-QemuBootLab $lab } }

    It 'ran the iPXE firmware and booted the kernel of the best-scoring configuration' {
        $result.IpxeSeen | Should -BeTrue
        $result.Failure | Should -BeNullOrEmpty
        $result.KernelCmdline | Should -Not -BeNullOrEmpty
        $targets = @($files.Requests | ForEach-Object Target)
        $targets | Should -Contain '/vmlinuz'
        $targets | Should -Not -Contain '/missing-vmlinuz'
    }

    It 'booted with the params, xname=, nid= and BOOTIF= of boot-service''s script' {
        $tokens = -split $result.KernelCmdline
        $tokens | Should -Contain 'chami.test=bootsvc'
        $tokens | Should -Contain 'xname=x1000c0s0b0n1'
        $tokens | Should -Contain 'nid=18'
        $tokens | Should -Contain 'BOOTIF=01-52-54-00-c4-a1-02'
        @($tokens | Where-Object { $_ -like "ds=nocloud-net;s=http://10.0.2.2:$($server.Port)/cloud-init/n/x1000c0s0b0n1.*/" }).Count | Should -Be 1
    }

    It 'is the configuration Get-ChamiBootScript -Explain says wins, and why' {
        $explained = Get-ChamiBootScript -MacAddress $mac -Explain
        $explained.Winner | Should -Be 'compute'
        $explained.Reason | Should -Match '^compute wins with score 25 \(group compute \(25\)\): the highest score \(next: everyone with 1\)$'
        @($explained.Candidates).Count | Should -Be 2
    }
}
