using System.Management.Automation;
using OpenChami.Core.CloudInit;
using OpenChami.Core.Http;
using OpenChami.PowerShell.Completers;
using OpenChami.PowerShell.Infrastructure;

namespace OpenChami.PowerShell.Commands.CloudInit;

/// <summary>
/// Shows exactly what a node booted with its seed URL receives from the cloud-init server: its meta-data,
/// user-data and vendor-data (includes under the node's token), plus its signed seed URL (what BSS puts into <c>ds=nocloud-net;s=</c>). With -Explain, lists every
/// meta-data value and the layer it came from (built-in, cluster defaults, SMD, group, instance-info).
/// Like the node's first meta-data request, it assigns the node's instance-id if it has none yet.
/// </summary>
[Cmdlet(VerbsCommon.Get, "ChamiCloudInitData", DefaultParameterSetName = DataSet)]
[OutputType(typeof(CloudInitData), ParameterSetName = [DataSet])]
[OutputType(typeof(CloudInitValueSource), ParameterSetName = [ExplainSet])]
public sealed class GetChamiCloudInitDataCommand : ChamiCmdletBase
{
    private const string DataSet = "Data";
    private const string ExplainSet = "Explain";

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("ID")]
    [ArgumentCompleter(typeof(XnameCompleter))]
    public string Xname { get; set; } = string.Empty;

    /// <summary>Which documents; all three when omitted.</summary>
    [Parameter(ParameterSetName = DataSet)]
    public CloudInitDataKind[]? Kind { get; set; }

    /// <summary>List each meta-data value with its source layer.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ExplainSet)]
    public SwitchParameter Explain { get; set; }

    /// <summary>Server URL as nodes reach it (for the seed URL and default include base); default: the running server of this session, else http://127.0.0.1:8081.</summary>
    [Parameter]
    public string? BaseUrl { get; set; }

    protected override void ProcessRecord()
    {
        TryItem(() =>
        {
            if (Explain)
            {
                foreach (var source in Services.CloudInit.ExplainMetaData(Xname)) WriteObject(source);
                return;
            }
            var server = (BaseUrl ?? ChamiServer.Running.FirstOrDefault(s => ReferenceEquals(s.Services.Store, Services.Store))?.Url
                ?? $"http://127.0.0.1:{ChamiServerOptions.DefaultPort}").TrimEnd('/');
            if (server.EndsWith("/cloud-init", StringComparison.Ordinal)) server = server[..^"/cloud-init".Length];
            var seed = Services.CloudInitSeeds.SeedUrlFor(Xname, server);
            // The node boots with its seed URL from BSS, so its vendor-data includes stay under its token.
            var token = Services.CloudInitSeeds.TokenFor(Xname);
            foreach (var kind in Kind is { Length: > 0 } kinds ? kinds.Distinct() : Enum.GetValues<CloudInitDataKind>())
            {
                WriteObject(Services.CloudInit.Render(Xname, kind, server + "/cloud-init", seedSuffix: "/n/" + token, seedUrl: seed));
            }
        }, Xname);
    }
}
