using System.Management.Automation;
using OpenChami.Core.CloudInit;
using OpenChami.PowerShell.Completers;
using OpenChami.PowerShell.Infrastructure;

namespace OpenChami.PowerShell.Commands.CloudInit;

/// <summary>
/// Sets per-node cloud-init instance-info, what <c>ochami cloud-init node set</c> does: hostname overrides,
/// extra SSH keys (appended after the cluster keys), instance type and a per-node base URL. Only the given
/// values change. The node keeps its instance-id (one is generated on first use).
/// </summary>
[Cmdlet(VerbsCommon.Set, "ChamiCloudInitNode", SupportsShouldProcess = true)]
[OutputType(typeof(InstanceInfo))]
public sealed class SetChamiCloudInitNodeCommand : ChamiCmdletBase
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("ID")]
    [ArgumentCompleter(typeof(XnameCompleter))]
    public string Xname { get; set; } = string.Empty;

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? Hostname { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? LocalHostname { get; set; }

    /// <summary>SSH public keys for this node only (replace the node's stored list).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string[]? PublicKey { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? InstanceType { get; set; }

    /// <summary>cloud-init base URL for this node's vendor-data includes.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("CloudInitBaseUrl")]
    public string? BaseUrl { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        if (!ShouldProcess(Xname, "Set cloud-init instance-info")) return;
        var bound = MyInvocation.BoundParameters;
        TryItem(() =>
        {
            var info = Services.CloudInit.UpdateInstance(Xname, i =>
            {
                if (bound.ContainsKey(nameof(Hostname))) i.Hostname = Hostname;
                if (bound.ContainsKey(nameof(LocalHostname))) i.LocalHostname = LocalHostname;
                if (bound.ContainsKey(nameof(PublicKey))) i.PublicKeys = PublicKey?.ToList();
                if (bound.ContainsKey(nameof(InstanceType))) i.InstanceType = InstanceType;
                if (bound.ContainsKey(nameof(BaseUrl))) i.CloudInitBaseUrl = BaseUrl;
            });
            if (PassThru) WriteObject(info);
        }, Xname);
    }
}
