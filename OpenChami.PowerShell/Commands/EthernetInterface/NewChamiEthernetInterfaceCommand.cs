using System.Management.Automation;
using OpenChami.Core.Inventory;
using OpenChami.Core.Model;
using OpenChami.PowerShell.Completers;
using OpenChami.PowerShell.Infrastructure;
using CoreEthernetInterface = OpenChami.Core.Model.EthernetInterface;

namespace OpenChami.PowerShell.Commands.EthernetInterface;

/// <summary>
/// Registers a NIC: its MAC, the component it belongs to and its IP addresses. An existing MAC is a
/// <c>DuplicateMacAddress</c> error (as SMD's 409). Binds CSV columns by name.
/// </summary>
[Cmdlet(VerbsCommon.New, "ChamiEthernetInterface", SupportsShouldProcess = true)]
[OutputType(typeof(CoreEthernetInterface))]
public sealed class NewChamiEthernetInterfaceCommand : ChamiCmdletBase
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("MAC")]
    public string MacAddress { get; set; } = string.Empty;

    /// <summary>The component the NIC belongs to (need not exist yet).</summary>
    [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
    [Alias("ComponentID")]
    [ArgumentCompleter(typeof(XnameCompleter))]
    public string? Xname { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("IP")]
    public string[]? IPAddress { get; set; }

    /// <summary>Network name given to every address of this NIC (e.g. management).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? Network { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? Description { get; set; }

    protected override void ProcessRecord()
    {
        TryItem(() =>
        {
            var input = new CoreEthernetInterface
            {
                MACAddress = MacAddress,
                ComponentID = Xname ?? string.Empty,
                Description = Description ?? string.Empty,
                IPAddresses = PipelineValues.SplitList(IPAddress).Select(ip => new IPAddressMapping { IPAddress = ip, Network = Network }).ToList(),
            };
            // Validate first, so -WhatIf reports bad input too.
            var prepared = EthernetInterfaceService.Prepare(input);
            var owner = prepared.ComponentID.Length > 0 ? $" for {prepared.ComponentID}" : string.Empty;
            if (ShouldProcess($"{prepared.MACAddress}{owner}", "Create ethernet interface"))
            {
                WriteObject(Services.EthernetInterfaces.Create(input));
            }
        }, MacAddress);
    }
}
