<#
    The database: data survives Disconnect/Connect (on the backend under test), a newer schema file is refused
    (and left alone), Get-ChamiDatabase reports what is there, the default database is $env:OPENCHAMI_DB;
    a PostgreSQL connection string never shows its password and refuses one typed into it.
#>

BeforeAll {
    Import-Module $env:OPENCHAMI_MODULE -Force
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:Folder = New-TestFolder
}

AfterAll {
    Disconnect-ChamiDatabase -Confirm:$false
    Remove-Item $Folder -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Connect-ChamiDatabase / Disconnect-ChamiDatabase' {
    It 'keeps nodes, NICs and groups across Disconnect and Connect' {
        $database = New-ChamiTestDatabase -Name survive -Folder $Folder
        $info = Connect-ChamiDatabase @database
        $info.Backend | Should -Be (Get-ChamiTestBackend)
        $location = $info.Path
        if ($database.Path) { $location | Should -Be $database.Path } else { $location | Should -Match '^postgresql://[^:@/]+@127\.0\.0\.1:\d+/chami_survive_' }
        $info.SchemaVersion | Should -Be 5   # the current schema (5: boot configurations with their selector index)
        New-ChamiNode -Xname x1000c0s0b0n0 -MacAddress 52:54:00:BE:EF:01 -IPAddress 172.16.0.1 -Group compute -Role Service | Out-Null
        New-ChamiComponent -Xname x1000c0s0b0 -State Ready | Out-Null

        $gone = Disconnect-ChamiDatabase -PassThru -Confirm:$false
        $gone.Path | Should -Be $location
        Connect-ChamiDatabase @database | Out-Null

        $node = Get-ChamiNode x1000c0s0b0n0
        $node.MacAddress | Should -Be @('52:54:00:be:ef:01')
        $node.IPAddress | Should -Be @('172.16.0.1')
        $node.Groups | Should -Be @('compute')
        $node.Role | Should -Be 'Service'
        (Get-ChamiComponent x1000c0s0b0).State | Should -Be 'Ready'
        $database = Get-ChamiDatabase
        $database.Nodes | Should -Be 1
        $database.Components | Should -Be 2
        $database.EthernetInterfaces | Should -Be 1
        $database.Groups | Should -Be 1
    }

    It 'releases the file on Disconnect so it can be deleted and recreated' -Tag LiteDbOnly {
        $path = Join-Path $Folder 'release.db'
        Connect-ChamiDatabase -Path $path | Out-Null
        New-ChamiNode -Xname x1c0s0b0n0 | Out-Null
        Disconnect-ChamiDatabase -Confirm:$false
        Remove-Item $path
        Connect-ChamiDatabase -Path $path | Out-Null
        @(Get-ChamiNode).Count | Should -Be 0
    }

    It 'refuses a file with a newer schema version with DatabaseSchemaTooNew and leaves it untouched' -Tag LiteDbOnly {
        $path = Join-Path $Folder 'future.db'
        # Written with LiteDB directly (the DLL the module ships), as a newer OpenChami would.
        $raw = [LiteDB.LiteDatabase]::new("Filename=$path;Connection=direct")
        try {
            $raw.UserVersion = 99
            $raw.GetCollection('components').Insert([LiteDB.BsonDocument]::new()) | Out-Null
        }
        finally { $raw.Dispose() }
        $before = Get-ChamiStoreSnapshot $path
        Connect-ChamiDatabase -Path (Join-Path $Folder 'current.db') | Out-Null

        $failure = { Connect-ChamiDatabase -Path $path } | Should -Throw -PassThru

        $failure.FullyQualifiedErrorId | Should -BeLikeExactly 'DatabaseSchemaTooNew,*'
        $failure.Exception.Message | Should -Match 'schema version 99'
        Get-ChamiStoreSnapshot $path | Should -Be $before
        (Get-ChamiDatabase).Path | Should -Be (Join-Path $Folder 'current.db') -Because 'a refused file does not replace the current database'
        { Start-ChamiServer -DatabasePath $path -Port 0 } | Should -Throw -ErrorId 'DatabaseSchemaTooNew,*'
        @(Get-ChamiServer).Count | Should -Be 0
    }

    It 'uses $env:OPENCHAMI_DB when nothing was connected' -Tag LiteDbOnly {
        Disconnect-ChamiDatabase -Confirm:$false
        (Get-ChamiDatabase).Path | Should -Be ([IO.Path]::GetFullPath($env:OPENCHAMI_DB))
    }

    It 'names the database file -Path, alias -DatabasePath, as Start-ChamiServer does (one selector, either name works)' -Tag LiteDbOnly {
        foreach ($name in 'Connect-ChamiDatabase', 'Start-ChamiServer') {
            $path = (Get-Command $name).Parameters['Path']
            $path | Should -Not -BeNullOrEmpty -Because "$name takes -Path"
            $path.Aliases | Should -Contain 'DatabasePath'
            $path.ParameterSets.Keys | Should -Be @('Path')
        }
        $file = Join-Path $Folder 'by-alias.db'
        (Connect-ChamiDatabase -DatabasePath $file).Path | Should -Be $file
    }

    It '-InMemory gives an empty private database' -Tag LiteDbOnly {
        $info = Connect-ChamiDatabase -InMemory
        $info.InMemory | Should -BeTrue
        $info.Components | Should -Be 0
        New-ChamiNode -Xname x1c0s0b0n0 | Out-Null
        (Get-ChamiDatabase).Nodes | Should -Be 1
        (Connect-ChamiDatabase -InMemory).Nodes | Should -Be 0
    }
}

