using System.Management.Automation;
using OpenChami.Core.Storage;
using OpenChami.PowerShell.Infrastructure;

namespace OpenChami.PowerShell.Commands.Database;

/// <summary>Shows the current database: path, backend, schema version and counts.</summary>
[Cmdlet(VerbsCommon.Get, "ChamiDatabase")]
[OutputType(typeof(DatabaseInfo))]
public sealed class GetChamiDatabaseCommand : ChamiCmdletBase
{
    protected override void ProcessRecord() => WriteObject(DatabaseInfo.Of(Services.Store));
}
