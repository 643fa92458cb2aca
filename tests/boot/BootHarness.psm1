<#
.SYNOPSIS
    Real-firmware network-boot harness for OpenChami end-to-end tests.

.DESCRIPTION
    Boots a QEMU x86 guest whose e1000 NIC carries Debian's iPXE option ROM
    (package ipxe-qemu). The guest gets its boot-script URL from QEMU's
    user-mode (slirp) DHCP server, so the *real* iPXE firmware fetches the boot
    script, downloads a real Debian kernel plus a tiny busybox initramfs built
    here, and boots it. The initramfs reports what it saw on the serial console
    with machine-readable markers:

        CHAMI-CMDLINE: <contents of /proc/cmdline>
        CHAMI-NET: <iface> <addr>            (or: dhcp failed)
        CHAMI-METADATA-BEGIN / body / CHAMI-METADATA-END   (or CHAMI-METADATA: none / CHAMI-METADATA-ERROR: ...)
        CHAMI-USERDATA-BEGIN / body / CHAMI-USERDATA-END   (same variants)
        CHAMI-DONE

    Inside the guest, 10.0.2.2 is slirp's alias for the host's loopback, so a
    server listening on 127.0.0.1:<port> is reachable at http://10.0.2.2:<port>.

    Nothing here needs root: the initramfs is written as a newc cpio by this
    module (so /dev/console can be a real device node without mknod). KVM is
    used only when a probe boot under it succeeds; otherwise QEMU runs under TCG.
#>

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

# The guest-visible address of the host loopback under QEMU user networking.
$script:GuestHostAddress = '10.0.2.2'
$script:NetDriver = 'e1000'

#region helpers

function Find-Executable([string] $Name) {
    $cmd = Get-Command -Name $Name -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
    if ($cmd) { return $cmd.Source }
    return $null
}

# True when the file can be opened for reading by the current user. Ubuntu-style
# 0600 kernels in /boot exist; Debian ships 0644, but check rather than assume.
function Test-Readable([string] $Path) {
    try {
        $fs = [System.IO.File]::Open($Path, 'Open', 'Read', 'ReadWrite')
        $fs.Dispose()
        return $true
    } catch {
        return $false
    }
}

# A dynamically linked busybox would die in the initramfs (no libc there), so
# insist on an ELF without a PT_INTERP program header.
function Test-StaticElf([string] $Path) {
    try {
        $bytes = [System.IO.File]::ReadAllBytes($Path)
    } catch {
        return $false
    }
    if ($bytes.Length -lt 64 -or $bytes[0] -ne 0x7f -or $bytes[1] -ne 0x45 -or $bytes[2] -ne 0x4c -or $bytes[3] -ne 0x46) { return $false }
    if ($bytes[4] -ne 2) { return $false }   # only ELF64 matters for an x86_64 guest
    $phoff = [BitConverter]::ToUInt64($bytes, 0x20)
    $phentsize = [BitConverter]::ToUInt16($bytes, 0x36)
    $phnum = [BitConverter]::ToUInt16($bytes, 0x38)
    for ($i = 0; $i -lt $phnum; $i++) {
        $off = $phoff + [uint64]($i * $phentsize)
        if ($off + 4 -gt [uint64]$bytes.Length) { return $false }   # truncated: not something to trust
        if ([BitConverter]::ToUInt32($bytes, [int]$off) -eq 3) { return $false }   # PT_INTERP
    }
    return $true
}

# Kernel version strings ("6.1.0-56-amd64") must sort numerically, not lexically.
function Get-NaturalSortKey([string] $s) {
    [regex]::Replace($s, '\d+', { param($m) $m.Value.PadLeft(10, '0') })
}

function Get-KernelVersionFromPath([string] $KernelPath) {
    $leaf = Split-Path -Leaf $KernelPath
    if ($leaf -match '^(?:vmlinuz|bzImage|vmlinux)-(.+)$') { return $Matches[1] }
    return $null
}

function Get-DefaultBusyboxPath {
    foreach ($p in '/bin/busybox', '/usr/bin/busybox') {
        if (Test-Path -LiteralPath $p -PathType Leaf) { return $p }
    }
    return Find-Executable 'busybox'
}

# Directories QEMU searches for option ROMs, as reported by QEMU itself
# (Debian: /usr/share/qemu, /usr/share/seabios, /usr/lib/ipxe/qemu).
function Get-QemuFirmwareDirs([string] $Qemu) {
    try {
        $out = & $Qemu -L help 2>$null
        return @($out | Where-Object { $_ -and (Test-Path -LiteralPath $_ -PathType Container) })
    } catch {
        return @()
    }
}

function Find-IpxeRom([string] $Qemu) {
    # QEMU 7.x's e1000 device defaults to romfile=efi-e1000.rom (a combined
    # legacy-BIOS + EFI iPXE image); pxe-e1000.rom is the older BIOS-only name.
    foreach ($dir in (Get-QemuFirmwareDirs $Qemu)) {
        foreach ($name in 'efi-e1000.rom', 'pxe-e1000.rom') {
            $p = Join-Path $dir $name
            if (Test-Path -LiteralPath $p -PathType Leaf) { return (Resolve-Path -LiteralPath $p).ProviderPath }
        }
    }
    return $null
}

function Test-KvmDevice {
    if (-not (Test-Path -LiteralPath '/dev/kvm')) { return $false }
    try {
        $fs = [System.IO.File]::Open('/dev/kvm', 'Open', 'ReadWrite', 'ReadWrite')
        $fs.Dispose()
        return $true
    } catch {
        return $false
    }
}

