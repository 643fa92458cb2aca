<#
    Help and documentation (issue 9): every exported cmdlet has a complete, current PlatyPS page in
    docs/cmdlets, the module page lists every cmdlet, and Get-Help in a FRESH pwsh importing the built
    module shows, offline, what the pages say (the MAML in out/OpenChami/en-US is built from them).
    Drift (a page whose syntax or parameter metadata no longer matches the live cmdlet) fails here;
    `./build.ps1 -UpdateDocs` regenerates the pages keeping their prose.
#>

BeforeDiscovery {
    Import-Module $env:OPENCHAMI_MODULE -Force
    $script:CmdletCases = @(Get-Command -Module OpenChami -CommandType Cmdlet | Sort-Object Name | ForEach-Object { @{ Name = $_.Name } })
}

BeforeAll {
    Import-Module $env:OPENCHAMI_MODULE -Force
    $script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
    $script:DocsPath = Join-Path $RepoRoot 'docs/cmdlets'
    Import-Module (Join-Path $RepoRoot 'build/ChamiDocs.psm1') -Force
    $script:Commands = @(Get-Command -Module OpenChami -CommandType Cmdlet | Sort-Object Name)
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
}

Describe 'The page of <Name>' -ForEach $CmdletCases -Tag LiteDbOnly {
    It 'exists, is complete (synopsis, description, an example, every parameter described, no placeholder) and matches the live cmdlet' {
        $problems = @(Test-ChamiDocPage -Command (Get-Command $Name) -DocsPath $DocsPath)
        $problems | Should -BeNullOrEmpty -Because "docs/cmdlets/$Name.md must be complete and current (run ./build.ps1 -UpdateDocs, then write the prose)"
    }

    It 'has an example with code and a paragraph explaining it, and links to other cmdlets' {
        $page = Read-ChamiDocPage (Join-Path $DocsPath "$Name.md")
        $page.Examples | Should -Match '(?ms)^### .+?\n```powershell\n\S.*?\n```\n+\S'
        $page.Links | Should -Match '\[[A-Z][a-z]+-Chami\w+\]\([A-Z][a-z]+-Chami\w+\.md\)'
        foreach ($section in @($page.Inputs.Values) + @($page.Outputs.Values)) {
            $section | Should -Not -BeNullOrEmpty -Because 'every INPUTS/OUTPUTS type says what it is'
        }
    }
}

Describe 'The documentation set' -Tag LiteDbOnly {
    It 'has no page for a cmdlet the module does not export' {
        $pages = @(Get-ChildItem $DocsPath -Filter '*-*.md' | ForEach-Object BaseName)
        $pages | Where-Object { $_ -notin $Commands.Name } | Should -BeNullOrEmpty
    }

    It 'has a module page (OpenChami.md) listing every exported cmdlet with its current synopsis' {
        $modulePage = Join-Path $DocsPath 'OpenChami.md'
        $modulePage | Should -Exist
        $text = Get-Content -Raw $modulePage
        $text | Should -Match '(?m)^Module Guid: 6f4b6c0e-3a3e-4d5b-9a52-0c1c5e7f2b11$'
        $text | Should -Match '(?m)^Locale: en-US$'
        @(Test-ChamiModulePage -CommandName $Commands.Name -DocsPath $DocsPath) | Should -BeNullOrEmpty
    }
}

