using System.Management.Automation;
using OpenChami.Core.CloudInit;
using OpenChami.Core.Errors;
using OpenChami.PowerShell.Completers;
using OpenChami.PowerShell.Infrastructure;

namespace OpenChami.PowerShell.Commands.CloudInit;

/// <summary>
/// Creates a cloud-init group or changes the given parts of an existing one (parameters you omit keep
/// their stored value). The cloud-config (-UserData or -UserDataPath) is stored verbatim: Jinja templates
/// (<c>## template: jinja</c>) are passed through untouched and rendered by cloud-init on the node.
/// </summary>
[Cmdlet(VerbsCommon.Set, "ChamiCloudInitGroup", SupportsShouldProcess = true, DefaultParameterSetName = ContentSet)]
[OutputType(typeof(CloudInitGroup))]
public sealed class SetChamiCloudInitGroupCommand : ChamiCmdletBase
{
    private const string ContentSet = "Content";
    private const string PathSet = "Path";

    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(CloudInitGroupCompleter))]
    public string Name { get; set; } = string.Empty;

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? Description { get; set; }

    /// <summary>The group's cloud-config text (e.g. starting with <c>#cloud-config</c> or <c>## template: jinja</c>).</summary>
    [Parameter(ParameterSetName = ContentSet, ValueFromPipelineByPropertyName = true)]
    [AllowEmptyString]
    [Alias("Template")]
    public string? UserData { get; set; }

    /// <summary>The OS version the group's template is written for (metadata-service <c>osVersion</c>, kept in <c>versions.osVersion</c>); empty removes it.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [AllowEmptyString]
    public string? OsVersion { get; set; }

    /// <summary>Read the cloud-config from this file (bytes kept as they are).</summary>
    [Parameter(Mandatory = true, ParameterSetName = PathSet)]
    [Alias("Path")]
    public string? UserDataPath { get; set; }

    /// <summary>Meta-data exposed to templates as <c>vendor_data.groups.&lt;name&gt;</c>: a hashtable, object or JSON object text. Replaces the stored meta-data.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public object? MetaData { get; set; }

    /// <summary>Store the content base64-encoded (served decoded); for binary-safe transport of odd bytes.</summary>
    [Parameter]
    public SwitchParameter Base64 { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        string? content = UserData;
        if (ParameterSetName == PathSet)
        {
            var path = GetUnresolvedProviderPathFromPSPath(UserDataPath!);
            if (!File.Exists(path))
            {
                WriteChamiError(ChamiException.NotFound("UserDataFileNotFound", $"cloud-config file '{path}' does not exist", path), path);
                return;
            }
            content = File.ReadAllText(path);
        }
        System.Text.Json.Nodes.JsonObject? meta = null;
        if (MyInvocation.BoundParameters.ContainsKey(nameof(MetaData)) && !JsonObjectConverter.TryToJsonObject(MetaData, nameof(MetaData), ex => WriteChamiError(ex, Name), out meta)) return;
        if (!ShouldProcess(Name, "Set cloud-init group")) return;
        TryItem(() =>
        {
            var group = Services.CloudInit.UpdateGroup(Name, g =>
            {
                if (MyInvocation.BoundParameters.ContainsKey(nameof(Description))) g.Description = Description;
                if (MyInvocation.BoundParameters.ContainsKey(nameof(MetaData))) g.MetaData = meta;
                if (MyInvocation.BoundParameters.ContainsKey(nameof(OsVersion))) g.Versions = Core.MetadataService.GroupResourceService.WithOsVersion(g.Versions, OsVersion);
                if (content is not null)
                {
                    g.File = new CloudInitFile
                    {
                        Content = Base64 ? Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(content)) : content,
                        Encoding = Base64 ? CloudInitEncodings.Base64 : CloudInitEncodings.Plain,
                        Filename = ParameterSetName == PathSet ? Path.GetFileName(UserDataPath!) : g.File?.Filename ?? string.Empty,
                    };
                }
            }, out _);
            if (PassThru) WriteObject(group);
        }, Name);
    }
}