# CPU model per accelerator. Under TCG, 'max' lets the kernel pick faster code
# paths than qemu64. Under nested KVM (e.g. inside a cloud VM) the host may
# refuse IA32_ARCH_CAPABILITIES, which QEMU treats as fatal, so hide it.
function Get-DefaultCpuModel([string] $Accelerator) {
    if ($Accelerator -eq 'kvm') { return 'host,-arch-capabilities' }
    return 'max'
}

# An openable /dev/kvm is not proof that KVM works: under some nested
# hypervisors guests start but timer interrupts never arrive, so iPXE and Linux
# hang forever. Boot the real kernel without a root fs and panic=-1: on a
# working KVM it reaches the "cannot mount root" panic and, with -no-reboot,
# QEMU exits within a second or two. Cached for the session.
$script:KvmProbe = $null
function Test-KvmBoots {
    if ($null -ne $script:KvmProbe) { return $script:KvmProbe }
    $ok = $false
    try {
        if (Test-KvmDevice) {
            $qemu = Find-Executable 'qemu-system-x86_64'
            $kernel = Get-BootTestKernel
            $log = [System.IO.Path]::Combine([System.IO.Path]::GetTempPath(), "chami-kvm-probe-$([guid]::NewGuid().ToString('n')).log")
            try {
                $probeArgs = @('-nodefaults', '-no-user-config', '-machine', 'pc,graphics=off', '-accel', 'kvm',
                    '-cpu', (Get-DefaultCpuModel 'kvm'), '-m', '256', '-display', 'none', '-vga', 'none', '-monitor', 'none',
                    '-serial', "file:$log", '-no-reboot', '-kernel', $kernel, '-append', 'console=ttyS0 panic=-1')
                $run = Invoke-QemuProcess $qemu $probeArgs $log 8 $null
                $ok = $run.ExitCode -eq 0 -and -not $run.TimedOut
                Write-Verbose "KVM probe: $(if ($ok) { 'works' } else { "unusable ($($run.Failure))" }) in $($run.Duration.TotalSeconds) s"
            } finally {
                Remove-Item -LiteralPath $log -Force -ErrorAction SilentlyContinue
            }
        }
    } catch {
        Write-Verbose "KVM probe failed: $_"
    }
    $script:KvmProbe = $ok
    return $ok
}

# auto: $env:CHAMI_BOOT_ACCEL (kvm|tcg) when set - lets CI skip the probe -
# else KVM when it demonstrably boots a kernel, else TCG.
function Resolve-Accelerator([string] $Requested) {
    if ($Requested -ne 'auto') { return $Requested }
    if ($env:CHAMI_BOOT_ACCEL -in 'kvm', 'tcg') { return $env:CHAMI_BOOT_ACCEL }
    if (Test-KvmBoots) { return 'kvm' }
    return 'tcg'
}

# Decides how the kernel provides the NIC driver. Returns an object with
# .BuiltIn (bool) and .Modules (ordered module paths, dependencies first), or
# throws with a reason a human can act on.
function Resolve-NetDriverModules([string] $KernelVersion, [string] $Driver) {
    $config = if ($KernelVersion) { "/boot/config-$KernelVersion" } else { $null }
    if ($config -and (Test-Path -LiteralPath $config)) {
        $symbol = 'CONFIG_' + $Driver.ToUpperInvariant()
        $line = Select-String -LiteralPath $config -Pattern "^$symbol=(y|m)$" | Select-Object -First 1
        if (-not $line) { throw "kernel $KernelVersion has no $Driver driver ($symbol not set in $config)" }
        if ($line.Matches[0].Groups[1].Value -eq 'y') { return [pscustomobject]@{ BuiltIn = $true; Modules = @() } }
    }

    if (-not $KernelVersion) { throw "cannot tell the kernel version, so cannot find its $Driver module (name the kernel vmlinuz-<version>)" }
    $modDir = "/lib/modules/$KernelVersion"
    $depFile = Join-Path $modDir 'modules.dep'
    $builtinFile = Join-Path $modDir 'modules.builtin'
    $isDriver = { param($rel) ((Split-Path -Leaf $rel) -replace '\.ko(\.(xz|zst|gz))?$', '') -eq $Driver }

    if ((Test-Path -LiteralPath $builtinFile) -and (Get-Content -LiteralPath $builtinFile | Where-Object { & $isDriver $_ })) {
        return [pscustomobject]@{ BuiltIn = $true; Modules = @() }
    }
    if (-not (Test-Path -LiteralPath $depFile)) { throw "no ${depFile}: kernel modules for $KernelVersion are not installed" }

    $deps = @{}
    foreach ($l in [System.IO.File]::ReadLines($depFile)) {
        $colon = $l.IndexOf(':')
        if ($colon -lt 0) { continue }
        $deps[$l.Substring(0, $colon)] = @($l.Substring($colon + 1).Split(' ', [StringSplitOptions]::RemoveEmptyEntries))
    }
    $root = $deps.Keys | Where-Object { & $isDriver $_ } | Select-Object -First 1
    if (-not $root) { throw "$Driver is neither built into kernel $KernelVersion nor listed in $depFile" }

    # Post-order walk: every dependency precedes the modules that need it,
    # which is the order insmod (no modprobe/depmod in the guest) requires.
    $ordered = [System.Collections.Generic.List[string]]::new()
    $seen = [System.Collections.Generic.HashSet[string]]::new()
    $visit = $null
    $visit = {
        param($m)
        if (-not $seen.Add($m)) { return }
        foreach ($d in @($deps[$m])) { if ($d) { & $visit $d } }
        $ordered.Add($m)
    }
    & $visit $root
    return [pscustomobject]@{ BuiltIn = $false; Modules = @($ordered | ForEach-Object { Join-Path $modDir $_ }) }
}