Describe 'The drift and completeness checks themselves' -Tag LiteDbOnly {
    BeforeAll {
        $script:Folder = New-TestFolder
        $script:Command = Get-Command Get-ChamiNode
        Copy-Item (Join-Path $DocsPath 'Get-ChamiNode.md') $Folder
        $script:CopyPath = Join-Path $Folder 'Get-ChamiNode.md'
        $script:Original = Get-Content -Raw $CopyPath
    }
    AfterAll { Remove-Item $Folder -Recurse -Force -ErrorAction SilentlyContinue }
    AfterEach { Set-Content -Path $CopyPath -Value $Original -NoNewline }

    It 'passes the untouched copy' {
        @(Test-ChamiDocPage -Command $Command -DocsPath $Folder) | Should -BeNullOrEmpty
    }

    It 'reports syntax drift when a parameter is removed from the syntax' {
        $edited = [regex]::Replace($Original, '(?ms)(^## SYNTAX.*?)\s\[-Group <String\[\]>\]', '$1', 1)
        $edited | Should -Not -Be $Original -Because 'the test must really change the syntax'
        Set-Content -Path $CopyPath -Value $edited -NoNewline
        Test-ChamiDocPage -Command $Command -DocsPath $Folder | Should -Contain 'syntax drifted from the cmdlet'
    }

    It 'reports parameter metadata drift and an undocumented parameter' {
        $edited = $Original -replace '(?ms)(### -Group\n.*?Accept wildcard characters: )\w+', '${1}Maybe'
        $edited | Should -Not -Be $Original
        Set-Content -Path $CopyPath -Value $edited -NoNewline
        Test-ChamiDocPage -Command $Command -DocsPath $Folder | Should -Contain 'parameter -Group metadata drifted from the cmdlet'

        $removed = [regex]::Replace($Original, '(?ms)^### -Group\n.*?```yaml\n.*?```\n', '')
        Set-Content -Path $CopyPath -Value $removed -NoNewline
        Test-ChamiDocPage -Command $Command -DocsPath $Folder | Should -Contain 'parameter -Group is not documented'
    }

    It 'reports a placeholder, a missing synopsis and a missing example' {
        $edited = $Original -replace '(?ms)(^## SYNOPSIS\n).*?(\n\n## SYNTAX)', '$1$2' -replace '(?ms)(^## EXAMPLES\n).*?(\n## PARAMETERS)', '$1{{ Fill in an example }}$2'
        Set-Content -Path $CopyPath -Value $edited -NoNewline
        $problems = @(Test-ChamiDocPage -Command $Command -DocsPath $Folder)
        $problems | Should -Contain 'page still holds a placeholder'
        $problems | Should -Contain 'no synopsis'
        $problems | Should -Contain 'no example'
    }

    It 'regenerates a drifted page back to the live syntax, keeping its prose' {
        $edited = [regex]::Replace($Original, '(?ms)(^## SYNTAX.*?)\s\[-Group <String\[\]>\]', '$1', 1)
        Set-Content -Path $CopyPath -Value $edited -NoNewline
        Update-ChamiDocPage -Command $Command -DocsPath $Folder | Out-Null
        @(Test-ChamiDocPage -Command $Command -DocsPath $Folder) | Should -BeNullOrEmpty
        (Read-ChamiDocPage $CopyPath).Description | Should -Be (Read-ChamiDocPage (Join-Path $DocsPath 'Get-ChamiNode.md')).Description
    }

    It 'module page check reports a missing cmdlet and a stale synopsis' {
        $pageFolder = Join-Path $Folder 'module'
        New-Item -ItemType Directory $pageFolder | Out-Null
        Copy-Item (Join-Path $DocsPath 'Get-ChamiNode.md'), (Join-Path $DocsPath 'Get-ChamiGroup.md') $pageFolder
        Update-ChamiModulePage -DocsPath $pageFolder -ManifestPath (Join-Path $RepoRoot 'OpenChami.psd1') | Out-Null
        @(Test-ChamiModulePage -CommandName 'Get-ChamiNode', 'Get-ChamiGroup' -DocsPath $pageFolder) | Should -BeNullOrEmpty
        Test-ChamiModulePage -CommandName 'Get-ChamiNode', 'Get-ChamiGroup', 'New-ChamiNode' -DocsPath $pageFolder | Should -Contain 'module page misses New-ChamiNode'
        $nodePage = Join-Path $pageFolder 'Get-ChamiNode.md'
        (Get-Content -Raw $nodePage) -replace '(?m)(^## SYNOPSIS\n)', '$1Changed. ' | Set-Content $nodePage -NoNewline
        Test-ChamiModulePage -CommandName 'Get-ChamiNode', 'Get-ChamiGroup' -DocsPath $pageFolder | Should -Contain 'module page synopsis of Get-ChamiNode differs from its page'
    }
}

