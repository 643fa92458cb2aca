<#
    The module as shipped: what out/OpenChami contains, what a fresh pwsh sees after Import-Module,
    and the cmdlet rules of design.md, enforced by reflection for EVERY exported cmdlet (so they
    keep holding as other areas add cmdlets).

    ShouldProcess rule: every verb changes state and must support -WhatIf/-Confirm, except the verbs
    in $ReadOnlyVerbs below. Connect/Disconnect are exempt: they switch which database this session
    uses and change nothing stored. Export is NOT exempt: it writes (and may overwrite) a file, like
    Export-Csv. A verb nobody has thought about yet defaults to "must support ShouldProcess".
#>

BeforeDiscovery {
    Import-Module $env:OPENCHAMI_MODULE -Force
    $script:CmdletCases = @(Get-Command -Module OpenChami -CommandType Cmdlet | Sort-Object Name | ForEach-Object { @{ Name = $_.Name } })
}

BeforeAll {
    Import-Module $env:OPENCHAMI_MODULE -Force
    $script:ModuleFolder = Split-Path $env:OPENCHAMI_MODULE
    $script:Manifest = Import-PowerShellDataFile $env:OPENCHAMI_MODULE
    $script:ReadOnlyVerbs = @('Get', 'Test', 'Find', 'Connect', 'Disconnect', 'Resolve', 'Measure', 'Compare', 'Search', 'Show', 'Wait', 'Watch', 'Read', 'Select', 'ConvertTo', 'ConvertFrom', 'Format')
    $script:HighImpactCmdlets = @('Stop-ChamiNode', 'Restart-ChamiNode')
    $script:BaseType = [OpenChami.PowerShell.Infrastructure.ChamiCmdletBase]
    $script:ApprovedVerbs = (Get-Verb).Verb
}

Describe 'The built module folder' -Tag LiteDbOnly {
    It 'has an explicit, sorted CmdletsToExport and no wildcards in any export list' {
        $Manifest.CmdletsToExport | Should -Not -BeNullOrEmpty
        foreach ($key in 'CmdletsToExport', 'FunctionsToExport', 'AliasesToExport', 'VariablesToExport') {
            foreach ($entry in @($Manifest[$key])) { $entry | Should -Not -Match '[*?]' -Because "$key must be explicit" }
        }
        $sorted = @($Manifest.CmdletsToExport | Sort-Object { $_ } -CaseSensitive:$false)
        $Manifest.CmdletsToExport | Should -Be $sorted
    }

    It 'contains exactly the manifest, our assemblies, their runtime dependencies, the format file (and help)' {
        # Runtime dependencies: LiteDB (store), Npgsql (PostgreSQL store), Microsoft.IdentityModel.* (JWT, required by
        # the security design), YamlDotNet (nodes.yaml import). Anything else is a build leak.
        $dependencies = @('LiteDB.dll', 'Npgsql.dll', 'Microsoft.IdentityModel.Abstractions.dll', 'Microsoft.IdentityModel.JsonWebTokens.dll',
            'Microsoft.IdentityModel.Logging.dll', 'Microsoft.IdentityModel.Tokens.dll', 'YamlDotNet.dll')
        $allowed = @('OpenChami.psd1', 'OpenChami.PowerShell.dll', 'OpenChami.Core.dll', 'OpenChami.Format.ps1xml', 'en-US') + $dependencies
        $present = @(Get-ChildItem $ModuleFolder -Force | ForEach-Object Name)
        $present | Where-Object { $_ -notin $allowed } | Should -BeNullOrEmpty
        foreach ($required in $allowed | Where-Object { $_ -ne 'en-US' }) { $present | Should -Contain $required }
        $help = Join-Path $ModuleFolder 'en-US'
        if (Test-Path $help) {
            Get-ChildItem $help -Recurse -File | Where-Object Extension -NotIn '.xml', '.txt' | Should -BeNullOrEmpty
        }
    }

    It 'exports exactly CmdletsToExport in a fresh pwsh' {
        $folder = New-Item -ItemType Directory -Path (Join-Path ([IO.Path]::GetTempPath()) "openchami-fresh-$([guid]::NewGuid().ToString('n'))")
        try {
            $out = Join-Path $folder 'commands.json'
            $command = "Import-Module '$env:OPENCHAMI_MODULE' -ErrorAction Stop; @(Get-Command -Module OpenChami | ForEach-Object { `$_.CommandType.ToString() + ' ' + `$_.Name }) | ConvertTo-Json | Set-Content '$out'"
            & ([Environment]::ProcessPath) (Join-Path $PSHOME 'pwsh.dll') -NoProfile -NonInteractive -Command $command
            $LASTEXITCODE | Should -Be 0
            $listed = @(Get-Content $out -Raw | ConvertFrom-Json | Sort-Object)
            $listed | Should -Be @($Manifest.CmdletsToExport | Sort-Object | ForEach-Object { "Cmdlet $_" })
        }
        finally {
            Remove-Item $folder -Recurse -Force
        }
    }
}