# Busybox insmod uses init_module(2), which takes an uncompressed image, so
# compressed modules are expanded here rather than in the guest.
function Read-KernelModule([string] $Path) {
    if ($Path.EndsWith('.ko')) { return , [System.IO.File]::ReadAllBytes($Path) }
    if ($Path.EndsWith('.ko.gz')) {
        $in = [System.IO.File]::OpenRead($Path)
        try {
            $gz = [System.IO.Compression.GZipStream]::new($in, [System.IO.Compression.CompressionMode]::Decompress)
            $ms = [System.IO.MemoryStream]::new()
            $gz.CopyTo($ms)
            return , $ms.ToArray()
        } finally { $in.Dispose() }
    }
    $tool = $null
    if ($Path.EndsWith('.ko.xz')) {
        if ($x = Find-Executable 'xz') { $tool = @($x, '-dc', $Path) }
        elseif ($b = Get-DefaultBusyboxPath) { $tool = @($b, 'xzcat', $Path) }
        else { throw "cannot decompress ${Path}: install xz-utils" }
    } elseif ($Path.EndsWith('.ko.zst')) {
        if ($z = Find-Executable 'zstd') { $tool = @($z, '-dc', $Path) }
        else { throw "cannot decompress ${Path}: install zstd" }
    } else {
        throw "unknown kernel module format: $Path"
    }
    # Run the decompressor directly so binary stdout is not mangled by the
    # PowerShell pipeline.
    $psi = [System.Diagnostics.ProcessStartInfo]::new($tool[0])
    foreach ($a in $tool[1..($tool.Count - 1)]) { $psi.ArgumentList.Add($a) }
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardError = $true
    $psi.UseShellExecute = $false
    $p = [System.Diagnostics.Process]::Start($psi)
    try {
        $errTask = $p.StandardError.ReadToEndAsync()
        $ms = [System.IO.MemoryStream]::new()
        $p.StandardOutput.BaseStream.CopyTo($ms)
        $p.WaitForExit()
        if ($p.ExitCode -ne 0) { throw "decompressing $Path failed: $($errTask.Result)" }
        return , $ms.ToArray()
    } finally { $p.Dispose() }
}

# Minimal writer for the "newc" cpio format the kernel unpacks as initramfs.
# Writing it ourselves means entries are owned by root and /dev/console can be
# a character device without the builder needing root or the cpio tool.
class CpioWriter {
    hidden [System.IO.Stream] $Out
    hidden [int] $Inode = 1
    # Counted here because a GZipStream cannot report its Position.
    hidden [long] $Written = 0

    CpioWriter([System.IO.Stream] $out) { $this.Out = $out }

    hidden [void] Write([byte[]] $bytes, [int] $count) {
        $this.Out.Write($bytes, 0, $count)
        $this.Written += $count
    }

    # newc aligns every header and every file body to 4 bytes.
    hidden [void] Pad() {
        $rem = [int]($this.Written % 4)
        if ($rem -ne 0) { $this.Write([byte[]]::new(4 - $rem), 4 - $rem) }
    }

    hidden [void] Entry([string] $name, [int] $mode, [byte[]] $data, [int] $rdevMajor, [int] $rdevMinor) {
        $nameBytes = [System.Text.Encoding]::UTF8.GetBytes($name + [char]0)
        $size = if ($data) { $data.Length } else { 0 }
        $fields = @($this.Inode++, $mode, 0, 0, 1, 0, $size, 0, 0, $rdevMajor, $rdevMinor, $nameBytes.Length, 0)
        $header = '070701' + (($fields | ForEach-Object { '{0:x8}' -f $_ }) -join '')
        $hb = [System.Text.Encoding]::ASCII.GetBytes($header)
        $this.Write($hb, $hb.Length)
        $this.Write($nameBytes, $nameBytes.Length)
        $this.Pad()
        if ($size -gt 0) {
            $this.Write($data, $size)
            $this.Pad()
        }
    }

    [void] Directory([string] $name) { $this.Entry($name, 0x41ED, $null, 0, 0) }                    # 040755
    [void] File([string] $name, [byte[]] $data, [bool] $executable) {
        $this.Entry($name, $(if ($executable) { 0x81ED } else { 0x81A4 }), $data, 0, 0)           # 0100755 / 0100644
    }
    [void] TextFile([string] $name, [string] $text, [bool] $executable) {
        # LF only: the guest shell chokes on CRLF scripts written on Windows.
        $this.File($name, [System.Text.Encoding]::UTF8.GetBytes($text.Replace("`r`n", "`n")), $executable)
    }
    [void] Symlink([string] $name, [string] $target) {
        $this.Entry($name, 0xA1FF, [System.Text.Encoding]::UTF8.GetBytes($target), 0, 0)           # 0120777
    }
    [void] CharDevice([string] $name, [int] $permissions, [int] $major, [int] $minor) {
        $this.Entry($name, 0x2000 -bor $permissions, $null, $major, $minor)                      # 020000 | perms
    }
    [void] Finish() {
        $this.Entry('TRAILER!!!', 0, $null, 0, 0)
    }
}

#endregion

#region guest scripts

# PID 1 of the test initramfs. Kept POSIX/busybox-ash only.
$script:InitScript = @'
#!/bin/sh
# OpenChami boot-test init: report what the node was booted with, then power off.
export PATH=/bin
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null

# Markers are written explicitly (never via printk), so quiet/loglevel cannot
# hide them. They must reach the serial port the harness reads: that is
# /dev/console when the boot script said console=ttyS0, else write to ttyS0.
out=/dev/console
grep -qw ttyS0 /sys/class/tty/console/active 2>/dev/null || out=/dev/ttyS0
exec <"$out" >"$out" 2>&1

