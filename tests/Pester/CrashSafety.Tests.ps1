<#
    Crash safety: a REAL server process (child pwsh, Start-ChamiServer -Wait on a database file)
    takes a 10,000-node import streamed as bulk requests — per batch one POST /State/Components of
    100 components and one POST /groups naming those 100 as members — and is killed with SIGKILL
    (kill -9 of the PID it recorded) while a batch is in flight, after a random number of
    acknowledged batches. Reopening the file must show: it opens; every acknowledged request is
    fully there; every request is all-or-nothing (no half-applied bulk change); the audit journal
    agrees with the data. Repeated at three points of the import. Seeded, so a failure replays.
#>

BeforeAll {
    Import-Module $env:OPENCHAMI_MODULE -Force
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:Folder = New-TestFolder
    $script:Started = [Collections.Generic.List[int]]::new()
    $script:Seed = 20261126
    $script:Random = [Random]::new($Seed)
    $script:BatchCount = 100
    $script:BatchSize = 100
    $script:Client = [Net.Http.HttpClient]::new()
    $Client.Timeout = [TimeSpan]::FromSeconds(60)

    function Get-BatchXnames([int] $Batch) {
        # 100 nodes per batch, in their own cabinet: x<1000+batch>c0s<0..24>b0n<0..3>.
        foreach ($i in 0..($BatchSize - 1)) { "x$(1000 + $Batch)c0s$([Math]::Floor($i / 4))b0n$($i % 4)" }
    }

    function Get-ComponentsBody([int] $Batch) {
        $i = 0
        $components = foreach ($xname in Get-BatchXnames $Batch) {
            @{ ID = $xname; Type = 'Node'; State = 'Ready'; Flag = 'OK'; Enabled = $true; Role = 'Compute'; NID = $Batch * $BatchSize + (++$i) }
        }
        @{ Components = @($components) } | ConvertTo-Json -Depth 4 -Compress
    }

    function Get-GroupBody([int] $Batch) {
        @{ label = ('import-{0:d3}' -f $Batch); description = "import batch $Batch"; members = @{ ids = @(Get-BatchXnames $Batch) } } | ConvertTo-Json -Depth 4 -Compress
    }

    function Start-ServerProcess([string] $Database, [string] $Name) {
        $server = Start-ChamiTestServerProcess -Database @{ Path = $Database } -Name $Name -Folder $Folder -TimeoutSeconds 120
        $Started.Add($server.Launcher.Id)
        $Started.Add([int] $server.Pid)
        [pscustomobject]@{ Launcher = $server.Launcher; Pid = [int] $server.Pid; Url = $server.Url }
    }

    function Send-Json([string] $Url, [string] $Json) {
        $content = [Net.Http.StringContent]::new($Json, [Text.Encoding]::UTF8, 'application/json')
        $Client.PostAsync($Url, $content)
    }

    function Wait-Response($Task) {
        # $null when the request failed (connection reset by the kill); the status code otherwise.
        try {
            if (-not $Task.Wait([TimeSpan]::FromSeconds(90))) { throw 'request did not finish within 90 s' }
            [int] $Task.Result.StatusCode
        }
        catch [AggregateException] { $null }
    }

    function Invoke-KilledImport([int] $KillAfter, [string] $Name) {
        <#
            Streams the import into a fresh server; after $KillAfter acknowledged requests sends the next
            one, waits a random 0-40 ms and kills the server with SIGKILL. Returns what was acknowledged.
        #>
        $database = Join-Path $Folder "$Name.db"
        $server = Start-ServerProcess -Database $database -Name $Name
        $acknowledged = [Collections.Generic.List[string]]::new()
        $sent = [Collections.Generic.List[string]]::new()
        $requests = foreach ($batch in 0..($BatchCount - 1)) {
            [pscustomobject]@{ Key = "components:$batch"; Path = '/hsm/v2/State/Components'; Batch = $batch }
            [pscustomobject]@{ Key = "group:$batch"; Path = '/hsm/v2/groups'; Batch = $batch }
        }
        $killed = $false
        foreach ($request in $requests) {
            $body = if ($request.Key -like 'components:*') { Get-ComponentsBody $request.Batch } else { Get-GroupBody $request.Batch }
            $task = Send-Json "$($server.Url)$($request.Path)" $body
            $sent.Add($request.Key)
            if ($acknowledged.Count -ge $KillAfter) {
                Start-Sleep -Milliseconds $Random.Next(0, 41)
                Send-UnixSignal -ProcessId $server.Pid -Signal 9 | Should -Be 0
                $killed = $true
            }
            $status = Wait-Response $task
            if ($null -ne $status -and $status -ge 200 -and $status -lt 300) { $acknowledged.Add($request.Key) }
            elseif (-not $killed) { throw "$($request.Key) was refused with $status before the kill: $(Get-Content (Join-Path $Folder "$Name.log") -Raw)" }
            if ($killed) { break }
        }
        $killed | Should -BeTrue -Because 'the import must be killed mid-stream'
        # SIGKILL, not a clean stop: the process is gone with 128+9.
        $server.Launcher.WaitForExit(30000) | Should -BeTrue
        $server.Launcher.ExitCode | Should -Be 137
        [pscustomobject]@{ Database = $database; Acknowledged = $acknowledged; Sent = $sent; KillAfter = $KillAfter }
    }

    function Assert-ConsistentAfterCrash($Import) {
        # Reopen in this process (a fresh store instance: the killed process shared nothing with us).
        Connect-ChamiDatabase -Path $Import.Database | Out-Null
        try {
            $components = @{}
            foreach ($component in Get-ChamiComponent) { $components[$component.ID] = $component }
            $groups = @{}
            foreach ($group in Get-ChamiGroup) { $groups[$group.Label] = $group }

            $present = [Collections.Generic.List[string]]::new()
            foreach ($batch in 0..($BatchCount - 1)) {
                $xnames = @(Get-BatchXnames $batch)
                $stored = @($xnames | Where-Object { $components.ContainsKey($_) }).Count
                $stored | Should -BeIn @(0, $BatchSize) -Because "components batch $batch is all or nothing (found $stored of $BatchSize)"
                if ($stored -eq $BatchSize) {
                    $present.Add("components:$batch")
                    $expectedNid = $batch * $BatchSize
                    foreach ($xname in $xnames) { $components[$xname].NID | Should -Be (++$expectedNid) }
                }
                $label = 'import-{0:d3}' -f $batch
                if ($groups.ContainsKey($label)) {
                    @($groups[$label].Members.Ids).Count | Should -Be $BatchSize -Because "group $label is all or nothing"
                    $present.Add("group:$batch")
                }
            }
            # Nothing the client never sent, nothing extra.
            $components.Count | Should -Be ($BatchSize * @($present | Where-Object { $_ -like 'components:*' }).Count)
            foreach ($key in $present) { $Import.Sent | Should -Contain $key }
            # Every acknowledged request is there; at most the one in flight at the kill is there unacknowledged.
            foreach ($key in $Import.Acknowledged) { $present | Should -Contain $key -Because "$key was acknowledged before the kill" }
            @($present | Where-Object { $_ -notin $Import.Acknowledged }).Count | Should -BeLessOrEqual 1

            # The audit journal agrees: one insert per stored component, none for components that aren't there.
            $inserts = @(Get-ChamiAuditLog -Collection components | Where-Object Operation -EQ 'Insert')
            $audited = @{}
            foreach ($entry in $inserts) { $audited[$entry.Target] = $true }
            foreach ($xname in $components.Keys) { $audited.ContainsKey($xname) | Should -BeTrue -Because "$xname is stored so its insert is journaled" }
            $inserts.Count | Should -Be $components.Count -Because 'no journal entry for a write that did not land'

            # The reopened store takes writes again.
            New-ChamiGroup -Name 'crash-probe' -Confirm:$false | Out-Null
            (Get-ChamiGroup -Name 'crash-probe').Label | Should -Be 'crash-probe'
            [pscustomobject]@{ Present = $present.Count; Acknowledged = $Import.Acknowledged.Count }
        }
        finally {
            Disconnect-ChamiDatabase -Confirm:$false
        }
    }
}