Describe 'Where the cmdlet code lives' -Tag LiteDbOnly {
    It 'every cmdlet base class is abstract, named ...CmdletBase and lives in Infrastructure (one place, one name style)' {
        $assembly = $BaseType.Assembly
        $bases = @($assembly.GetTypes() | Where-Object { $_.IsSubclassOf([System.Management.Automation.PSCmdlet]) -and -not $_.IsSealed })
        $bases | Should -Not -BeNullOrEmpty
        foreach ($type in @($BaseType) + $bases) {
            $type.IsAbstract | Should -BeTrue -Because "$($type.FullName) is a base class"
            $type.Name | Should -BeLikeExactly '*CmdletBase' -Because "$($type.FullName) is a base class"
            $type.Namespace | Should -Be 'OpenChami.PowerShell.Infrastructure' -Because "$($type.FullName) is a base class"
        }
    }

    It 'the completers that read the database derive ChamiCompleterBase (one way to reach the session)' {
        $completers = @($BaseType.Assembly.GetTypes() | Where-Object { $_.Namespace -eq 'OpenChami.PowerShell.Completers' -and $_.IsClass -and -not $_.IsAbstract -and
            [System.Management.Automation.IArgumentCompleter].IsAssignableFrom($_) -and -not $_.IsGenericTypeDefinition })
        $completers.Name | Should -Contain 'XnameCompleter'
        foreach ($type in $completers) {
            $type.IsSubclassOf([OpenChami.PowerShell.Completers.ChamiCompleterBase]) | Should -BeTrue -Because "$($type.Name) reads the database"
        }
    }
}

