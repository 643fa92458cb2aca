<#
    Spec citations resolve. Code and docs cite the contracts as `spec/<name>.md §<n>` (short for
    docs/spec/<name>.md; inside the specs and docs/compat.md also `<name>.md §<n>`, and a bare `§<n>` in a spec
    means its own section). Every tracked *.cs, *.ps1, *.psm1 and *.md file is scanned: a citation of a spec file
    that does not exist, or of a section number that has no heading (`## 3.`, `### 3.2`), fails here.
    The checker is tested on small in-memory samples first, so it cannot pass by finding nothing.
#>

BeforeAll {
    $script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path

    # A section number, and what may follow it in one citation: `, §3`, `/§8`, `and §4`, or a range `-§2.7` / `–2.9`.
    $script:Section = '\d+(?:\.\d+)*'
    $script:RunPattern = "§(?<first>$Section)(?<rest>(?:\s*(?:,|/|and)\s*§$Section|\s*[-–]\s*§?$Section)*)"
    # `spec/<name>.md` (optionally docs/spec/...), with or without sections; or a bare `<name>.md` directly followed
    # by `§` (a Markdown link `[x.md](x.md) §n` included). `docs/boot.md` and the like are not spec citations.
    $script:CitationPattern = "(?<![\w.-])(?:docs/)?spec/(?<name>[a-z][a-z0-9-]*)\.md|(?<![\w./-])(?<bare>[a-z][a-z0-9-]*)\.md(?=(?:\]\([^)\s]*\))?\s*§\d)"

    function Get-SpecHeading {
        # The section numbers a spec defines: `## 3. Title`, `### 3.2 Title`.
        param([string] $Text)
        $set = [Collections.Generic.HashSet[string]]::new()
        foreach ($m in [regex]::Matches($Text, "(?m)^#{1,6}[ \t]+(?<n>$Section)\.?(?=[ \t]|$)")) { [void]$set.Add($m.Groups['n'].Value) }
        , $set
    }

    function Get-RunSection {
        # Every section number of one citation run: `§2.2-§2.7` → 2.2, 2.7; `§2.1, §3, §5` → 2.1, 3, 5.
        param([string] $Run)
        @([regex]::Matches($Run, $Section) | ForEach-Object Value)
    }

    function Find-SpecCitation {
        # One object per cited (spec, section); Section is $null for a citation of the file alone.
        param([string] $Path, [string] $Text, [string] $Self)
        $lineOf = { param($index) ($Text.Substring(0, $index) -split "`n").Count }
        $covered = [Collections.Generic.List[int[]]]::new()
        foreach ($m in [regex]::Matches($Text, $CitationPattern)) {
            $name = if ($m.Groups['name'].Success) { $m.Groups['name'].Value } else { $m.Groups['bare'].Value }
            $after = [regex]::Match($Text.Substring($m.Index + $m.Length), "^(?:\]\([^)\s]*\))?\s*(?<run>$RunPattern)")
            $end = $m.Index + $m.Length + $(if ($after.Success) { $after.Length } else { 0 })
            $covered.Add(@($m.Index, $end))
            # A citation of the file alone is one entry with no section ($null would vanish from an if/else result).
            $sections = [Collections.Generic.List[object]]::new()
            if ($after.Success) { $sections.AddRange([object[]](Get-RunSection $after.Groups['run'].Value)) } else { $sections.Add($null) }
            foreach ($s in $sections) {
                [pscustomobject]@{ Path = $Path; Line = & $lineOf $m.Index; Spec = $name; Section = $s; Text = $Text.Substring($m.Index, $end - $m.Index) }
            }
        }
        if ($Self) {
            # Inside a spec, a bare `§n` not part of another file's citation refers to that spec.
            foreach ($m in [regex]::Matches($Text, $RunPattern)) {
                if ($covered | Where-Object { $m.Index -ge $_[0] -and $m.Index -lt $_[1] }) { continue }
                foreach ($s in Get-RunSection $m.Value) {
                    [pscustomobject]@{ Path = $Path; Line = & $lineOf $m.Index; Spec = $Self; Section = $s; Text = $m.Value }
                }
            }
        }
    }

    function Test-SpecCitation {
        # Problems (strings) for citations of a missing spec or section. $Files: @{ Path; Text }; $Specs: name → heading set.
        param([object[]] $Files, [hashtable] $Specs)
        foreach ($file in $Files) {
            $self = if ($file.Path -match '^docs/spec/(?<n>[^/]+)\.md$' -and $Specs.ContainsKey($Matches.n)) { $Matches.n } else { $null }
            foreach ($c in Find-SpecCitation -Path $file.Path -Text $file.Text -Self $self) {
                if (-not $Specs.ContainsKey($c.Spec)) { "$($c.Path):$($c.Line): '$($c.Text)' cites docs/spec/$($c.Spec).md, which does not exist"; continue }
                if ($null -ne $c.Section -and -not $Specs[$c.Spec].Contains($c.Section)) {
                    "$($c.Path):$($c.Line): '$($c.Text)' cites §$($c.Section), but docs/spec/$($c.Spec).md has no heading numbered $($c.Section)"
                }
            }
        }
    }

    function Get-RepoFile {
        # Tracked files (git ls-files); outside a git checkout, the files on disk minus build output.
        $paths = @(git -C $RepoRoot ls-files -- '*.cs' '*.ps1' '*.psm1' '*.md' 2>$null)
        if ($LASTEXITCODE -ne 0 -or $paths.Count -eq 0) {
            $paths = @(Get-ChildItem $RepoRoot -Recurse -File -Include '*.cs', '*.ps1', '*.psm1', '*.md' |
                ForEach-Object { [IO.Path]::GetRelativePath($RepoRoot, $_.FullName) -replace '\\', '/' } |
                Where-Object { $_ -notmatch '(^|/)(out|bin|obj|\.git)/' })
        }
        foreach ($p in $paths) {
            $full = Join-Path $RepoRoot $p
            if (Test-Path $full -PathType Leaf) { @{ Path = $p; Text = [IO.File]::ReadAllText($full) } }
        }
    }

    $script:Specs = @{}
    # The index (README.md) is no spec: nothing cites its sections.
    foreach ($f in Get-ChildItem (Join-Path $RepoRoot 'docs/spec') -Filter '*.md' | Where-Object BaseName -ne 'README') {
        $Specs[$f.BaseName] = Get-SpecHeading ([IO.File]::ReadAllText($f.FullName))
    }
    $script:Files = @(Get-RepoFile)
}

