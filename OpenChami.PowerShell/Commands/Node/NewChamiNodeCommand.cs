using System.Management.Automation;
using OpenChami.Core.Inventory;
using OpenChami.Core.Model;
using OpenChami.PowerShell.Completers;
using OpenChami.PowerShell.Infrastructure;
using CoreNode = OpenChami.Core.Model.Node;

namespace OpenChami.PowerShell.Commands.Node;

/// <summary>
/// Registers a node: its Node component, NICs (MAC and IP addresses) and group memberships, in one
/// transaction per node. Binds CSV columns by name, so <c>Import-Csv nodes.csv | New-ChamiNode</c> works.
/// </summary>
[Cmdlet(VerbsCommon.New, "ChamiNode", SupportsShouldProcess = true)]
[OutputType(typeof(CoreNode))]
public sealed class NewChamiNodeCommand : ChamiCmdletBase
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("ID")]
    public string Xname { get; set; } = string.Empty;

    /// <summary>Node ID (an integer); computed from the xname when omitted.</summary>
    // Strings, not typed: see PipelineValues (a CSV cell that doesn't convert must be an error, not a default).
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? Nid { get; set; }

    /// <summary>MAC addresses of the node's NICs (a CSV cell may hold several separated by ',' or ';').</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("MAC")]
    public string[]? MacAddress { get; set; }

    /// <summary>IP addresses: all on the first NIC when one MAC is given, else one per NIC by position.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("IP")]
    public string[]? IPAddress { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? Role { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? SubRole { get; set; }

    /// <summary>X86, ARM, Other, UNKNOWN.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(EnumCompleter<HmsArch>))]
    public string? Arch { get; set; }

    /// <summary>HMS state (On when omitted).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(EnumCompleter<HmsState>))]
    public string? State { get; set; }

    /// <summary>true or false (true when omitted).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(EnumCompleter<BooleanValue>))]
    public string? Enabled { get; set; }

    /// <summary>Groups to join; missing groups are created.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("Groups")]
    [ArgumentCompleter(typeof(GroupCompleter))]
    public string[]? Group { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? Description { get; set; }

    protected override void ProcessRecord()
    {
        TryItem(() =>
        {
            var request = new NewNodeRequest
            {
                Xname = Xname,
                Nid = PipelineValues.Nid(Nid),
                MacAddress = PipelineValues.SplitList(MacAddress).ToList(),
                IPAddress = PipelineValues.SplitList(IPAddress).ToList(),
                Role = string.IsNullOrWhiteSpace(Role) ? null : Role,
                SubRole = string.IsNullOrWhiteSpace(SubRole) ? null : SubRole,
                Arch = PipelineValues.Enum<HmsArch>(Arch, "arch"),
                State = PipelineValues.Enum<HmsState>(State, "state"),
                Enabled = PipelineValues.Boolean(Enabled, "Enabled"),
                Group = PipelineValues.SplitList(Group).ToList(),
                Description = Description,
            };
            // Validate before asking, so -WhatIf reports bad rows too.
            var prepared = NodeService.Prepare(request);
            var macs = prepared.Interfaces.Count == 0 ? "no NIC" : string.Join(", ", prepared.Interfaces.Select(i => i.MACAddress));
            if (ShouldProcess($"{prepared.Component.ID} (NID {prepared.Component.NID}, {macs})", "Create node"))
            {
                WriteObject(Services.Nodes.Create(request));
            }
        }, Xname);
    }
}
