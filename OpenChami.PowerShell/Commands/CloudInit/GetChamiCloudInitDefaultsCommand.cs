using System.Management.Automation;
using OpenChami.Core.CloudInit;
using OpenChami.PowerShell.Infrastructure;

namespace OpenChami.PowerShell.Commands.CloudInit;

/// <summary>Gets the cloud-init cluster defaults (cluster name, hostname prefix, NID width, base URL, SSH keys...).</summary>
[Cmdlet(VerbsCommon.Get, "ChamiCloudInitDefaults")]
[OutputType(typeof(ClusterDefaults))]
public sealed class GetChamiCloudInitDefaultsCommand : ChamiCmdletBase
{
    protected override void ProcessRecord() => WriteObject(Services.CloudInit.GetDefaults());
}