AfterAll {
    $Client.Dispose()
    foreach ($id in $Started) { Stop-TestProcess -ProcessId $id | Should -BeTrue -Because "process $id must be gone" }
    Get-Process -Id $Started -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    Remove-Item $Folder -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'kill -9 during a 10,000-node import' -Tag LiteDbOnly {
    # Kill points (acknowledged requests, 2 per batch) early, middle and late in the import.
    It 'leaves a consistent store when killed after <Range> of the import' -ForEach @(
        @{ Range = 'the first fifth'; Low = 3; High = 40 }
        @{ Range = 'the middle'; Low = 80; High = 120 }
        @{ Range = 'the last fifth'; Low = 160; High = 198 }
    ) {
        $killAfter = $Random.Next($Low, $High)
        $import = Invoke-KilledImport -KillAfter $killAfter -Name "import-$Low"
        # The request in flight at the kill may or may not have been answered first.
        $import.Acknowledged.Count | Should -BeIn @($killAfter, ($killAfter + 1))
        $result = Assert-ConsistentAfterCrash $import
        $script:LastImport = $import
        Write-Host "  seed ${Seed}: killed after $killAfter acknowledged requests; $($result.Present) requests' changes present after reopening"
    }

    It 'a new server on the crashed file finishes the import: 10,000 nodes, 100 groups, 10,000 journaled inserts' {
        $LastImport | Should -Not -BeNullOrEmpty
        $server = Start-ServerProcess -Database $LastImport.Database -Name 'resume'
        try {
            $components = @((Invoke-RestMethod "$($server.Url)/hsm/v2/State/Components?type=Node").Components)
            $labels = [string[]] (Invoke-RestMethod "$($server.Url)/hsm/v2/groups/labels")
            foreach ($batch in 0..($BatchCount - 1)) {
                $first = @(Get-BatchXnames $batch)[0]
                if ($first -notin $components.ID) {
                    (Wait-Response (Send-Json "$($server.Url)/hsm/v2/State/Components" (Get-ComponentsBody $batch))) | Should -Be 204
                }
                if (('import-{0:d3}' -f $batch) -notin $labels) {
                    (Wait-Response (Send-Json "$($server.Url)/hsm/v2/groups" (Get-GroupBody $batch))) | Should -Be 201
                }
            }
            @((Invoke-RestMethod "$($server.Url)/hsm/v2/State/Components?type=Node").Components).Count | Should -Be ($BatchCount * $BatchSize)
            @([string[]] (Invoke-RestMethod "$($server.Url)/hsm/v2/groups/labels") -like 'import-*').Count | Should -Be $BatchCount
        }
        finally {
            Stop-TestProcess -ProcessId $server.Pid | Should -BeTrue
        }
        Connect-ChamiDatabase -Path $LastImport.Database | Out-Null
        try {
            @(Get-ChamiAuditLog -Collection components | Where-Object Operation -EQ 'Insert').Count | Should -Be ($BatchCount * $BatchSize)
        }
        finally {
            Disconnect-ChamiDatabase -Confirm:$false
        }
    }
}
