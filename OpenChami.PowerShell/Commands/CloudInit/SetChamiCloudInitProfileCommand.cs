using System.Management.Automation;
using OpenChami.Core.MetadataService;
using OpenChami.PowerShell.Completers;
using OpenChami.PowerShell.Infrastructure;

namespace OpenChami.PowerShell.Commands.CloudInit;

/// <summary>
/// Creates a cloud-init profile or changes the given parts of an existing one (parameters you omit keep their stored
/// value). The same record as metadata-service <c>/profiles</c>: while it has not expired it applies to every member
/// of -Group, its meta-data (over its parent's) merged over the group's and its template replacing the group's.
/// </summary>
[Cmdlet(VerbsCommon.Set, "ChamiCloudInitProfile", SupportsShouldProcess = true, DefaultParameterSetName = ExpiresAtSet)]
[OutputType(typeof(CloudInitProfileInfo))]
public sealed class SetChamiCloudInitProfileCommand : ChamiCmdletBase
{
    private const string ExpiresAtSet = "ExpiresAt";
    private const string ValidForSet = "ValidFor";
    private const string NoExpirySet = "NoExpiry";

    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(CloudInitProfileCompleter))]
    public string Name { get; set; } = string.Empty;

    /// <summary>The group whose members the profile applies to (required for a new profile).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(CloudInitGroupCompleter))]
    public string? Group { get; set; }

    /// <summary>A profile whose meta-data and template this one extends; empty removes the parent.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [AllowEmptyString]
    [ArgumentCompleter(typeof(CloudInitProfileCompleter))]
    public string? Parent { get; set; }

    /// <summary>The cloud-config served instead of the group's; Jinja templates may use only what meta-data defines.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [AllowEmptyString]
    public string? Template { get; set; }

    /// <summary>Meta-data merged over the group's: a hashtable, object or JSON object text. Replaces the stored meta-data.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public object? MetaData { get; set; }

    /// <summary>When the profile stops applying.</summary>
    [Parameter(ParameterSetName = ExpiresAtSet, ValueFromPipelineByPropertyName = true)]
    public DateTime? ExpiresAt { get; set; }

    /// <summary>How long from now the profile applies (stored as ttl_seconds).</summary>
    [Parameter(Mandatory = true, ParameterSetName = ValidForSet)]
    public TimeSpan ValidFor { get; set; }

    /// <summary>Clear the expiry: the profile applies until removed.</summary>
    [Parameter(Mandatory = true, ParameterSetName = NoExpirySet)]
    public SwitchParameter NoExpiry { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        System.Text.Json.Nodes.JsonObject? meta = null;
        var bound = MyInvocation.BoundParameters;
        if (bound.ContainsKey(nameof(MetaData)) && !JsonObjectConverter.TryToJsonObject(MetaData, nameof(MetaData), ex => WriteChamiError(ex, Name), out meta)) return;
        if (!ShouldProcess(Name, "Set cloud-init profile")) return;
        TryItem(() =>
        {
            var profile = Services.Metadata.Profiles.SetProfile(Name, spec =>
            {
                if (bound.ContainsKey(nameof(Group))) spec.Group = Group;
                if (bound.ContainsKey(nameof(Parent))) spec.Parent = string.IsNullOrEmpty(Parent) ? null : Parent;
                if (bound.ContainsKey(nameof(Template))) spec.Template = string.IsNullOrEmpty(Template) ? null : Template;
                if (bound.ContainsKey(nameof(MetaData))) spec.MetaData = meta;
                if (bound.ContainsKey(nameof(ExpiresAt)))
                {
                    spec.ExpiresAt = ExpiresAt is { } at ? new DateTimeOffset(at.ToUniversalTime()) : null;
                    spec.TtlSeconds = null;
                }
                if (ParameterSetName == ValidForSet)
                {
                    spec.ExpiresAt = null;
                    spec.TtlSeconds = (long)Math.Ceiling(ValidFor.TotalSeconds);
                }
                else if (NoExpiry)
                {
                    spec.ExpiresAt = null;
                    spec.TtlSeconds = null;
                }
                else if (spec.TtlSeconds is not null && !bound.ContainsKey(nameof(ExpiresAt)))
                {
                    // A stored ttl counts from the write that set it: keep that moment, don't restart it.
                    spec.TtlSeconds = null;
                }
            }, out _);
            if (PassThru) WriteObject(profile);
        }, Name);
    }
}
