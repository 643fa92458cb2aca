<#
    The suite runner build.ps1 uses (Invoke-PesterSuite.ps1) must never report a broken test file as
    a success: a file that throws in BeforeAll, a file that doesn't parse, and a run that finds no
    tests all count as failures in the summary build.ps1 turns into "N passed, N failed, N skipped".
#>

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:Folder = New-TestFolder
    $script:Pester = (Get-Module Pester).Path

    function Invoke-Suite {
        param([string] $TestPath, [string] $Name)
        $summary = Join-Path $Folder "$Name.json"
        & ([Environment]::ProcessPath) (Join-Path $PSHOME 'pwsh.dll') -NoProfile -NonInteractive -File (Join-Path $PSScriptRoot 'Invoke-PesterSuite.ps1') `
            -PesterModule $Pester -ModulePath $env:OPENCHAMI_MODULE -TestPath $TestPath -SummaryPath $summary *> (Join-Path $Folder "$Name.log")
        Get-Content $summary -Raw | ConvertFrom-Json
    }
}

AfterAll {
    Remove-Item $Folder -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Invoke-PesterSuite.ps1 summary' -Tag LiteDbOnly {
    It 'counts a file that throws in BeforeAll, and a file that does not parse, as failed' {
        $broken = Join-Path $Folder 'broken'
        New-Item -ItemType Directory -Path $broken | Out-Null
        Set-Content (Join-Path $broken 'Throws.Tests.ps1') "Describe 'd' { BeforeAll { throw 'boom' }; It 'a' { 1 | Should -Be 1 } }`nDescribe 'ok' { It 'b' { 1 | Should -Be 1 } }"
        Set-Content (Join-Path $broken 'Syntax.Tests.ps1') "Describe 'd' { It 'a' { 1 | Should -Be 1 }"

        $summary = Invoke-Suite -TestPath $broken -Name 'broken'

        $summary.Passed | Should -Be 1
        $summary.Failed | Should -BeGreaterOrEqual 2
    }

    It 'counts a run that finds no tests as one failure, not an empty success' {
        $empty = Join-Path $Folder 'empty'
        New-Item -ItemType Directory -Path $empty | Out-Null
        $summary = Invoke-Suite -TestPath $empty -Name 'empty'
        $summary.Passed | Should -Be 0
        $summary.Failed | Should -Be 1
    }
}
