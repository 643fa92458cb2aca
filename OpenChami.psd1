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
        'Add-ChamiGroupMember'
        'Connect-ChamiDatabase'
        'Disconnect-ChamiDatabase'
        'Export-ChamiCertificate'
        'Export-ChamiInventory'
        'Find-ChamiBmc'
        'Get-ChamiAuditLog'
        'Get-ChamiComponent'
        'Get-ChamiDatabase'
        'Get-ChamiEthernetInterface'
        'Get-ChamiGroup'
        'Get-ChamiNode'
        'Get-ChamiPartition'
        'Get-ChamiPowerState'
        'Get-ChamiPowerTransition'
        'Get-ChamiRedfishEndpoint'
        'Get-ChamiServer'
        'Get-ChamiServerLog'
        'Import-ChamiInventory'
        'Invoke-ChamiDiscovery'
        'Invoke-ChamiPowerAction'
        'New-ChamiComponent'
        'New-ChamiEthernetInterface'
        'New-ChamiGroup'
        'New-ChamiNode'
        'New-ChamiPartition'
        'New-ChamiRedfishEndpoint'
        'New-ChamiToken'
        'Remove-ChamiComponent'
        'Remove-ChamiEthernetInterface'
        'Remove-ChamiGroup'
        'Remove-ChamiGroupMember'
        'Remove-ChamiNode'
        'Remove-ChamiPartition'
        'Remove-ChamiRedfishEndpoint'
        'Restart-ChamiNode'
        'Set-ChamiComponent'
        'Set-ChamiGroup'
        'Set-ChamiNode'
        'Set-ChamiRedfishEndpoint'
        'Start-ChamiNode'
        'Start-ChamiServer'
        'Stop-ChamiNode'
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