say() { echo "$*" > "$out"; }

# Asynchronous kernel messages (e.g. "e1000: eth0 NIC Link is Up") would
# otherwise interleave with the marker lines; panics still get through.
# Boot with chami.debug to keep the full kernel log.
grep -qw chami.debug /proc/cmdline || echo 1 > /proc/sys/kernel/printk

say "CHAMI-CMDLINE: $(cat /proc/cmdline)"

if [ -s /lib/chami/modules.order ]; then
    while read -r m; do
        insmod "/lib/chami/$m" || say "CHAMI-WARN: insmod $m failed"
    done < /lib/chami/modules.order
fi

# Without udev the first NIC is eth0, but do not rely on the name.
iface=
tries=0
while [ -z "$iface" ] && [ $tries -lt 20 ]; do
    for d in /sys/class/net/*; do
        n=${d##*/}
        if [ "$n" != lo ] && [ -e "$d" ]; then iface=$n; break; fi
    done
    [ -n "$iface" ] || { usleep 250000; tries=$((tries + 1)); }
done

ip link set lo up
if [ -z "$iface" ]; then
    say "CHAMI-NET: no network interface"
else
    ip link set "$iface" up
    if udhcpc -i "$iface" -s /etc/udhcpc.script -f -q -n -t 10 -T 1 >/dev/null 2>&1; then
        say "CHAMI-NET: $iface $(ip -4 -o addr show dev "$iface" | awk '{print $4}')"
    else
        say "CHAMI-NET: dhcp failed on $iface"
    fi
fi

# cloud-init's NoCloud kernel-argument form: ds=nocloud[-net];s=<url>
# (or seedfrom=<url>); the datasource appends "meta-data" to the URL as-is.
seed=
set -f
for tok in $(cat /proc/cmdline); do
    case "$tok" in
        ds=nocloud*)
            oldifs=$IFS; IFS=';'
            for kv in ${tok#ds=}; do
                case "$kv" in s=*|seedfrom=*) seed=${kv#*=} ;; esac
            done
            IFS=$oldifs ;;
    esac
done
set +f

# fetch <file-name> <marker-stem>
fetch() {
    if [ -z "$seed" ]; then say "CHAMI-$2: none"; return; fi
    # Bounded with the timeout applet: busybox 1.35's own wget -T segfaults.
    if timeout 20 wget -q -O "/tmp/$1" "$seed$1" 2>/tmp/wget.err; then
        say "CHAMI-$2-BEGIN"
        cat "/tmp/$1" > "$out"
        # Keep the END marker on a line of its own.
        [ -n "$(tail -c 1 "/tmp/$1")" ] && echo > "$out"
        say "CHAMI-$2-END"
    else
        say "CHAMI-$2-ERROR: $seed$1: $(tr '\n' ' ' < /tmp/wget.err)"
    fi
}
fetch meta-data METADATA
fetch user-data USERDATA

say "CHAMI-DONE"
sync
poweroff -f
# poweroff should not return; never let PID 1 exit (that panics the kernel).
echo o > /proc/sysrq-trigger
while :; do sleep 3600; done
'@

# udhcpc only negotiates the lease; applying it is this script's job.
$script:UdhcpcScript = @'
#!/bin/sh
case "$1" in
    deconfig)
        ip -4 addr flush dev "$interface"
        ip link set "$interface" up
        ;;
    bound|renew)
        ip -4 addr flush dev "$interface"
        ifconfig "$interface" "$ip" netmask "${subnet:-255.255.255.0}" up
        if [ -n "$router" ]; then
            set -- $router
            route add default gw "$1" dev "$interface"
        fi
        : > /etc/resolv.conf
        for d in $dns; do echo "nameserver $d" >> /etc/resolv.conf; done
        ;;
esac
exit 0
'@

#endregion

function Get-BootTestKernel {
    <#
    .SYNOPSIS
        Path of the Linux kernel image the harness boots.
    .DESCRIPTION
        $env:CHAMI_BOOT_KERNEL overrides; otherwise the newest /boot/vmlinuz-*.
        Throws when no readable kernel exists (use Get-BootHarnessStatus to probe).
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param()

    $candidates = @(if ($env:CHAMI_BOOT_KERNEL) {
            $env:CHAMI_BOOT_KERNEL
        } else {
            Get-ChildItem -Path '/boot' -Filter 'vmlinuz-*' -File -ErrorAction SilentlyContinue |
                Sort-Object { Get-NaturalSortKey $_.Name } -Descending |
                ForEach-Object FullName
        })
    if (-not $candidates) { throw 'no kernel found in /boot (install linux-image-amd64)' }
    $kernel = $candidates[0]
    if (-not (Test-Path -LiteralPath $kernel -PathType Leaf)) { throw "kernel $kernel does not exist" }
    if (-not (Test-Readable $kernel)) { throw "kernel $kernel is not readable by $([Environment]::UserName)" }
    return $kernel
}