Describe 'Get-Help in a fresh pwsh with the built module' -Tag LiteDbOnly {
    BeforeAll {
        # One child process for all cmdlets (startup dominates); it reports what Get-Help returned as JSON.
        $script:Folder = New-TestFolder
        $probe = Join-Path $Folder 'probe.ps1'
        Set-Content -Path $probe -Value @'
param([string] $ModulePath)
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath
$result = [ordered]@{ Cmdlets = [ordered]@{}; About = $null }
foreach ($c in Get-Command -Module OpenChami -CommandType Cmdlet | Sort-Object Name) {
    $h = Get-Help $c.Name -Full
    $result.Cmdlets[$c.Name] = [ordered]@{
        Synopsis    = [string]$h.Synopsis
        Description = (@($h.description | ForEach-Object Text) -join "`n")
        Parameters  = @($h.parameters.parameter | Where-Object { $_ } | ForEach-Object { [ordered]@{ Name = $_.name; Description = (@($_.description | ForEach-Object Text) -join "`n") } })
        Examples    = @($h.examples.example | Where-Object { $_ } | ForEach-Object { [ordered]@{ Code = [string]$_.code; Remarks = (@($_.remarks | ForEach-Object Text) -join "`n") } })
        Text        = ($h | Out-String -Width 200)
    }
}
$about = Get-Help about_OpenChami
$result.About = ($about | Out-String)
$result | ConvertTo-Json -Depth 6 -Compress
'@
        $json = & ([Environment]::ProcessPath) (Join-Path $PSHOME 'pwsh.dll') -NoProfile -NonInteractive -File $probe -ModulePath $env:OPENCHAMI_MODULE 2>&1
        $script:ExitCode = $LASTEXITCODE
        $script:ProbeOutput = ($json | Out-String)
        $script:Help = if ($ExitCode -eq 0) { $ProbeOutput | ConvertFrom-Json -AsHashtable } else { $null }
    }
    AfterAll { Remove-Item $Folder -Recurse -Force -ErrorAction SilentlyContinue }

    It 'runs the probe' {
        $ExitCode | Should -Be 0 -Because $ProbeOutput
        $Help.Cmdlets.Keys.Count | Should -Be $Commands.Count
    }

    It 'shows the synopsis, description, every parameter with its description and the examples of <Name>' -ForEach $CmdletCases {
        $h = $Help.Cmdlets[$Name]
        $h | Should -Not -BeNullOrEmpty
        $page = Read-ChamiDocPage (Join-Path $DocsPath "$Name.md")
        # Get-Help falls back to the bare syntax as synopsis when it finds no MAML: insist on the page's words.
        $h.Synopsis | Should -Be (($page.Synopsis -replace '\[([^\]]+)\]\([^)]+\)', '$1' -replace '`', '' -replace '\s+', ' ').Trim())
        $h.Description | Should -Not -BeNullOrEmpty
        $documented = @($h.Parameters | ForEach-Object { $_.Name })
        foreach ($p in (Get-Command $Name).Parameters.Values | Where-Object { $_.Name -notin [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters -or $_.Name -in 'WhatIf', 'Confirm' }) {
            $documented | Should -Contain $p.Name
            ($h.Parameters | Where-Object { $_.Name -eq $p.Name }).Description | Should -Not -BeNullOrEmpty -Because "-$($p.Name) of $Name needs a description in Get-Help"
        }
        @($h.Examples).Count | Should -BeGreaterOrEqual 1
        foreach ($e in $h.Examples) {
            $e.Code | Should -Not -BeNullOrEmpty
            $e.Remarks | Should -Not -BeNullOrEmpty
        }
        $h.Text | Should -Match 'EXAMPLE'
    }

    It 'shows about_OpenChami offline' {
        $Help.About | Should -Match 'about_OpenChami'
        $Help.About | Should -Match 'Connect-ChamiDatabase'
    }
}
