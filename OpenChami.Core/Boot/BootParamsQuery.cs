namespace OpenChami.Core.Boot;

/// <summary>What a <c>GET /bootparameters</c> or <c>Get-ChamiBootParams</c> asks for; empty = everything.</summary>
public sealed class BootParamsQuery
{
    public List<string> Names { get; } = [];
    public List<string> Macs { get; } = [];
    public List<long> Nids { get; } = [];
    public List<string> Groups { get; } = [];
    public string? Kernel { get; set; }
    public string? Initrd { get; set; }

    public bool HasIdentities => Names.Count + Macs.Count + Nids.Count + Groups.Count > 0;
}