function Get-BootHarnessStatus {
    <#
    .SYNOPSIS
        Whether a real-firmware boot test can run here, and if not, why.
    .OUTPUTS
        Object with Ready (bool), Reason (string, empty when ready) and the
        resolved Qemu, IpxeRom, Kernel, KernelVersion, NetDriver, Busybox and
        KvmDevice (bool).
    #>
    [CmdletBinding()]
    param()

    $status = [ordered]@{
        Ready         = $false
        Reason        = ''
        Qemu          = $null
        IpxeRom       = $null
        Kernel        = $null
        KernelVersion = $null
        NetDriver     = $null
        Busybox       = $null
        # Only whether /dev/kvm opens; Invoke-QemuNetBoot still probes that
        # KVM really boots before using it (too slow to do here).
        KvmDevice     = Test-KvmDevice
    }
    $done = { param($reason) $status.Reason = $reason; [pscustomobject]$status }

    $status.Qemu = Find-Executable 'qemu-system-x86_64'
    if (-not $status.Qemu) { return & $done 'qemu-system-x86_64 not installed (apt-get install qemu-system-x86)' }

    $status.IpxeRom = Find-IpxeRom $status.Qemu
    if (-not $status.IpxeRom) { return & $done 'no iPXE e1000 option ROM (efi-e1000.rom) in QEMU firmware path (apt-get install ipxe-qemu)' }

    try { $status.Kernel = Get-BootTestKernel } catch { return & $done $_.Exception.Message }
    $status.KernelVersion = Get-KernelVersionFromPath $status.Kernel

    try {
        $drv = Resolve-NetDriverModules $status.KernelVersion $script:NetDriver
        $status.NetDriver = if ($drv.BuiltIn) { 'built-in' } else { ($drv.Modules | ForEach-Object { Split-Path -Leaf $_ }) -join ',' }
    } catch { return & $done $_.Exception.Message }

    $status.Busybox = Get-DefaultBusyboxPath
    if (-not $status.Busybox) { return & $done 'busybox not installed (apt-get install busybox-static)' }
    if (-not (Test-StaticElf $status.Busybox)) { return & $done "$($status.Busybox) is not statically linked (apt-get install busybox-static)" }

    $status.Ready = $true
    return [pscustomobject]$status
}

function New-BootTestInitramfs {
    <#
    .SYNOPSIS
        Writes a gzip'd newc cpio initramfs that reports the kernel command line
        and the NoCloud seed's meta-data/user-data, then powers the node off.
    .PARAMETER Path
        Output file (overwritten).
    .PARAMETER KernelPath
        Kernel the initramfs will be booted with; selects the matching e1000
        module. Defaults to Get-BootTestKernel.
    .PARAMETER KernelVersion
        Overrides the version parsed from the kernel file name (vmlinuz-<version>).
    .PARAMETER BusyboxPath
        Statically linked busybox to embed (default /bin/busybox).
    .OUTPUTS
        System.IO.FileInfo of the written image.
    #>
    [CmdletBinding()]
    [OutputType([System.IO.FileInfo])]
    param(
        [Parameter(Mandatory)] [string] $Path,
        [string] $KernelPath,
        [string] $KernelVersion,
        [string] $BusyboxPath
    )

    if (-not $KernelPath) { $KernelPath = Get-BootTestKernel }
    if (-not $KernelVersion) { $KernelVersion = Get-KernelVersionFromPath $KernelPath }
    if (-not $BusyboxPath) { $BusyboxPath = Get-DefaultBusyboxPath }
    if (-not $BusyboxPath -or -not (Test-StaticElf $BusyboxPath)) {
        throw "need a statically linked busybox (apt-get install busybox-static); got '$BusyboxPath'"
    }
    $driver = Resolve-NetDriverModules $KernelVersion $script:NetDriver

    $Path = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($Path)
    $parent = Split-Path -Parent $Path
    if ($parent -and -not (Test-Path -LiteralPath $parent)) { New-Item -ItemType Directory -Path $parent -Force | Out-Null }

    $file = [System.IO.File]::Create($Path)
    try {
        # Fastest: the image is rebuilt per test run and served over loopback,
        # so a few hundred KB saved are worth less than the build time.
        $gz = [System.IO.Compression.GZipStream]::new($file, [System.IO.Compression.CompressionLevel]::Fastest)
        try {
            $cpio = [CpioWriter]::new($gz)
            foreach ($d in 'bin', 'dev', 'etc', 'lib', 'lib/chami', 'proc', 'sys', 'tmp') {
                $cpio.Directory($d)
            }
            # The kernel opens /dev/console for init before init can mount
            # devtmpfs, so the node must exist in the archive itself.
            $cpio.CharDevice('dev/console', 0x180, 5, 1)   # 0600
            $cpio.CharDevice('dev/null', 0x1B6, 1, 3)      # 0666
            $cpio.File('bin/busybox', [System.IO.File]::ReadAllBytes($BusyboxPath), $true)
            $cpio.Symlink('bin/sh', 'busybox')
            $cpio.TextFile('init', $script:InitScript, $true)
            $cpio.TextFile('etc/udhcpc.script', $script:UdhcpcScript, $true)

            $order = [System.Collections.Generic.List[string]]::new()
            foreach ($m in $driver.Modules) {
                $name = (Split-Path -Leaf $m) -replace '\.(xz|zst|gz)$', ''
                $cpio.File("lib/chami/$name", (Read-KernelModule $m), $false)
                $order.Add($name)
            }
            $cpio.TextFile('lib/chami/modules.order', (($order | ForEach-Object { "$_`n" }) -join ''), $false)
            $cpio.Finish()
        } finally { $gz.Dispose() }
    } finally { $file.Dispose() }

    return Get-Item -LiteralPath $Path
}

function ConvertFrom-SerialConsole([byte[]] $Bytes) {
    $text = [System.Text.Encoding]::UTF8.GetString($Bytes)
    # SeaBIOS/iPXE draw with ANSI escapes and the tty adds CRs; neither carries
    # information the tests need.
    $text = [regex]::Replace($text, '\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][0-9A-Za-z]|\x1bc', '')
    return $text.Replace("`r", '')
}