Describe 'Connect-ChamiDatabase -ConnectionString' {
    It 'refuses a password typed into the connection string (<Case>) with PasswordInConnectionString, without echoing it' -ForEach @(
        @{ Case = 'keywords'; ConnectionString = 'Host=127.0.0.1;Port=1;Username=chami;Password=Typed-S3cret;Database=x' }
        @{ Case = 'PWD keyword'; ConnectionString = 'Host=127.0.0.1;Port=1;Username=chami;PWD=Typed-S3cret;Database=x' }
        @{ Case = 'URI'; ConnectionString = 'postgresql://chami:Typed-S3cret@127.0.0.1:1/x' }
    ) {
        $before = (Get-ChamiDatabase).Path
        $failure = { Connect-ChamiDatabase -ConnectionString $ConnectionString -Verbose 4>&1 } | Should -Throw -PassThru
        $failure.FullyQualifiedErrorId | Should -BeLikeExactly 'PasswordInConnectionString,*'
        $failure.CategoryInfo.Category | Should -Be 'InvalidArgument'
        ($failure | Out-String) + $failure.Exception.Message + "$($failure.TargetObject)" | Should -Not -Match 'Typed-S3cret'
        (Get-ChamiDatabase).Path | Should -Be $before -Because 'a refused connection does not replace the current database'
        { Start-ChamiServer -Port 0 -ConnectionString $ConnectionString } | Should -Throw -ErrorId 'PasswordInConnectionString,*'
        @(Get-ChamiServer).Count | Should -Be 0
    }

    It 'shows Backend postgresql and a location without password, in the object, Verbose and the server' -Skip:($env:OPENCHAMI_TEST_BACKEND -ne 'postgresql') {
        $database = New-ChamiTestDatabase -Name location -Folder $Folder
        $verbose = Connect-ChamiDatabase @database -Verbose 4>&1
        $info = $verbose | Where-Object { $_ -is [OpenChami.Core.Storage.DatabaseInfo] }
        $info.Backend | Should -Be 'postgresql'
        $info.InMemory | Should -BeFalse
        $info.SchemaVersion | Should -Be 5
        $info.Path | Should -Match '^postgresql://'
        (Get-ChamiDatabase).Backend | Should -Be 'postgresql'
        $server = Start-ChamiServer -Port 0
        try {
            $server.Database | Should -Be $info.Path
            (Invoke-RestMethod "$($server.Url)/healthz").database | Should -Be $info.Path
            $shown = ($verbose | Out-String) + ($info | Format-List * | Out-String) + ($server | Format-List * | Out-String) + ((Get-ChamiServerLog).Message -join "`n")
        }
        finally { $server | Stop-ChamiServer }
        if ($database.Credential) {
            $password = $database.Credential.GetNetworkCredential().Password
            $shown | Should -Not -Match ([regex]::Escape($password))
        }
    }

    It 'a wrong password fails with a clear error that does not contain it, and keeps the current database' -Skip:($env:OPENCHAMI_TEST_BACKEND -ne 'postgresql' -or (-not $env:OPENCHAMI_TEST_POSTGRES_PASSWORD -and $env:OPENCHAMI_TEST_POSTGRES -notmatch 'Password=')) {
        $database = New-ChamiTestDatabase -Name wrong-password -Folder $Folder
        # Current: another database (a store already open in this process would be shared, not reopened).
        Connect-ChamiDatabase -Path (Join-Path $Folder 'current-while-wrong.db') | Out-Null
        $before = (Get-ChamiDatabase).Path
        $database.Credential = [pscredential]::new($database.Credential.UserName, (ConvertTo-SecureString 'Wrong-Pa55word' -AsPlainText -Force))
        $failure = { Connect-ChamiDatabase @database } | Should -Throw -PassThru
        $failure.CategoryInfo.Category | Should -BeIn 'ResourceUnavailable', 'AuthenticationError'
        ($failure | Out-String) + $failure.Exception.Message | Should -Not -Match 'Wrong-Pa55word'
        (Get-ChamiDatabase).Path | Should -Be $before
    }
}

