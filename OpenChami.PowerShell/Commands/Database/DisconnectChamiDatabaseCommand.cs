using System.Management.Automation;
using OpenChami.Core.Storage;
using OpenChami.PowerShell.Infrastructure;

namespace OpenChami.PowerShell.Commands.Database;

/// <summary>Closes the current database (a server started on it keeps its own reference).</summary>
[Cmdlet(VerbsCommunications.Disconnect, "ChamiDatabase", SupportsShouldProcess = true)]
[OutputType(typeof(DatabaseInfo))]
public sealed class DisconnectChamiDatabaseCommand : ChamiCmdletBase
{
    /// <summary>Writes what was disconnected.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        var current = ChamiSession.CurrentOrNull;
        if (current is null)
        {
            WriteVerbose("No database is connected.");
            return;
        }
        if (!ShouldProcess(current.Store.Location, "Disconnect database")) return;
        var info = PassThru ? DatabaseInfo.Of(current.Store) : null;
        ChamiSession.Disconnect();
        if (info is not null) WriteObject(info);
    }
}