Describe 'Cmdlet rules (design.md), for every exported cmdlet' -Tag LiteDbOnly {
    BeforeAll {
        function Get-ParameterAttribute($Parameter) { @($Parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] }) }
    }

    It '<Name>: approved verb, Chami noun, class <Verb>Chami<Noun>Command, public sealed, derives ChamiCmdletBase' -ForEach $CmdletCases {
        $command = Get-Command $Name -Module OpenChami
        $command.Verb | Should -BeIn $ApprovedVerbs
        $command.Noun | Should -BeLikeExactly 'Chami*'
        $type = $command.ImplementingType
        $type.Name | Should -BeExactly "$($command.Verb)$($command.Noun)Command"
        $type.IsPublic | Should -BeTrue
        $type.IsSealed | Should -BeTrue
        $type.IsSubclassOf($BaseType) | Should -BeTrue -Because 'every cmdlet derives ChamiCmdletBase (error mapping, services, Ctrl+C)'
        $type.Namespace | Should -BeLike 'OpenChami.PowerShell.Commands.*'
    }

    It '<Name>: [OutputType] with real types, each with a table view in the loaded format data' -ForEach $CmdletCases {
        $command = Get-Command $Name -Module OpenChami
        $command.OutputType | Should -Not -BeNullOrEmpty -Because 'every cmdlet declares [OutputType]'
        foreach ($output in $command.OutputType) {
            $output.Type | Should -Not -BeNullOrEmpty -Because "'$($output.Name)' must resolve to a loaded type"
            $output.Type | Should -Not -Be ([psobject])
            $output.Type | Should -Not -Be ([object])
            $output.Type | Should -Not -Be ([string])
            if ($output.Type.IsPrimitive) { continue } # Test-* booleans display as themselves
            $views = @(Get-FormatData -TypeName $output.Type.FullName -PowerShellVersion $PSVersionTable.PSVersion | ForEach-Object FormatViewDefinition)
            $views.Control | Where-Object { $_ -is [System.Management.Automation.TableControl] } |
                Should -Not -BeNullOrEmpty -Because "$($output.Type.FullName) needs a table view in OpenChami.Format.ps1xml"
        }
    }

    It '<Name>: supports ShouldProcess when its verb changes state; ConfirmImpact High for Remove/Stop-/Restart-ChamiNode' -ForEach $CmdletCases {
        $command = Get-Command $Name -Module OpenChami
        $cmdlet = [System.Management.Automation.CmdletAttribute]::GetCustomAttribute($command.ImplementingType, [System.Management.Automation.CmdletAttribute])
        if ($command.Verb -notin $ReadOnlyVerbs) {
            $cmdlet.SupportsShouldProcess | Should -BeTrue -Because "$($command.Verb) changes state: -WhatIf/-Confirm are required"
            $command.Parameters.Keys | Should -Contain 'WhatIf'
        }
        if ($command.Verb -eq 'Remove' -or $Name -in $HighImpactCmdlets) {
            $cmdlet.ConfirmImpact | Should -Be ([System.Management.Automation.ConfirmImpact]::High)
        }
    }

    It '<Name>: -Xname/-MacAddress/-Name bind by property name; -Xname has alias ID and completes from the store' -ForEach $CmdletCases {
        $command = Get-Command $Name -Module OpenChami
        $xnameByProperty = $command.Parameters['Xname'] -and @(Get-ParameterAttribute $command.Parameters['Xname'] | Where-Object ValueFromPipelineByPropertyName).Count -gt 0
        foreach ($key in 'Xname', 'MacAddress', 'Name') {
            $parameter = $command.Parameters[$key]
            if (-not $parameter) { continue }
            foreach ($attribute in Get-ParameterAttribute $parameter) {
                # One exception: a -MacAddress selector in its own parameter set beside a by-property -Xname
                # (boot parameters). A Node carries both properties, so binding both would make piping a
                # node ambiguous; the node binds by -Xname.
                if ($key -eq 'MacAddress' -and $xnameByProperty -and $attribute.ParameterSetName -notin @(Get-ParameterAttribute $command.Parameters['Xname'] | ForEach-Object ParameterSetName)) { continue }
                $attribute.ValueFromPipelineByPropertyName | Should -BeTrue -Because "-$key binds by property name in parameter set '$($attribute.ParameterSetName)'"
            }
        }
        if ($command.Parameters['Xname']) {
            # On NIC cmdlets an object's ID is the MAC id (525400beef01), so -Xname must not bind it.
            if ($command.Noun -ne 'ChamiEthernetInterface') { $command.Parameters['Xname'].Aliases | Should -Contain 'ID' }
            else { $command.Parameters['Xname'].Aliases | Should -Not -Contain 'ID' }
            # Existing xnames complete; New-* (the xname doesn't exist yet) and Test-* (any string) need not.
            if ($command.Verb -notin 'New', 'Test') {
                $completer = $command.Parameters['Xname'].Attributes | Where-Object { $_ -is [System.Management.Automation.ArgumentCompleterAttribute] }
                $completer.Type | Should -Be ([OpenChami.PowerShell.Completers.XnameCompleter])
            }
        }
        if ($command.Parameters['Group']) {
            $completer = $command.Parameters['Group'].Attributes | Where-Object { $_ -is [System.Management.Automation.ArgumentCompleterAttribute] }
            # cloud-init cmdlets name cloud-init groups (configured ones complete); the others SMD groups.
            $expected = if ($command.Noun -like 'ChamiCloudInit*') { [OpenChami.PowerShell.Completers.CloudInitGroupCompleter] } else { [OpenChami.PowerShell.Completers.GroupCompleter] }
            $completer.Type | Should -Be $expected
        }
    }

    It '<Name>: parameter types never come from ASP.NET Core or Microsoft.Extensions (import would fail)' -ForEach $CmdletCases {
        $command = Get-Command $Name -Module OpenChami
        foreach ($parameter in $command.Parameters.Values) {
            $parameter.ParameterType.Assembly.GetName().Name | Should -Not -Match '^Microsoft\.(AspNetCore|Extensions)\.'
        }
    }
}
