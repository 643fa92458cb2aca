using System.Management.Automation;
using OpenChami.Core.Http;
using OpenChami.PowerShell.Infrastructure;

namespace OpenChami.PowerShell.Commands.Server;

/// <summary>Reads the in-memory log of running servers (newest last).</summary>
[Cmdlet(VerbsCommon.Get, "ChamiServerLog")]
[OutputType(typeof(ServerLogEntry))]
public sealed class GetChamiServerLogCommand : ChamiCmdletBase
{
    [Parameter(ValueFromPipeline = true)]
    public ChamiServer? Server { get; set; }

    /// <summary>Only the last N entries.</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int Last { get; set; } = 100;

    [Parameter]
    public ServerLogLevel MinimumLevel { get; set; } = ServerLogLevel.Trace;

    [Parameter]
    public DateTime? Since { get; set; }

    protected override void ProcessRecord()
    {
        var servers = Server is null ? ChamiServer.Running : [Server];
        var since = Since?.ToUniversalTime();
        var entries = servers.SelectMany(s => s.Log.Snapshot())
            .Where(e => e.Level >= MinimumLevel && (since is null || e.Time >= since))
            .OrderBy(e => e.Time)
            .TakeLast(Last);
        foreach (var entry in entries) WriteObject(entry);
    }
}
