<#
.SYNOPSIS
    End-to-end proof of the boot harness, independent of the OpenChami server.

.DESCRIPTION
    Serves a hand-written iPXE script, the host's kernel, a freshly built test
    initramfs and a NoCloud seed from a loopback-only HTTP server, network-boots
    a QEMU guest through the real iPXE e1000 ROM, and checks that:
      - the firmware that ran was iPXE and it asked for the boot script with
        the NIC's MAC (expanded by iPXE from ${net0/mac});
      - the booted kernel's /proc/cmdline is the one the script chose;
      - the node fetched meta-data (and user-data) from the ds=nocloud-net seed.
    Exits 0 when every check passes, 1 otherwise, 2 when the harness cannot run.

.EXAMPLE
    cd /work/main && dotnet pwsh -NoProfile -File tests/boot/Demo-Boot.ps1
#>
[CmdletBinding()]
param(
    [ValidateSet('auto', 'kvm', 'tcg')] [string] $Accelerator = 'auto',
    [int] $TimeoutSec = 180,
    [string] $MacAddress = '52:54:00:12:34:56',
    # Keep the served files and serial log for inspection.
    [switch] $KeepFiles
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot 'BootHarness.psm1') -Force

$status = Get-BootHarnessStatus
if (-not $status.Ready) {
    Write-Host "Demo-Boot: cannot run: $($status.Reason)"
    exit 2
}
Write-Host "Harness: qemu=$($status.Qemu) rom=$($status.IpxeRom) kernel=$($status.Kernel) e1000=$($status.NetDriver) busybox=$($status.Busybox)"

$work = Join-Path ([System.IO.Path]::GetTempPath()) "chami-demo-boot-$([guid]::NewGuid().ToString('n').Substring(0, 8))"
$server = $null
$failed = 0
$passed = 0
function Assert-That([bool] $condition, [string] $what) {
    if ($condition) { $script:passed++; Write-Host "PASS: $what" }
    else { $script:failed++; Write-Host "FAIL: $what" }
}

try {
    New-Item -ItemType Directory -Path (Join-Path $work 'seed'), (Join-Path $work 'boot/v1') -Force | Out-Null
    Copy-Item -LiteralPath $status.Kernel -Destination (Join-Path $work 'vmlinuz')
    $sw = [System.Diagnostics.Stopwatch]::StartNew()
    $initrd = New-BootTestInitramfs -Path (Join-Path $work 'initrd.img') -KernelPath $status.Kernel
    Write-Host ("Initramfs: {0:N0} bytes in {1:N1} s" -f $initrd.Length, $sw.Elapsed.TotalSeconds)

    $metaData = "instance-id: demo-x1000c0s0b0n0`nlocal-hostname: x1000c0s0b0n0`n"
    $userData = "#cloud-config`nhostname: x1000c0s0b0n0`n"
    Set-Content -LiteralPath (Join-Path $work 'seed/meta-data') -Value $metaData -NoNewline
    Set-Content -LiteralPath (Join-Path $work 'seed/user-data') -Value $userData -NoNewline

    $server = Start-BootTestFileServer -Root $work
    $base = $server.GuestUrl.TrimEnd('/')
    # What BSS would serve. ';' inside the kernel line is passed through by iPXE;
    # console=ttyS0 routes the kernel's console to the serial log we read.
    $ipxeScript = @(
        '#!ipxe'
        'echo CHAMI demo boot script for ${net0/mac}'
        "kernel $base/vmlinuz console=ttyS0 xname=x1000c0s0b0n0 ds=nocloud-net;s=$base/seed/"
        "initrd $base/initrd.img"
        'boot'
    ) -join "`n"
    Set-Content -LiteralPath (Join-Path $work 'boot/v1/bootscript') -Value "$ipxeScript`n" -NoNewline

    # Single quotes: ${net0/mac} is for iPXE to expand, not PowerShell.
    $bootUrl = "$base/boot/v1/bootscript" + '?mac=${net0/mac}'
    Write-Host "Booting $MacAddress from $bootUrl (accelerator: $Accelerator, timeout: $TimeoutSec s)"
    $logPath = if ($KeepFiles) { Join-Path $work 'serial.log' } else { $null }
    $result = Invoke-QemuNetBoot -BootUrl $bootUrl -MacAddress $MacAddress -TimeoutSec $TimeoutSec -Accelerator $Accelerator -LogPath $logPath

    Write-Host '----- serial console -----'
    Write-Host $result.Console
    Write-Host '--------------------------'
    $result | Select-Object KernelCmdline, Net, MetaData, UserData, IpxeSeen, IpxeVersion, ExitedCleanly, TimedOut, Failure, ExitCode, Accelerator, Duration | Format-List | Out-String | Write-Host
    Write-Host 'HTTP requests:'
    $server.Requests | ForEach-Object { Write-Host "  $($_.Method) $($_.Target) -> $($_.Status)" }

    $bootRequest = @($server.Requests | Where-Object { $_.Target -like '/boot/v1/bootscript*' }) | Select-Object -First 1
    Assert-That $result.IpxeSeen 'iPXE firmware ran (console shows iPXE)'
    # The banner carries the Debian package version, tying the firmware that
    # ran to ipxe-qemu's efi-e1000.rom rather than some other ROM.
    $packaged = if (Get-Command dpkg-query -CommandType Application -ErrorAction SilentlyContinue) { & dpkg-query -W -f '${Version}' ipxe-qemu 2>$null }
    if ($packaged) {
        Assert-That ($result.IpxeVersion -eq $packaged) "iPXE banner version '$($result.IpxeVersion)' is ipxe-qemu $packaged"
    }
    # iPXE percent-encodes the expanded MAC (52%3A54%3A...), as any client may.
    Assert-That ($null -ne $bootRequest -and [Uri]::UnescapeDataString($bootRequest.Target) -eq "/boot/v1/bootscript?mac=$MacAddress") "firmware requested the boot script with mac=$MacAddress"
    Assert-That ($null -ne $result.KernelCmdline -and $result.KernelCmdline -match '(^| )xname=x1000c0s0b0n0( |$)') 'kernel command line contains xname=x1000c0s0b0n0'
    Assert-That ($null -ne $result.KernelCmdline -and $result.KernelCmdline.Contains("ds=nocloud-net;s=$base/seed/")) 'kernel command line kept the ds=nocloud-net seed intact'
    Assert-That ($null -ne $result.MetaData -and $result.MetaData.Contains('local-hostname: x1000c0s0b0n0')) 'node fetched meta-data from the seed URL'
    Assert-That ($result.UserData -eq $userData.TrimEnd("`n")) 'node fetched user-data from the seed URL'
    Assert-That $result.ExitedCleanly 'guest powered off by itself (QEMU exited 0 before the timeout)'
    Write-Host ("Boot time (QEMU start to power-off, {0}): {1:N1} s" -f $result.Accelerator, $result.Duration.TotalSeconds)
} finally {
    if ($server) { Stop-BootTestFileServer $server }
    if ($KeepFiles) { Write-Host "Files kept in $work" }
    else { Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction SilentlyContinue }
}

Write-Host "Demo-Boot: $passed passed, $failed failed"
exit $(if ($failed -eq 0) { 0 } else { 1 })
