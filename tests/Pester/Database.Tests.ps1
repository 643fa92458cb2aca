<#
    The database file: data survives Disconnect/Connect, a newer schema is refused (and left alone),
    Get-ChamiDatabase reports what is there, the default database is $env:OPENCHAMI_DB.
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
    It 'keeps nodes, NICs and groups across Disconnect and Connect of the file' {
        $path = Join-Path $Folder 'survive.db'
        $info = Connect-ChamiDatabase -Path $path
        $info.Path | Should -Be $path
        $info.SchemaVersion | Should -Be 3   # the current schema (3: change stamps beside the file)
        New-ChamiNode -Xname x1000c0s0b0n0 -MacAddress 52:54:00:BE:EF:01 -IPAddress 172.16.0.1 -Group compute -Role Service | Out-Null
        New-ChamiComponent -Xname x1000c0s0b0 -State Ready | Out-Null

        $gone = Disconnect-ChamiDatabase -PassThru -Confirm:$false
        $gone.Path | Should -Be $path
        Connect-ChamiDatabase -Path $path | Out-Null

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

    It 'releases the file on Disconnect so it can be deleted and recreated' {
        $path = Join-Path $Folder 'release.db'
        Connect-ChamiDatabase -Path $path | Out-Null
        New-ChamiNode -Xname x1c0s0b0n0 | Out-Null
        Disconnect-ChamiDatabase -Confirm:$false
        Remove-Item $path
        Connect-ChamiDatabase -Path $path | Out-Null
        @(Get-ChamiNode).Count | Should -Be 0
    }

    It 'refuses a file with a newer schema version with DatabaseSchemaTooNew and leaves it untouched' {
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

    It 'uses $env:OPENCHAMI_DB when nothing was connected' {
        Disconnect-ChamiDatabase -Confirm:$false
        (Get-ChamiDatabase).Path | Should -Be ([IO.Path]::GetFullPath($env:OPENCHAMI_DB))
    }

    It '-InMemory gives an empty private database' {
        $info = Connect-ChamiDatabase -InMemory
        $info.InMemory | Should -BeTrue
        $info.Components | Should -Be 0
        New-ChamiNode -Xname x1c0s0b0n0 | Out-Null
        (Get-ChamiDatabase).Nodes | Should -Be 1
        (Connect-ChamiDatabase -InMemory).Nodes | Should -Be 0
    }
}
