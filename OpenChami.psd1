@{
    RootModule           = 'OpenChami.PowerShell.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = '6f4b6c0e-3a3e-4d5b-9a52-0c1c5e7f2b11'
    Author               = 'OpenChami'
    CompanyName          = 'OpenChami'
    Copyright            = '(c) OpenChami contributors. MIT License.'
    Description          = 'OpenCHAMI''s HPC cluster-management core as one PowerShell module: inventory (SMD), boot scripts (BSS), cloud-init, Redfish discovery and power, with an embedded HTTP server and database.'
    PowerShellVersion    = '7.6'
    CompatiblePSEditions = @('Core')
    FormatsToProcess     = @('OpenChami.Format.ps1xml')
    CmdletsToExport      = @(
        'Connect-ChamiDatabase'
        'Disconnect-ChamiDatabase'
        'Export-ChamiCertificate'
        'Export-ChamiDnsmasqConfig'
        'Get-ChamiAuditLog'
        'Get-ChamiBootParams'
        'Get-ChamiBootScript'
        'Get-ChamiComponent'
        'Get-ChamiDatabase'
        'Get-ChamiNode'
        'Get-ChamiServer'
        'Get-ChamiServerLog'
        'New-ChamiComponent'
        'New-ChamiNode'
        'New-ChamiToken'
        'Remove-ChamiBootParams'
        'Remove-ChamiComponent'
        'Remove-ChamiNode'
        'Set-ChamiBootParams'
        'Set-ChamiComponent'
        'Set-ChamiNode'
        'Start-ChamiServer'
        'Stop-ChamiServer'
        'Test-ChamiXname'
    )
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags       = @('HPC', 'OpenCHAMI', 'SMD', 'BSS', 'cloud-init', 'Redfish', 'iPXE')
            ProjectUri = 'https://github.com/OpenCHAMI'
        }
    }
}