Describe 'The spec citation checker itself' -Tag LiteDbOnly {
    BeforeAll {
        # Built from pieces so this file's own text holds none of the fake citations the real scan would reject.
        $md = '.md'
        $script:SampleSpecs = @{ 'alpha' = (Get-SpecHeading "# Alpha`n## 1. One`n### 1.2 Sub`n## 3 Three`n#### 3.4.1. Deep`n## Known gaps`n") }
        function script:Check([string] $text, [string] $path = 'x/Sample.cs') { @(Test-SpecCitation -Files @(@{ Path = $path; Text = $text }) -Specs $SampleSpecs) }
    }

    It 'reads numbered headings only' {
        @($SampleSpecs['alpha'] | Sort-Object) | Should -Be @('1', '1.2', '3', '3.4.1')
    }

    It 'accepts citations of existing sections, lists and ranges' {
        Check "// spec/alpha$md §1.2 and spec/alpha$md §3, §1`n/// (spec/alpha$md §1-§3), spec/alpha$md §1.2–3.4.1, spec/alpha$md §3/§1, docs/spec/alpha$md" | Should -BeNullOrEmpty
        Check "see alpha$md §3.4.1 and [alpha$md](alpha$md) §1" 'docs/compat.md' | Should -BeNullOrEmpty
        Check "spec/alpha$md §1 steps 5-9, §3 #12, spec/alpha$md §3.`n" | Should -BeNullOrEmpty
    }

    It 'fails on a section that has no heading (<Text>)' -ForEach @(
        @{ Text = 'spec/alpha{0} §2'; Section = '2' }
        @{ Text = 'spec/alpha{0} §1.3'; Section = '1.3' }
        @{ Text = 'spec/alpha{0} §1, §4'; Section = '4' }
        @{ Text = 'spec/alpha{0} §1-§5.1'; Section = '5.1' }
        @{ Text = 'spec/alpha{0} §3.4–3.9'; Section = '3.9' }
        @{ Text = 'alpha{0} §7'; Section = '7' }
    ) {
        $problems = @(Check ($Text -f $md))
        $problems.Count | Should -Be 1
        $problems[0] | Should -Match ([regex]::Escape("§$Section,")) -Because 'the problem names the missing section'
        $problems[0] | Should -Match '^x/Sample\.cs:1: '
    }

    It 'fails on a spec file that does not exist, with or without a section' {
        $problems = @(Check "line one`n// spec/nosuch$md §1`n# spec/gone$md`n")
        $problems.Count | Should -Be 2
        $problems[0] | Should -Match '^x/Sample\.cs:2: .*docs/spec/nosuch\.md, which does not exist'
        $problems[1] | Should -Match '^x/Sample\.cs:3: .*docs/spec/gone\.md'
    }

    It 'ignores Markdown files that are not specs and bare section marks outside a spec' {
        Check "docs/boot$md §9, README$md, ../cloud$md, §42 of something" | Should -BeNullOrEmpty
    }

    It 'checks a bare section mark inside a spec against that spec, but not one that belongs to another citation' {
        $problems = @(Check "## 1. One`nas §1.2 says; not §9; spec/alpha$md §3 and §1" "docs/spec/alpha$md")
        $problems.Count | Should -Be 1
        $problems[0] | Should -Match '§9,'
    }
}

Describe 'Spec citations in this repository' -Tag LiteDbOnly {
    It 'has the six specs, an index and the compatibility table' {
        foreach ($name in 'smd', 'bss', 'cloud-init', 'discovery-power', 'boot-service', 'metadata-service') {
            $Specs.ContainsKey($name) | Should -BeTrue -Because "docs/spec/$name.md is cited and must exist"
            $Specs[$name].Count | Should -BeGreaterThan 0 -Because "docs/spec/$name.md has numbered sections"
        }
        Join-Path $RepoRoot 'docs/spec/README.md' | Should -Exist
        Join-Path $RepoRoot 'docs/compat.md' | Should -Exist
    }

    It 'scans the tracked files and finds the citations the code makes' {
        $Files.Count | Should -BeGreaterThan 50
        $found = @($Files | ForEach-Object { Find-SpecCitation -Path $_.Path -Text $_.Text -Self $null } | Where-Object Section)
        $found.Count | Should -BeGreaterThan 80 -Because 'the code cites the specs about 90 times; finding few means the scan is broken'
        @($found | Where-Object Path -like 'OpenChami.Core/*').Count | Should -BeGreaterThan 50
    }

    It 'has no citation of a missing spec file or section' {
        $problems = @(Test-SpecCitation -Files $Files -Specs $Specs)
        $problems | Should -BeNullOrEmpty -Because 'every spec/<name>.md §<n> must name an existing heading of docs/spec/<name>.md'
    }
}
