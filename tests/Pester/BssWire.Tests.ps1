# The BSS rules that changed for upstream compatibility, as the cmdlets show them (spec/bss.md §4.2, §5.5):
# any xname is a host (a non-Node one with a warning), and an s3:// kernel needs an S3 endpoint.
BeforeAll {
    Import-Module $env:OPENCHAMI_MODULE -Force
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
}

Describe 'Set-ChamiBootParams and upstream BSS rules' {
    BeforeAll {
        $db = Connect-ChamiTestDatabase -Name bsswire
    }
    AfterAll {
        Disconnect-ChamiDatabase
        if ($db.Path) { Remove-Item $db.Path -ErrorAction SilentlyContinue }
    }

    It 'stores a BMC-style xname as a host and warns why it is unusual' {
        Set-ChamiBootParams -Xname X1000C0S0B0 -Kernel http://k/bmc-named -WarningVariable warnings -WarningAction SilentlyContinue
        $warnings.Count | Should -Be 1
        "$($warnings[0])" | Should -BeLike "host 'x1000c0s0b0' is a NodeBMC xname, not a Node*"
        (Get-ChamiBootParams -Xname x1000c0s0b0).Kernel | Should -Be 'http://k/bmc-named'

        Set-ChamiBootParams -Xname x1000c0s0b0n0 -Kernel http://k/node -WarningVariable nodeWarnings
        $nodeWarnings.Count | Should -Be 0
    }

    It 'refuses an s3:// kernel without an S3 endpoint and changes nothing' -Skip:([bool]($env:BSS_S3_ENDPOINT -or $env:S3_ENDPOINT)) {
        { Set-ChamiBootParams -Xname x1000c0s0b0n0 -Kernel s3://boot-images/vmlinuz -ErrorAction Stop } |
            Should -Throw -ErrorId 'S3EndpointNotConfigured,OpenChami.PowerShell.Commands.Boot.SetChamiBootParamsCommand'
        (Get-ChamiBootParams -Xname x1000c0s0b0n0).Kernel | Should -Be 'http://k/node'
    }
}