function Get-MarkerBlock([string] $Console, [string] $Stem) {
    $m = [regex]::Match($Console, "CHAMI-$Stem-BEGIN\n(.*?)CHAMI-$Stem-END", 'Singleline')
    if (-not $m.Success) { return $null }
    $body = $m.Groups[1].Value
    # The guest guarantees END starts a line; drop that one separator newline.
    if ($body.EndsWith("`n")) { $body = $body.Substring(0, $body.Length - 1) }
    return $body
}

# (The leading commas keep PowerShell from unrolling the byte arrays.)
function Read-SharedFile([string] $Path) {
    if (-not (Test-Path -LiteralPath $Path)) { return , [byte[]]::new(0) }
    # QEMU still holds the file open for writing while we poll it.
    $fs = [System.IO.File]::Open($Path, 'Open', 'Read', 'ReadWrite')
    try {
        $ms = [System.IO.MemoryStream]::new()
        $fs.CopyTo($ms)
        return , $ms.ToArray()
    } finally { $fs.Dispose() }
}

# Runs one QEMU process to completion, timeout or early failure and always
# leaves nothing running. Returns what happened; parsing is the caller's job.
function Invoke-QemuProcess([string] $Qemu, [string[]] $Arguments, [string] $LogPath, [int] $TimeoutSec, [regex] $FailRegex) {
    # coreutils timeout is a second, independent bound: should this PowerShell
    # process die, QEMU is still killed shortly after the deadline.
    $timeoutExe = Find-Executable 'timeout'
    $psi = if ($timeoutExe) {
        $p = [System.Diagnostics.ProcessStartInfo]::new($timeoutExe)
        foreach ($a in @('--kill-after=5', "$($TimeoutSec + 10)", $Qemu)) { $p.ArgumentList.Add($a) }
        $p
    } else {
        [System.Diagnostics.ProcessStartInfo]::new($Qemu)
    }
    foreach ($a in $Arguments) { $psi.ArgumentList.Add($a) }
    $psi.UseShellExecute = $false
    # QEMU must never read the caller's terminal.
    $psi.RedirectStandardInput = $true
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardError = $true

    if (Test-Path -LiteralPath $LogPath) { Remove-Item -LiteralPath $LogPath -Force }
    $r = @{ TimedOut = $false; Failure = $null; ExitCode = $null; Stderr = ''; Duration = [TimeSpan]::Zero }
    $sw = [System.Diagnostics.Stopwatch]::StartNew()
    $proc = [System.Diagnostics.Process]::Start($psi)
    $errTask = $null
    try {
        $proc.StandardInput.Close()
        $outTask = $proc.StandardOutput.ReadToEndAsync()
        $errTask = $proc.StandardError.ReadToEndAsync()
        $deadline = [TimeSpan]::FromSeconds($TimeoutSec)
        $checked = 0
        while (-not $proc.WaitForExit(250)) {
            if ($sw.Elapsed -ge $deadline) { $r.TimedOut = $true; break }
            if ($FailRegex) {
                $text = ConvertFrom-SerialConsole (Read-SharedFile $LogPath)
                # Rescan only recent output (with overlap for a pattern split
                # across polls) so long consoles stay cheap.
                $m = $FailRegex.Match($text, [Math]::Min([Math]::Max(0, $checked - 64), $text.Length))
                $checked = $text.Length
                if ($m.Success) {
                    $r.Failure = "console matched '$($m.Value)'"
                    # Let the surrounding error text reach the log before stopping.
                    Start-Sleep -Milliseconds 500
                    break
                }
            }
        }
    } finally {
        # Runs on timeout, early failure, exceptions and Ctrl+C alike.
        if (-not $proc.HasExited) {
            # SIGTERM first: the timeout wrapper forwards it to QEMU and reaps
            # it, so no orphaned zombie is left for init. SIGKILL the whole
            # tree only if that does not end it promptly.
            # (procps may be absent on a minimal system; busybox never is here.)
            try {
                if ($k = Find-Executable 'kill') { & $k -TERM $proc.Id 2>$null }
                elseif ($b = Get-DefaultBusyboxPath) { & $b kill -TERM $proc.Id 2>$null }
            } catch { Write-Verbose "SIGTERM: $_" }
            if (-not $proc.WaitForExit(5000)) {
                try { $proc.Kill($true) } catch { Write-Verbose "kill: $_" }
                [void]$proc.WaitForExit(10000)
            }
        } else {
            $r.ExitCode = $proc.ExitCode
        }
        $sw.Stop()
        $r.Duration = $sw.Elapsed
    }
    try {
        if ($errTask -and $errTask.Wait(2000)) { $r.Stderr = $errTask.Result }
        [void]$outTask.Wait(2000)
    } catch { Write-Verbose "reading QEMU output: $_" }
    $proc.Dispose()

    if ($r.TimedOut) { $r.Failure = "timed out after $TimeoutSec s" }
    elseif (-not $r.Failure -and $r.ExitCode -ne 0) {
        $r.Failure = "qemu exited with code $($r.ExitCode)$(if ($r.ExitCode -eq 124) { ' (timeout wrapper fired)' }): $($r.Stderr.Trim())"
    }
    return $r
}