Describe 'Copy-ChamiInventory' {
    BeforeAll {
        # The source is a database of the backend under test; targets are LiteDB files (PostgreSQL targets: TwoServers.Tests.ps1).
        $script:Source = New-ChamiTestDatabase -Name copy-source -Folder $Folder
        Connect-ChamiDatabase @Source | Out-Null
        New-ChamiNode -Xname x1000c0s0b0n0 -MacAddress 02:00:00:00:00:01 -Group compute | Out-Null
        New-ChamiNode -Xname x1000c0s0b0n1 -MacAddress 02:00:00:00:00:02 -Group compute | Out-Null
        New-ChamiRedfishEndpoint -Xname x1000c0s0b0 -IPAddress 10.0.0.100 | Out-Null
        Set-ChamiRedfishEndpoint -Xname x1000c0s0b0 -Credential ([pscredential]::new('root', (ConvertTo-SecureString 'Copy-S3cret' -AsPlainText -Force))) | Out-Null
        $script:SourceKeys = if ($Source.KeyDirectory) { $Source.KeyDirectory } else { "$($Source.Path).keys" }
        $script:From = if ($Source.ConnectionString) { @{ From = $Source.ConnectionString } } else { @{ From = $Source.Path } }
        if ($Source.Credential) { $From.FromCredential = $Source.Credential }
    }

    It 'copies every collection into a new file, with the keys that protect the stored BMC passwords' {
        $target = Join-Path $Folder 'copy-new.db'
        $counts = Copy-ChamiInventory @From -To $target -Confirm:$false
        ($counts | Where-Object Collection -EQ 'components').Count | Should -Be 2
        ($counts | Where-Object Collection -EQ 'redfish_endpoints').Count | Should -Be 1
        ($counts | Where-Object Collection -EQ 'ethernet_interfaces').Count | Should -Be 2
        ($counts | Where-Object Collection -EQ 'groups').Count | Should -Be 1
        ($counts | Where-Object Collection -EQ 'audit').Count | Should -BeGreaterThan 0
        $counts.To | Sort-Object -Unique | Should -Be $target
        ($counts | Out-String) | Should -Match 'Collection\s+Count'
        Test-Path (Join-Path $SourceKeys 'secrets.key') | Should -BeTrue
        (Get-FileHash (Join-Path "$target.keys" 'secrets.key')).Hash | Should -Be (Get-FileHash (Join-Path $SourceKeys 'secrets.key')).Hash
        $copy = Start-ChamiServer -Port 0 -DatabasePath $target
        try { (Invoke-RestMethod "$($copy.Url)/hsm/v2/State/Components?type=Node").Components.ID | Sort-Object | Should -Be @('x1000c0s0b0n0', 'x1000c0s0b0n1') }
        finally { $copy | Stop-ChamiServer }
    }

    It 'refuses a non-empty target with TargetNotEmpty and changes nothing; -Force replaces its inventory' {
        $target = Join-Path $Folder 'copy-occupied.db'
        Connect-ChamiDatabase -Path $target | Out-Null
        New-ChamiNode -Xname x9000c0s0b0n0 | Out-Null
        Disconnect-ChamiDatabase -Confirm:$false
        $before = Get-ChamiStoreSnapshot $target

        $failure = { Copy-ChamiInventory @From -To $target -Confirm:$false } | Should -Throw -PassThru
        $failure.FullyQualifiedErrorId | Should -BeLikeExactly 'TargetNotEmpty,*'
        $failure.CategoryInfo.Category | Should -Be 'ResourceExists'
        $failure.Exception.Message | Should -Match '-Force'
        Get-ChamiStoreSnapshot $target | Should -Be $before

        Copy-ChamiInventory @From -To $target -Force -Confirm:$false | Out-Null
        Connect-ChamiDatabase -Path $target | Out-Null
        (Get-ChamiNode).Xname | Sort-Object | Should -Be @('x1000c0s0b0n0', 'x1000c0s0b0n1')
        Connect-ChamiDatabase @Source | Out-Null
    }

    It 'refuses <Case> with <ErrorId>' -ForEach @(
        @{ Case = 'a missing source file'; ErrorId = 'DatabaseNotFound'; Arguments = { @{ From = (Join-Path $Folder 'no-such.db'); To = (Join-Path $Folder 'never.db') } } }
        @{ Case = 'the same database twice'; ErrorId = 'SameDatabase'; Arguments = { $From + @{ To = $From.From } + $(if ($From.FromCredential) { @{ ToCredential = $From.FromCredential } } else { @{} }) } }
        @{ Case = 'a credential for a file'; ErrorId = 'CredentialNotApplicable'; Arguments = { $From + @{ To = (Join-Path $Folder 'never.db'); ToCredential = [pscredential]::new('x', (ConvertTo-SecureString 'y' -AsPlainText -Force)) } } }
    ) {
        $arguments = & $Arguments
        $failure = { Copy-ChamiInventory @arguments -Confirm:$false } | Should -Throw -PassThru
        $failure.FullyQualifiedErrorId | Should -BeLikeExactly "$ErrorId,*"
        Test-Path (Join-Path $Folder 'never.db') | Should -BeFalse
    }
}
