using System.Management.Automation;
using OpenChami.Core.CloudInit;
using OpenChami.PowerShell.Completers;
using OpenChami.PowerShell.Infrastructure;

namespace OpenChami.PowerShell.Commands.CloudInit;

/// <summary>Gets per-node cloud-init instance-info (instance-id, hostname overrides, extra keys, base URL).</summary>
[Cmdlet(VerbsCommon.Get, "ChamiCloudInitNode")]
[OutputType(typeof(InstanceInfo))]
public sealed class GetChamiCloudInitNodeCommand : ChamiCmdletBase
{
    /// <summary>Node xnames; all nodes with instance-info when omitted.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("ID")]
    [ArgumentCompleter(typeof(XnameCompleter))]
    public string[]? Xname { get; set; }

    protected override void ProcessRecord()
    {
        if (Xname is null or { Length: 0 })
        {
            foreach (var info in Services.CloudInit.GetInstances()) WriteObject(info);
            return;
        }
        foreach (var xname in Xname) TryItem(() => WriteObject(Services.CloudInit.GetInstance(xname)), xname);
    }
}
