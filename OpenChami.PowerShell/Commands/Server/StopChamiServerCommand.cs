using System.Management.Automation;
using OpenChami.Core.Http;
using OpenChami.PowerShell.Infrastructure;

namespace OpenChami.PowerShell.Commands.Server;

/// <summary>Stops servers started in this session and frees their ports.</summary>
[Cmdlet(VerbsLifecycle.Stop, "ChamiServer", SupportsShouldProcess = true, DefaultParameterSetName = AllSet)]
[OutputType(typeof(ChamiServer))]
public sealed class StopChamiServerCommand : ChamiCmdletBase
{
    private const string AllSet = "All";
    private const string ServerSet = "Server";
    private const string PortSet = "Port";

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = ServerSet)]
    public ChamiServer[] Server { get; set; } = [];

    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = PortSet)]
    public int[] Port { get; set; } = [];

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        var targets = ParameterSetName switch
        {
            ServerSet => Server,
            PortSet => ChamiServer.Running.Where(s => Port.Contains(s.Port)).ToArray(),
            _ => ChamiServer.Running.ToArray(),
        };
        foreach (var server in targets)
        {
            if (!ShouldProcess(server.Url, "Stop OpenChami server")) continue;
            server.StopAsync().GetAwaiter().GetResult();
            if (PassThru) WriteObject(server);
        }
    }
}