function Invoke-QemuNetBoot {
    <#
    .SYNOPSIS
        Network-boots a QEMU guest through the real iPXE e1000 ROM and returns
        what its serial console showed.
    .PARAMETER BootUrl
        URL handed to iPXE as the DHCP boot file, e.g.
        'http://10.0.2.2:8080/boot/v1/bootscript?mac=${net0/mac}'. iPXE expands
        ${...} settings in it, so pass it in single quotes from PowerShell.
        Its host must be 10.0.2.2 (the host loopback as seen from the guest).
    .PARAMETER MacAddress
        MAC of the guest's e1000 NIC.
    .PARAMETER TimeoutSec
        Hard bound on the guest's lifetime; QEMU is killed when it elapses.
    .PARAMETER LogPath
        Where the raw serial log is kept (default: a temp file, deleted afterwards).
    .PARAMETER Accelerator
        auto, kvm or tcg. auto honours $env:CHAMI_BOOT_ACCEL, else uses KVM
        only if a probe boot under KVM succeeds (once per session, up to 8 s),
        else TCG.
    .PARAMETER CpuModel
        QEMU -cpu value; defaults to 'max' under TCG, 'host,-arch-capabilities'
        under KVM.
    .PARAMETER FailOn
        Console patterns (regex) that end the boot early as a failure. Defaults
        cover iPXE giving up and kernel panics, so negative tests do not have to
        wait for the timeout. Pass @() to disable.
    .OUTPUTS
        Object: Console (serial text, ANSI escapes and CRs removed),
        KernelCmdline, MetaData, UserData, Net (all $null when not reported),
        IpxeSeen, IpxeVersion, ExitedCleanly, TimedOut, Failure, ExitCode, Accelerator,
        Duration, QemuStderr, LogPath, Arguments.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [string] $BootUrl,
        [ValidatePattern('^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){5}$')]
        [string] $MacAddress = '52:54:00:12:34:56',
        [ValidateRange(5, 3600)] [int] $TimeoutSec = 120,
        [string] $LogPath,
        [ValidateSet('auto', 'kvm', 'tcg')] [string] $Accelerator = 'auto',
        [string] $CpuModel,
        [ValidateRange(128, 8192)] [int] $MemoryMB = 512,
        [string[]] $FailOn = @('No bootable device', 'Kernel panic', 'Could not boot image', 'No more network devices'),
        [string[]] $ExtraQemuArgs = @()
    )

    $uri = $null
    if (-not [Uri]::TryCreate($BootUrl, 'Absolute', [ref]$uri) -or $uri.Scheme -ne 'http') {
        throw "BootUrl must be an absolute http:// URL: $BootUrl"
    }
    # The guest's user-mode network could reach beyond this machine; only ever
    # point it at the host loopback alias.
    if ($uri.Host -ne $script:GuestHostAddress) {
        throw "BootUrl host must be $($script:GuestHostAddress) (the host's 127.0.0.1 as seen from the guest): $BootUrl"
    }

    $qemu = Find-Executable 'qemu-system-x86_64'
    if (-not $qemu) { throw 'qemu-system-x86_64 not installed' }
    $accel = Resolve-Accelerator $Accelerator
    $cpu = if ($CpuModel) { $CpuModel } else { Get-DefaultCpuModel $accel }

    $keepLog = [bool]$LogPath
    if (-not $LogPath) { $LogPath = [System.IO.Path]::Combine([System.IO.Path]::GetTempPath(), "chami-boot-$([guid]::NewGuid().ToString('n')).log") }
    $LogPath = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($LogPath)
    $failRegex = if ($FailOn) { [regex]::new(($FailOn | ForEach-Object { "(?:$_)" }) -join '|') } else { $null }

    $qemuArgs = @(
        '-name', 'chami-boot-test',
        '-nodefaults', '-no-user-config',
        # graphics=off makes SeaBIOS (and so iPXE's BIOS console) write to the
        # serial port; otherwise their output goes to a VGA we do not have.
        '-machine', 'pc,graphics=off',
        '-accel', $accel,
        '-cpu', $cpu,
        '-m', "$MemoryMB",
        '-smp', '1',
        '-display', 'none', '-vga', 'none', '-monitor', 'none',
        '-serial', "file:$LogPath",
        '-boot', 'n',
        '-no-reboot',
        # QEMU's option parser splits on ',' and unescapes ',,'.
        '-netdev', "user,id=n0,bootfile=$($BootUrl.Replace(',', ',,'))",
        # No romfile= override: QEMU loads its default e1000 ROM, which on
        # Debian is ipxe-qemu's efi-e1000.rom. That is the firmware under test.
        '-device', "e1000,netdev=n0,mac=$MacAddress"
    ) + $ExtraQemuArgs

    $run = Invoke-QemuProcess $qemu $qemuArgs $LogPath $TimeoutSec $failRegex
    $console = ConvertFrom-SerialConsole (Read-SharedFile $LogPath)
    if (-not $keepLog) { Remove-Item -LiteralPath $LogPath -Force -ErrorAction SilentlyContinue }

    $cmdline = [regex]::Match($console, 'CHAMI-CMDLINE: ([^\n]*)')
    $net = [regex]::Match($console, 'CHAMI-NET: ([^\n]*)')
    $ipxe = [regex]::Match($console, 'iPXE (\S+) -- Open Source Network Boot Firmware')
    [pscustomobject]@{
        Console       = $console
        KernelCmdline = $(if ($cmdline.Success) { $cmdline.Groups[1].Value.TrimEnd() } else { $null })
        MetaData      = Get-MarkerBlock $console 'METADATA'
        UserData      = Get-MarkerBlock $console 'USERDATA'
        Net           = $(if ($net.Success) { $net.Groups[1].Value.TrimEnd() } else { $null })
        IpxeSeen      = $console -match 'iPXE'
        # e.g. '1.0.0+git-20190125.36a4c85-5.1': Debian's ipxe-qemu build
        # stamps its package version into the banner.
        IpxeVersion   = $(if ($ipxe.Success) { $ipxe.Groups[1].Value } else { $null })
        # QEMU left on its own with status 0: with -no-reboot that means the
        # guest powered off (or rebooted) rather than being killed by us.
        ExitedCleanly = $null -eq $run.Failure -and $run.ExitCode -eq 0
        TimedOut      = $run.TimedOut
        Failure       = $run.Failure
        ExitCode      = $run.ExitCode
        Accelerator   = $accel
        Duration      = $run.Duration
        QemuStderr    = $run.Stderr
        LogPath       = $(if ($keepLog) { $LogPath } else { $null })
        Arguments     = $qemuArgs
    }
}

