using System.Management.Automation;
using OpenChami.Core.Boot;
using OpenChami.Core.Http;
using OpenChami.PowerShell.Completers;
using OpenChami.PowerShell.Infrastructure;

namespace OpenChami.PowerShell.Commands.Boot;

/// <summary>
/// Shows exactly the iPXE script a node would receive from /boot/v1/bootscript, and which entry
/// (host, MAC, NID, group, role, Default, Unknown-&lt;arch&gt;) it came from.
/// </summary>
[Cmdlet(VerbsCommon.Get, "ChamiBootScript", DefaultParameterSetName = XnameSet)]
[OutputType(typeof(BootScript))]
[OutputType(typeof(BootScriptExplanation))]
public sealed class GetChamiBootScriptCommand : BootIdentityCmdletBase
{
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = XnameSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("ID")]
    [ArgumentCompleter(typeof(XnameCompleter))]
    public override string[]? Xname { get; set; }

    /// <summary>The URL nodes reach this server at (chain and cloud-init URLs); default: the running server's, else http://127.0.0.1:8081.</summary>
    [Parameter]
    public Uri? BaseUrl { get; set; }

    /// <summary>Instead of the script: every boot configuration that applies, its /boot-service score, and why the winner won.</summary>
    [Parameter]
    public SwitchParameter Explain { get; set; }

    protected override void ProcessRecord()
    {
        var host = BaseUrl?.Authority ?? ServerHost();
        foreach (var x in Xname ?? []) Emit(new BootRequest { Name = x }, x, host);
        foreach (var m in MacAddress ?? [])
        {
            TryItem(() => Emit(new BootRequest { Mac = Core.Model.MacAddress.Normalize(m) }, m, host), m);
        }
        foreach (var n in Nid ?? []) Emit(new BootRequest { Nid = n }, n, host);
    }

    private void Emit(BootRequest request, object target, string host)
    {
        request.Host = host;
        request.RecordAccess = false;
        TryItem(() =>
        {
            request.Arch = BootArch.NormalizeOrNull(Arch);
            WriteObject(Explain ? Services.BootScripts.Explain(request) : Services.BootScripts.GetScript(request));
        }, target);
    }

    private string ServerHost()
    {
        var store = Services.Store;
        var server = ChamiServer.Running.FirstOrDefault(s => ReferenceEquals(s.Services.Store, store));
        return server is null ? $"127.0.0.1:{ChamiServerOptions.DefaultPort}" : new Uri(server.Url).Authority;
    }
}
