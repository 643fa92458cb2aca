using System.Management.Automation;
using OpenChami.Core.CloudInit;
using OpenChami.PowerShell.Infrastructure;

namespace OpenChami.PowerShell.Commands.CloudInit;

/// <summary>
/// Changes the cloud-init cluster defaults. Given values replace the stored ones and omitted ones are kept
/// (the HTTP POST merge); with -Replace the defaults become exactly what is given (the way to clear a value).
/// -RotateSeedKey replaces the key that signs per-node seed URLs: every seed URL issued before stops working.
/// </summary>
[Cmdlet(VerbsCommon.Set, "ChamiCloudInitDefaults", SupportsShouldProcess = true)]
[OutputType(typeof(ClusterDefaults))]
public sealed class SetChamiCloudInitDefaultsCommand : ChamiCmdletBase
{
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? ClusterName { get; set; }

    /// <summary>Hostname prefix (<c>nid</c> → nid001).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? ShortName { get; set; }

    /// <summary>Zero-pad width of the NID in generated hostnames (default 4).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateRange(1, 18)]
    public int? NidLength { get; set; }

    /// <summary>cloud-init base URL used in vendor-data includes, e.g. http://172.16.0.254:8081/cloud-init.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? BaseUrl { get; set; }

    /// <summary>SSH public keys for every node.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string[]? PublicKey { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? Region { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? AvailabilityZone { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? CloudProvider { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? BootSubnet { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? WgSubnet { get; set; }

    /// <summary>Replace all defaults with exactly the given values.</summary>
    [Parameter]
    public SwitchParameter Replace { get; set; }

    /// <summary>Replace the seed-URL signing key (invalidates all seed URLs issued so far).</summary>
    [Parameter]
    public SwitchParameter RotateSeedKey { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        var input = new ClusterDefaults
        {
            ClusterName = ClusterName, ShortName = ShortName, NidLength = NidLength, BaseUrl = BaseUrl,
            PublicKeys = PublicKey?.ToList(), Region = Region, AvailabilityZone = AvailabilityZone,
            CloudProvider = CloudProvider, BootSubnet = BootSubnet, WgSubnet = WgSubnet,
        };
        var changesDefaults = Replace || MyInvocation.BoundParameters.Keys.Any(k => k is not (nameof(RotateSeedKey) or nameof(PassThru)) && !CommonParameterNames.Contains(k));
        if (changesDefaults && ShouldProcess("cloud-init cluster defaults", Replace ? "Replace" : "Set"))
        {
            if (!TryItem(() => { if (Replace) Services.CloudInit.ReplaceDefaults(input); else Services.CloudInit.MergeDefaults(input); }, "cluster-defaults")) return;
        }
        if (RotateSeedKey && ShouldProcess("cloud-init seed key", "Rotate (every issued seed URL stops working)"))
        {
            var keyId = Services.CloudInitSeeds.RotateKey();
            WriteVerbose($"New seed key id {keyId}.");
        }
        if (PassThru) WriteObject(Services.CloudInit.GetDefaults());
    }

    private static readonly HashSet<string> CommonParameterNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "Verbose", "Debug", "ErrorAction", "WarningAction", "InformationAction", "ProgressAction", "ErrorVariable", "WarningVariable",
        "InformationVariable", "OutVariable", "OutBuffer", "PipelineVariable", "WhatIf", "Confirm",
    };
}
