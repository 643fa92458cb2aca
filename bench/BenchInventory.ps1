<#
.SYNOPSIS
    Dot-sourced by the bench scripts that import an ochami nodes.yaml: the file (N nodes, 2 per BMC, 2 NICs each,
    groups compute and rack<cabinet>) and the identities of its node n, so a bench can address any node of it; and Invoke-Http,
    one request through the caller's $http client.
#>

# Node n (0-based) of New-NodesYaml: NID n+1, xname, management MAC/IP (first NIC) and its rack group.
function Get-BenchNodeXname([int] $n) { $b = [int][math]::Floor($n / 2); "x$(1000 + [int][math]::Floor($b / 64))c0s$($b % 64)b0n$($n % 2)" }
function Get-BenchNodeMac([int] $n) { '52:54:{0:x2}:{1:x2}:{2:x2}:01' -f (($n -shr 16) -band 255), (($n -shr 8) -band 255), ($n -band 255) }
function Get-BenchNodeRack([int] $n) { "rack$(1000 + [int][math]::Floor([math]::Floor($n / 2) / 64))" }

function New-NodesYaml([int] $Count, [string] $Path) {
    # Streamed to the file: 100k nodes are ~25 MB of YAML.
    $writer = [IO.StreamWriter]::new($Path, $false, [Text.UTF8Encoding]::new($false))
    try {
        $bmcs = [int][math]::Ceiling($Count / 2)
        $writer.Write("bmcs:`n")
        for ($b = 0; $b -lt $bmcs; $b++) {
            $x = 1000 + [int][math]::Floor($b / 64); $s = $b % 64
            $writer.Write(("- name: bmc{0:D5}`n  xname: x{1}c0s{2}b0`n  mac: de:ca:{3:x2}:{4:x2}:{5:x2}:e1`n  ip: 172.16.{4}.{5}`n" -f $b, $x, $s, (($b -shr 16) -band 255), (($b -shr 8) -band 255), ($b -band 255)))
        }
        $writer.Write("nodes:`n")
        for ($n = 0; $n -lt $Count; $n++) {
            $b = [int][math]::Floor($n / 2); $x = 1000 + [int][math]::Floor($b / 64); $s = $b % 64
            $h = ($n -shr 16) -band 255; $m = ($n -shr 8) -band 255; $l = $n -band 255
            $writer.Write(("- name: compute{0}`n  nid: {0}`n  xname: x{1}c0s{2}b0n{3}`n  bmc: bmc{4:D5}`n  groups: [compute, rack{1}]`n" -f ($n + 1), $x, $s, ($n % 2), $b))
            $writer.Write(("  interfaces:`n  - mac_addr: 52:54:{0:x2}:{1:x2}:{2:x2}:01`n    ip_addrs:`n    - name: management`n      ip_addr: 10.{0}.{1}.{2}`n" -f $h, $m, $l))
            $writer.Write(("  - mac_addr: 02:00:{0:x2}:{1:x2}:{2:x2}:02`n    ip_addrs:`n    - name: hsn`n      ip_addr: 192.{0}.{1}.{2}`n" -f $h, $m, $l))
        }
    }
    finally { $writer.Dispose() }
}

# One request through the caller's `$http` (an HttpClient with BaseAddress set); throws unless the status is in $Expect.
function Invoke-Http([string] $Method, [string] $Path, [string] $Body, [int[]] $Expect) {
    $request = [Net.Http.HttpRequestMessage]::new([Net.Http.HttpMethod]::new($Method), $Path)
    if ($Body) { $request.Content = [Net.Http.StringContent]::new($Body, [Text.Encoding]::UTF8, 'application/json') }
    $response = $http.Send($request)
    $text = $response.Content.ReadAsStringAsync().GetAwaiter().GetResult()
    if ([int]$response.StatusCode -notin $Expect) { throw "$Method $Path answered $([int]$response.StatusCode): $text" }
    $response.Dispose()
}