#region static file server

function Start-BootTestFileServer {
    <#
    .SYNOPSIS
        Serves a directory over HTTP on 127.0.0.1 for the guest (at
        http://10.0.2.2:<port>/) - kernels, initramfs, hand-written boot
        scripts, NoCloud seeds.
    .DESCRIPTION
        Listens on the loopback interface only. The query string is ignored when
        mapping to files (so /boot/v1/bootscript?mac=... serves the file
        boot/v1/bootscript) but recorded in .Requests, letting a test check what
        the firmware actually asked for. Stop it with Stop-BootTestFileServer.
    .OUTPUTS
        Object: Port, Url (host view), GuestUrl (guest view), Root, Requests
        (thread-safe queue of Method/Target/Status).
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [string] $Root,
        [ValidateRange(0, 65535)] [int] $Port = 0
    )

    $Root = (Resolve-Path -LiteralPath $Root).ProviderPath.TrimEnd('/')
    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, $Port)
    $listener.Start()
    $Port = ([System.Net.IPEndPoint]$listener.LocalEndpoint).Port
    $requests = [System.Collections.Concurrent.ConcurrentQueue[object]]::new()

    # One request per connection (Connection: close) on a background runspace;
    # iPXE and busybox wget fetch one file at a time, so no concurrency needed.
    $serve = {
        param($Listener, $Root, $Requests)
        while ($true) {
            try { $client = $Listener.AcceptTcpClient() } catch { break }   # Stop() ends the loop
            try {
                $client.ReceiveTimeout = 15000
                $client.SendTimeout = 60000
                $stream = $client.GetStream()
                $reader = [System.IO.StreamReader]::new($stream, [System.Text.Encoding]::ASCII, $false, 4096, $true)
                $requestLine = $reader.ReadLine()
                while ($reader.ReadLine()) { }   # headers are not needed
                $parts = @("$requestLine".Split(' ')) + @('', '')
                $method = $parts[0]
                $target = $parts[1]
                $status = 200
                $body = $null
                $path = [Uri]::UnescapeDataString(($target -split '\?', 2)[0])
                $full = [System.IO.Path]::GetFullPath([System.IO.Path]::Combine($Root, $path.TrimStart('/')))
                if ($method -notin 'GET', 'HEAD') { $status = 405 }
                elseif (-not $full.StartsWith($Root + '/') -or -not [System.IO.File]::Exists($full)) { $status = 404 }
                $Requests.Enqueue([pscustomobject]@{ Time = [DateTime]::UtcNow; Method = $method; Target = $target; Status = $status })

                $reason = @{ 200 = 'OK'; 404 = 'Not Found'; 405 = 'Method Not Allowed' }[$status]
                if ($status -eq 200) {
                    $body = [System.IO.File]::OpenRead($full)
                    $length = $body.Length
                } else {
                    $length = 0
                }
                $head = "HTTP/1.1 $status $reason`r`nContent-Length: $length`r`nContent-Type: application/octet-stream`r`nConnection: close`r`n`r`n"
                $hb = [System.Text.Encoding]::ASCII.GetBytes($head)
                $stream.Write($hb, 0, $hb.Length)
                if ($body) {
                    if ($method -eq 'GET') { $body.CopyTo($stream, 262144) }
                    $body.Dispose()
                }
                $stream.Flush()
            } catch {
                # A guest that powers off mid-transfer is not our problem.
            } finally {
                $client.Dispose()
            }
        }
    }

    $runspace = [runspacefactory]::CreateRunspace()
    $runspace.Open()
    $ps = [powershell]::Create()
    $ps.Runspace = $runspace
    [void]$ps.AddScript($serve).AddArgument($listener).AddArgument($Root).AddArgument($requests)
    $handle = $ps.BeginInvoke()

    [pscustomobject]@{
        PSTypeName = 'OpenChami.BootTestFileServer'
        Port       = $Port
        Url        = "http://127.0.0.1:$Port/"
        GuestUrl   = "http://$($script:GuestHostAddress):$Port/"
        Root       = $Root
        Requests   = $requests
        Listener   = $listener
        PowerShell = $ps
        Runspace   = $runspace
        Handle     = $handle
        Stopped    = $false
    }
}

function Stop-BootTestFileServer {
    <#
    .SYNOPSIS
        Stops a server from Start-BootTestFileServer (idempotent).
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory, ValueFromPipeline)] $Server)
    process {
        if ($Server.Stopped) { return }
        $Server.Stopped = $true
        try { $Server.Listener.Stop() } catch { Write-Verbose "listener stop: $_" }
        # Closing the listener makes AcceptTcpClient throw, which ends the loop;
        # an in-flight transfer is bounded by the socket timeouts.
        if (-not $Server.Handle.AsyncWaitHandle.WaitOne(5000)) { $Server.PowerShell.Stop() }
        $Server.PowerShell.Dispose()
        $Server.Runspace.Dispose()
    }
}

#endregion

Export-ModuleMember -Function Get-BootHarnessStatus, Get-BootTestKernel, New-BootTestInitramfs, Invoke-QemuNetBoot, Start-BootTestFileServer, Stop-BootTestFileServer
