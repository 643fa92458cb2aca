using System.Management.Automation;
using OpenChami.Core.Http;
using OpenChami.PowerShell.Infrastructure;

namespace OpenChami.PowerShell.Commands.Server;

/// <summary>Lists the servers running in this session.</summary>
[Cmdlet(VerbsCommon.Get, "ChamiServer")]
[OutputType(typeof(ChamiServer))]
public sealed class GetChamiServerCommand : ChamiCmdletBase
{
    [Parameter(Position = 0)]
    public int[]? Port { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var server in ChamiServer.Running)
        {
            if (Port is null || Port.Contains(server.Port)) WriteObject(server);
        }
    }
}
