<#
    Our own PlatyPS: PlatyPS is not served here, so this small tool writes and reads its markdown
    format and builds MAML from it. It has no dependencies (nothing of it ships in the module).

    - Update-ChamiDocPage / Update-ChamiDocs: (re)generate docs/cmdlets/<Verb-Noun>.md from the live,
      compiled cmdlets. Syntax and parameter metadata come from the cmdlet; the prose (synopsis,
      description, examples, parameter descriptions, notes, links) is kept from the existing page.
    - Test-ChamiDocPage: the checks the test suite runs (placeholders, missing prose, drift).
    - ConvertTo-ChamiMaml: docs/cmdlets/*.md -> OpenChami.PowerShell.dll-Help.xml for Get-Help.
#>
Set-StrictMode -Version Latest

$script:Placeholder = '{{ Fill in'
$script:Fence = '```'
$script:CommonParameterNames = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
$script:StandardDescriptions = @{
    WhatIf  = 'Shows what would happen if the cmdlet runs. The cmdlet is not run.'
    Confirm = 'Prompts you for confirmation before running the cmdlet.'
}

function Get-ShortTypeName([type] $Type) {
    $underlying = [Nullable]::GetUnderlyingType($Type)
    if ($underlying) { $Type = $underlying }
    if ($Type.IsArray) { return (Get-ShortTypeName $Type.GetElementType()) + '[]' }
    switch ($Type.FullName) {
        'System.String' { 'String'; break }
        'System.Int32' { 'Int32'; break }
        'System.Int64' { 'Int64'; break }
        'System.Boolean' { 'Boolean'; break }
        default { $Type.Name }
    }
}

function Get-DocParameters($Command) {
    # Parameters of the cmdlet that a page documents: all but the common ones (WhatIf/Confirm are documented).
    $Command.Parameters.Values | Where-Object { $_.Name -notin $script:CommonParameterNames -or $_.Name -in 'WhatIf', 'Confirm' }
}

function Format-SyntaxLine($Command, $ParameterSet) {
    $parameters = @($ParameterSet.Parameters | Where-Object { $_.Name -notin $script:CommonParameterNames -or $_.Name -in 'WhatIf', 'Confirm' })
    $positional = @($parameters | Where-Object { $_.Position -ge 0 } | Sort-Object Position)
    $named = @($parameters | Where-Object { $_.Position -lt 0 -and $_.Name -notin 'WhatIf', 'Confirm' })
    $ordered = @($positional) + @($named | Where-Object IsMandatory) + @($named | Where-Object { -not $_.IsMandatory }) +
        @($parameters | Where-Object { $_.Name -in 'WhatIf', 'Confirm' } | Sort-Object { $_.Name -eq 'Confirm' })
    $parts = foreach ($p in $ordered) {
        $isSwitch = $p.ParameterType -eq [System.Management.Automation.SwitchParameter]
        $name = if ($p.Position -ge 0) { "[-$($p.Name)]" } else { "-$($p.Name)" }
        $text = if ($isSwitch) { "-$($p.Name)" } else { "$name <$(Get-ShortTypeName $p.ParameterType)>" }
        if ($p.IsMandatory) { $text } else { "[$text]" }
    }
    (@($Command.Name) + @($parts) + '[<CommonParameters>]') -join ' '
}

function Get-SyntaxSections($Command) {
    $sets = @($Command.ParameterSets | Sort-Object { -not $_.IsDefault }, Name)
    foreach ($set in $sets) {
        $name = if ($sets.Count -eq 1) { '__AllParameterSets' } elseif ($set.IsDefault) { "$($set.Name) (Default)" } else { $set.Name }
        [pscustomobject]@{ Name = $name; Line = Format-SyntaxLine $Command $set }
    }
}

function Format-PipelineInput($Parameter) {
    $kinds = @()
    foreach ($attribute in $Parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] }) {
        if ($attribute.ValueFromPipelineByPropertyName) { $kinds += 'ByPropertyName' }
        if ($attribute.ValueFromPipeline) { $kinds += 'ByValue' }
    }
    $kinds = @($kinds | Select-Object -Unique | Sort-Object)
    if ($kinds.Count -eq 0) { 'False' } else { "True ($($kinds -join ', '))" }
}

function Get-ParameterYaml($Command, $Parameter) {
    $sets = @($Parameter.ParameterSets.Keys)
    $setText = if ($sets -contains '__AllParameterSets' -or $sets.Count -eq @($Command.ParameterSets).Count) { '(All)' } else { ($sets | Sort-Object) -join ', ' }
    $required = @($Parameter.ParameterSets.Values | ForEach-Object IsMandatory | Select-Object -Unique)
    $requiredText = if ($required.Count -gt 1) { "True ($((@($Parameter.ParameterSets.GetEnumerator() | Where-Object { $_.Value.IsMandatory } | ForEach-Object Key | Sort-Object)) -join ', ')), False" } else { [string]$required[0] }
    $positions = @($Parameter.ParameterSets.Values | ForEach-Object Position | Select-Object -Unique)
    $position = if ($positions[0] -ge 0) { [string]$positions[0] } else { 'Named' }
    $aliases = if ($Parameter.Aliases.Count) { $Parameter.Aliases -join ', ' } else { '' }
    if ($Parameter.Name -eq 'WhatIf') { $aliases = 'wi' }
    if ($Parameter.Name -eq 'Confirm') { $aliases = 'cf' }
    $wildcards = [bool]($Parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] })
    $type = Get-ShortTypeName $Parameter.ParameterType
    $validValues = $null
    $enumType = [Nullable]::GetUnderlyingType($Parameter.ParameterType) ?? $Parameter.ParameterType
    if ($enumType.IsArray) { $enumType = $enumType.GetElementType() }
    if ($enumType.IsEnum) { $validValues = [Enum]::GetNames($enumType) -join ', ' }
    $lines = @("Type: $type", "Parameter Sets: $setText", "Aliases: $aliases")
    if ($validValues) { $lines += "Accepted values: $validValues" }
    $lines += @('', "Required: $requiredText", "Position: $position", 'Default value: None',
        "Accept pipeline input: $(Format-PipelineInput $Parameter)", "Accept wildcard characters: $wildcards")
    ($lines | ForEach-Object TrimEnd) -join "`n"
}

function Read-ChamiDocPage {
    <# Parses a PlatyPS page into its prose parts, keyed so a regenerated page can keep them. #>
    param([Parameter(Mandatory)] [string] $Path)
    $text = (Get-Content -Raw -Path $Path) -replace "`r`n", "`n"
    $page = [ordered]@{ Synopsis = ''; Description = ''; Examples = ''; Notes = ''; Links = ''; Inputs = @{}; Outputs = @{}; Parameters = @{}; Syntax = @(); Raw = $text }
    $sections = [regex]::Split($text, '(?m)^## ') | Select-Object -Skip 1
    foreach ($section in $sections) {
        $newline = $section.IndexOf("`n")
        $title = $section.Substring(0, $newline).Trim()
        $body = $section.Substring($newline + 1).Trim()
        switch ($title) {
            'SYNOPSIS' { $page.Synopsis = $body }
            'DESCRIPTION' { $page.Description = $body }
            'EXAMPLES' { $page.Examples = $body }
            'NOTES' { $page.Notes = $body }
            'RELATED LINKS' { $page.Links = $body }
            'SYNTAX' {
                $page.Syntax = @([regex]::Matches($body, '(?ms)^### (?<name>.+?)\n```\n(?<line>.+?)\n```') | ForEach-Object {
                    [pscustomobject]@{ Name = $_.Groups['name'].Value.Trim(); Line = $_.Groups['line'].Value.Trim() } })
            }
            'PARAMETERS' {
                foreach ($m in [regex]::Matches($body, '(?ms)^### -(?<name>\S+)\n(?<desc>.*?)\n```yaml\n(?<yaml>.*?)```')) {
                    $page.Parameters[$m.Groups['name'].Value] = [pscustomobject]@{ Description = $m.Groups['desc'].Value.Trim(); Yaml = $m.Groups['yaml'].Value.Trim() }
                }
            }
            { $_ -in 'INPUTS', 'OUTPUTS' } {
                $target = if ($title -eq 'INPUTS') { $page.Inputs } else { $page.Outputs }
                # The type is the rest of the heading line; the last type of a section may have no newline after it.
                foreach ($m in [regex]::Matches($body, '(?ms)^### (?<type>[^\n]+)\n?(?<desc>.*?)(?=^### |\z)')) {
                    $target[$m.Groups['type'].Value.Trim()] = $m.Groups['desc'].Value.Trim()
                }
            }
        }
    }
    [pscustomobject]$page
}

function Get-XmlDocSummaries([string] $XmlDocPath) {
    # Seeds prose for new pages from the C# /// summaries, so a new cmdlet starts with real text.
    $map = @{}
    if (-not $XmlDocPath -or -not (Test-Path $XmlDocPath)) { return $map }
    [xml] $xml = Get-Content -Raw $XmlDocPath
    foreach ($member in $xml.doc.members.member) {
        $node = $member.SelectSingleNode('summary')
        $summary = if ($node) { ($node.InnerText -replace '\s+', ' ').Trim() } else { '' }
        if ($summary) { $map[$member.name] = $summary }
    }
    $map
}

function Get-PipelineInputTypes($Command) {
    $types = foreach ($p in Get-DocParameters $Command) {
        foreach ($a in $p.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] }) {
            if ($a.ValueFromPipeline -or $a.ValueFromPipelineByPropertyName) { $p.ParameterType.FullName -replace '^System\.Nullable`1\[\[([^,]+),.*$', '$1' }
        }
    }
    $list = @($types | Select-Object -Unique)
    if ($list.Count -eq 0) { @('None') } else { $list }
}

function Update-ChamiDocPage {
    <#
    .SYNOPSIS
        Writes docs/cmdlets/<Name>.md for one live cmdlet, keeping the prose of the existing page.
    #>
    param(
        [Parameter(Mandatory)] [System.Management.Automation.CmdletInfo] $Command,
        [Parameter(Mandatory)] [string] $DocsPath,
        [hashtable] $XmlDocs = @{}
    )
    $path = Join-Path $DocsPath "$($Command.Name).md"
    $old = if (Test-Path $path) { Read-ChamiDocPage $path } else { $null }
    $type = $Command.ImplementingType
    $fill = { param($what) "$script:Placeholder $what }}" }

    $synopsis = if ($old -and $old.Synopsis) { $old.Synopsis } elseif ($XmlDocs["T:$($type.FullName)"]) { $XmlDocs["T:$($type.FullName)"] } else { & $fill 'the synopsis' }
    $description = if ($old -and $old.Description) { $old.Description } else { & $fill 'the description' }
    $examples = if ($old -and $old.Examples) { $old.Examples } else { "### Example 1`n$($script:Fence)powershell`n$(& $fill 'an example')`n$($script:Fence)`n`n$(& $fill 'what the example does')" }

    $sb = [System.Text.StringBuilder]::new()
    [void]$sb.Append("---`nexternal help file: OpenChami.PowerShell.dll-Help.xml`nModule Name: OpenChami`nonline version:`nschema: 2.0.0`n---`n`n")
    [void]$sb.Append("# $($Command.Name)`n`n## SYNOPSIS`n$synopsis`n`n## SYNTAX`n")
    foreach ($s in Get-SyntaxSections $Command) { [void]$sb.Append("`n### $($s.Name)`n$($script:Fence)`n$($s.Line)`n$($script:Fence)`n") }
    [void]$sb.Append("`n## DESCRIPTION`n$description`n`n## EXAMPLES`n`n$examples`n`n## PARAMETERS`n")
    $parameters = @(Get-DocParameters $Command | Sort-Object { $_.Name -in 'WhatIf', 'Confirm' }, Name)
    foreach ($p in $parameters) {
        $desc = if ($old -and $old.Parameters.ContainsKey($p.Name) -and $old.Parameters[$p.Name].Description) { $old.Parameters[$p.Name].Description }
                elseif ($script:StandardDescriptions.ContainsKey($p.Name)) { $script:StandardDescriptions[$p.Name] }
                elseif ($XmlDocs["P:$($type.FullName).$($p.Name)"]) { $XmlDocs["P:$($type.FullName).$($p.Name)"] }
                else { & $fill "$($p.Name) description" }
        [void]$sb.Append("`n### -$($p.Name)`n$desc`n`n$($script:Fence)yaml`n$(Get-ParameterYaml $Command $p)`n$($script:Fence)`n")
    }
    [void]$sb.Append("`n### CommonParameters`nThis cmdlet supports the common parameters: -Debug, -ErrorAction, -ErrorVariable, -InformationAction, -InformationVariable, -OutVariable, -OutBuffer, -PipelineVariable, -ProgressAction, -Verbose, -WarningAction, and -WarningVariable. For more information, see [about_CommonParameters](http://go.microsoft.com/fwlink/?LinkID=113216).`n")
    [void]$sb.Append("`n## INPUTS`n")
    foreach ($t in Get-PipelineInputTypes $Command) {
        $d = if ($old -and $old.Inputs.ContainsKey($t)) { $old.Inputs[$t] } else { '' }
        [void]$sb.Append("`n### $t`n$(if ($d) { "$d`n" })")
    }
    [void]$sb.Append("`n## OUTPUTS`n")
    foreach ($t in @($Command.OutputType | ForEach-Object { $_.Type.FullName } | Select-Object -Unique)) {
        $d = if ($old -and $old.Outputs.ContainsKey($t)) { $old.Outputs[$t] } else { '' }
        [void]$sb.Append("`n### $t`n$(if ($d) { "$d`n" })")
    }
    $notes = if ($old) { $old.Notes } else { '' }
    $links = if ($old -and $old.Links) { $old.Links } else { '[about_OpenChami](about_OpenChami.md)' }
    [void]$sb.Append("`n## NOTES`n$(if ($notes) { "$notes`n" })`n## RELATED LINKS`n`n$links`n")
    $content = $sb.ToString() -replace "`n{3,}", "`n`n"
    Set-Content -Path $path -Value $content -NoNewline
    Get-Item $path
}

function Test-ChamiDocPage {
    <#
    .SYNOPSIS
        Returns the problems of one page against the live cmdlet (empty when the page is complete and current).
    #>
    param(
        [Parameter(Mandatory)] [System.Management.Automation.CmdletInfo] $Command,
        [Parameter(Mandatory)] [string] $DocsPath
    )
    $path = Join-Path $DocsPath "$($Command.Name).md"
    if (-not (Test-Path $path)) { return "no page $path" }
    $page = Read-ChamiDocPage $path
    $problems = [System.Collections.Generic.List[string]]::new()
    if ($page.Raw.Contains($script:Placeholder)) { $problems.Add('page still holds a placeholder') }
    if (-not $page.Synopsis) { $problems.Add('no synopsis') }
    if (-not $page.Description) { $problems.Add('no description') }
    if ($page.Examples -notmatch '(?m)^### ') { $problems.Add('no example') }
    elseif ($page.Examples -notmatch '```powershell\n\S') { $problems.Add('an example has no code') }
    foreach ($p in Get-DocParameters $Command) {
        if (-not $page.Parameters.ContainsKey($p.Name)) { $problems.Add("parameter -$($p.Name) is not documented"); continue }
        if (-not $page.Parameters[$p.Name].Description) { $problems.Add("parameter -$($p.Name) has no description") }
        $expected = Get-ParameterYaml $Command $p
        if ($page.Parameters[$p.Name].Yaml -ne $expected) { $problems.Add("parameter -$($p.Name) metadata drifted from the cmdlet") }
    }
    foreach ($documented in $page.Parameters.Keys) {
        if (-not $Command.Parameters.ContainsKey($documented)) { $problems.Add("page documents -$documented, which the cmdlet does not have") }
    }
    $expectedSyntax = @(Get-SyntaxSections $Command)
    $pageSyntax = @($page.Syntax)
    # Parenthesized: -join and -ne share a precedence, so unbracketed this compared a string with an array.
    $expectedText = ($expectedSyntax | ForEach-Object { "$($_.Name)|$($_.Line)" }) -join "`n"
    $pageText = ($pageSyntax | ForEach-Object { "$($_.Name)|$($_.Line)" }) -join "`n"
    if ($expectedText -ne $pageText) {
        $problems.Add('syntax drifted from the cmdlet')
    }
    $problems
}

function ConvertFrom-Markdown-Paragraphs([string] $Text) {
    # MAML wants plain paragraphs: split on blank lines, drop markdown emphasis and link targets.
    foreach ($para in ($Text -split "\n\s*\n")) {
        $plain = ($para -replace '\[([^\]]+)\]\([^)]+\)', '$1' -replace '`', '').Trim()
        if ($plain) { $plain }
    }
}

function ConvertTo-ChamiMaml {
    <#
    .SYNOPSIS
        Builds one MAML help file from the PlatyPS pages, for Get-Help to read offline.
    #>
    param(
        [Parameter(Mandatory)] [string] $DocsPath,
        [Parameter(Mandatory)] [string] $OutputPath
    )
    $settings = [System.Xml.XmlWriterSettings]@{ Indent = $true; Encoding = [System.Text.UTF8Encoding]::new($false) }
    $dir = Split-Path $OutputPath
    if ($dir) { New-Item -ItemType Directory -Path $dir -Force | Out-Null }
    $w = [System.Xml.XmlWriter]::Create($OutputPath, $settings)
    $maml = 'http://schemas.microsoft.com/maml/2004/10'
    $command = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
    $dev = 'http://schemas.microsoft.com/maml/dev/2004/10'
    try {
        $w.WriteStartDocument()
        $w.WriteStartElement('helpItems', 'http://msh')
        $w.WriteAttributeString('schema', 'maml')
        $w.WriteAttributeString('xmlns', 'maml', $null, $maml)
        $w.WriteAttributeString('xmlns', 'command', $null, $command)
        $w.WriteAttributeString('xmlns', 'dev', $null, $dev)
        foreach ($file in Get-ChildItem $DocsPath -Filter '*-*.md' | Sort-Object Name) {
            $page = Read-ChamiDocPage $file.FullName
            $name = $file.BaseName
            $verb, $noun = $name -split '-', 2
            $w.WriteStartElement('command', 'command', $command)
            $w.WriteStartElement('command', 'details', $command)
            $w.WriteElementString('command', 'name', $command, $name)
            $w.WriteElementString('command', 'verb', $command, $verb)
            $w.WriteElementString('command', 'noun', $command, $noun)
            $w.WriteStartElement('maml', 'description', $maml)
            foreach ($p in ConvertFrom-Markdown-Paragraphs $page.Synopsis) { $w.WriteElementString('maml', 'para', $maml, $p) }
            $w.WriteEndElement(); $w.WriteEndElement()
            $w.WriteStartElement('maml', 'description', $maml)
            foreach ($p in ConvertFrom-Markdown-Paragraphs $page.Description) { $w.WriteElementString('maml', 'para', $maml, $p) }
            $w.WriteEndElement()

            $parameters = @{}
            foreach ($entry in $page.Parameters.GetEnumerator()) {
                $yaml = @{}
                foreach ($line in $entry.Value.Yaml -split "`n") { if ($line -match '^(?<k>[^:]+):\s*(?<v>.*)$') { $yaml[$Matches.k.Trim()] = $Matches.v.Trim() } }
                $parameters[$entry.Key] = [pscustomobject]@{ Name = $entry.Key; Description = $entry.Value.Description; Yaml = $yaml }
            }
            $w.WriteStartElement('command', 'syntax', $command)
            foreach ($s in $page.Syntax) {
                $w.WriteStartElement('command', 'syntaxItem', $command)
                $w.WriteElementString('maml', 'name', $maml, $name)
                foreach ($m in [regex]::Matches($s.Line, '-(?<p>[A-Za-z]+)')) {
                    $p = $parameters[$m.Groups['p'].Value]
                    if ($p) { Write-MamlParameter $w $p $command $maml $dev }
                }
                $w.WriteEndElement()
            }
            $w.WriteEndElement()
            $w.WriteStartElement('command', 'parameters', $command)
            foreach ($p in $parameters.Values | Sort-Object Name) { Write-MamlParameter $w $p $command $maml $dev }
            $w.WriteEndElement()
            foreach ($kind in 'inputTypes', 'returnValues') {
                $w.WriteStartElement('command', $kind, $command)
                $map = if ($kind -eq 'inputTypes') { $page.Inputs } else { $page.Outputs }
                foreach ($t in $map.GetEnumerator()) {
                    $w.WriteStartElement('command', ($kind -eq 'inputTypes' ? 'inputType' : 'returnValue'), $command)
                    $w.WriteStartElement('dev', 'type', $dev); $w.WriteElementString('maml', 'name', $maml, $t.Key); $w.WriteEndElement()
                    $w.WriteStartElement('maml', 'description', $maml)
                    foreach ($p in ConvertFrom-Markdown-Paragraphs $t.Value) { $w.WriteElementString('maml', 'para', $maml, $p) }
                    $w.WriteEndElement(); $w.WriteEndElement()
                }
                $w.WriteEndElement()
            }
            $w.WriteStartElement('maml', 'alertSet', $maml)
            foreach ($p in ConvertFrom-Markdown-Paragraphs $page.Notes) { $w.WriteStartElement('maml', 'alert', $maml); $w.WriteElementString('maml', 'para', $maml, $p); $w.WriteEndElement() }
            $w.WriteEndElement()
            $w.WriteStartElement('command', 'examples', $command)
            foreach ($m in [regex]::Matches($page.Examples, '(?ms)^### (?<title>.+?)\n```powershell\n(?<code>.*?)\n```\n?(?<remarks>.*?)(?=^### |\z)')) {
                $w.WriteStartElement('command', 'example', $command)
                $w.WriteElementString('maml', 'title', $maml, "-------------------------- $($m.Groups['title'].Value.Trim()) --------------------------")
                $w.WriteElementString('dev', 'code', $dev, $m.Groups['code'].Value)
                $w.WriteStartElement('dev', 'remarks', $dev)
                foreach ($p in ConvertFrom-Markdown-Paragraphs $m.Groups['remarks'].Value) { $w.WriteElementString('maml', 'para', $maml, $p) }
                $w.WriteEndElement(); $w.WriteEndElement()
            }
            $w.WriteEndElement()
            $w.WriteStartElement('command', 'relatedLinks', $command)
            foreach ($m in [regex]::Matches($page.Links, '\[(?<text>[^\]]+)\]\((?<uri>[^)]*)\)')) {
                $w.WriteStartElement('maml', 'navigationLink', $maml)
                $w.WriteElementString('maml', 'linkText', $maml, $m.Groups['text'].Value)
                $w.WriteElementString('maml', 'uri', $maml, ($m.Groups['uri'].Value -match '^https?://' ? $m.Groups['uri'].Value : ''))
                $w.WriteEndElement()
            }
            $w.WriteEndElement()
            $w.WriteEndElement()
        }
        $w.WriteEndElement()
        $w.WriteEndDocument()
    }
    finally { $w.Dispose() }
    Get-Item $OutputPath
}

function Write-MamlParameter($w, $p, $command, $maml, $dev) {
    $y = $p.Yaml
    $w.WriteStartElement('command', 'parameter', $command)
    $w.WriteAttributeString('required', ($y['Required'] -like 'True*').ToString().ToLowerInvariant())
    $w.WriteAttributeString('variableLength', 'true')
    $w.WriteAttributeString('globbing', ($y['Accept wildcard characters'] -eq 'True').ToString().ToLowerInvariant())
    $w.WriteAttributeString('pipelineInput', $y['Accept pipeline input'])
    $w.WriteAttributeString('position', ($y['Position'] -eq 'Named' ? 'named' : $y['Position']))
    $w.WriteAttributeString('aliases', ($y['Aliases'] ? $y['Aliases'] : 'none'))
    $w.WriteElementString('maml', 'name', $maml, $p.Name)
    $w.WriteStartElement('maml', 'description', $maml)
    foreach ($para in ConvertFrom-Markdown-Paragraphs $p.Description) { $w.WriteElementString('maml', 'para', $maml, $para) }
    $w.WriteEndElement()
    if ($y['Type'] -ne 'SwitchParameter') {
        # Switches have no value; Get-Help then shows them as [-Name].
        $w.WriteStartElement('command', 'parameterValue', $command)
        $w.WriteAttributeString('required', 'true')
        $w.WriteAttributeString('variableLength', 'false')
        $w.WriteString($y['Type'])
        $w.WriteEndElement()
    }
    $w.WriteStartElement('dev', 'type', $dev); $w.WriteElementString('maml', 'name', $maml, $y['Type']); $w.WriteEndElement()
    $w.WriteElementString('dev', 'defaultValue', $dev, $y['Default value'])
    $w.WriteEndElement()
}

function Update-ChamiModulePage {
    <#
    .SYNOPSIS
        Writes docs/cmdlets/<Module>.md, the PlatyPS module page: front matter, the module description
        (kept from the existing page) and one entry per cmdlet page with its synopsis, generated so it cannot drift.
    #>
    param(
        [Parameter(Mandatory)] [string] $DocsPath,
        [string] $ModuleName = 'OpenChami',
        [Parameter(Mandatory)] [string] $ManifestPath
    )
    $manifest = Import-PowerShellDataFile -Path $ManifestPath
    $path = Join-Path $DocsPath "$ModuleName.md"
    $description = $manifest.Description
    if (Test-Path $path) {
        $old = (Get-Content -Raw -Path $path) -replace "`r`n", "`n"
        $m = [regex]::Match($old, '(?ms)^## Description\n(?<d>.*?)(?=^## |\z)')
        if ($m.Success -and $m.Groups['d'].Value.Trim()) { $description = $m.Groups['d'].Value.Trim() }
    }
    $sb = [System.Text.StringBuilder]::new()
    [void]$sb.Append("---`nModule Name: $ModuleName`nModule Guid: $($manifest.GUID)`nDownload Help Link:`nHelp Version: $($manifest.ModuleVersion)`nLocale: en-US`n---`n`n")
    [void]$sb.Append("# $ModuleName Module`n`n## Description`n$description`n`n## $ModuleName Cmdlets`n")
    foreach ($file in Get-ChildItem $DocsPath -Filter '*-*.md' | Sort-Object Name) {
        $synopsis = ((Read-ChamiDocPage $file.FullName).Synopsis -replace '\s+', ' ').Trim()
        [void]$sb.Append("`n### [$($file.BaseName)]($($file.Name))`n$synopsis`n")
    }
    Set-Content -Path $path -Value $sb.ToString() -NoNewline
    Get-Item $path
}

function Test-ChamiModulePage {
    <#
    .SYNOPSIS
        Returns the problems of the module page: cmdlets it misses or lists without a current synopsis, entries for cmdlets that do not exist.
    #>
    param(
        [Parameter(Mandatory)] [string[]] $CommandName,
        [Parameter(Mandatory)] [string] $DocsPath,
        [string] $ModuleName = 'OpenChami'
    )
    $path = Join-Path $DocsPath "$ModuleName.md"
    if (-not (Test-Path $path)) { return "no module page $path" }
    $text = (Get-Content -Raw -Path $path) -replace "`r`n", "`n"
    $entries = @{}
    foreach ($m in [regex]::Matches($text, '(?m)^### \[(?<name>[^\]]+)\]\((?<file>[^)]+)\)\n(?<synopsis>.*)$')) {
        $entries[$m.Groups['name'].Value] = $m.Groups['synopsis'].Value.Trim()
    }
    if ($text -notmatch "(?m)^# $ModuleName Module$") { "module page has no '# $ModuleName Module' title" }
    if ($text -notmatch '(?m)^## Description\n\S') { 'module page has no description' }
    foreach ($name in $CommandName) {
        if (-not $entries.ContainsKey($name)) { "module page misses $name"; continue }
        $pagePath = Join-Path $DocsPath "$name.md"
        if (Test-Path $pagePath) {
            $synopsis = ((Read-ChamiDocPage $pagePath).Synopsis -replace '\s+', ' ').Trim()
            if ($entries[$name] -ne $synopsis) { "module page synopsis of $name differs from its page" }
        }
    }
    foreach ($name in $entries.Keys) { if ($name -notin $CommandName) { "module page lists $name, which the module does not export" } }
}

function Update-ChamiDocs {
    <#
    .SYNOPSIS
        Regenerates every page for the loaded OpenChami module and removes pages of cmdlets that no longer exist.
    #>
    param(
        [Parameter(Mandatory)] [string] $DocsPath,
        [string] $XmlDocPath,
        # The manifest the module page takes its Guid, version and description from.
        [string] $ManifestPath = (Join-Path $PSScriptRoot '../OpenChami.psd1')
    )
    $xmlDocs = Get-XmlDocSummaries $XmlDocPath
    $commands = Get-Command -Module OpenChami -CommandType Cmdlet | Sort-Object Name
    foreach ($c in $commands) { Update-ChamiDocPage -Command $c -DocsPath $DocsPath -XmlDocs $xmlDocs }
    foreach ($stale in Get-ChildItem $DocsPath -Filter '*-*.md' | Where-Object { $_.BaseName -notin $commands.Name }) {
        Write-Warning "removing page of a cmdlet that no longer exists: $($stale.Name)"
        Remove-Item $stale.FullName
    }
    Update-ChamiModulePage -DocsPath $DocsPath -ManifestPath $ManifestPath | Out-Null
}

Export-ModuleMember -Function Update-ChamiDocs, Update-ChamiDocPage, Update-ChamiModulePage, Test-ChamiModulePage, Read-ChamiDocPage, Test-ChamiDocPage, ConvertTo-ChamiMaml
