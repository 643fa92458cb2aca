namespace OpenChami.Core.Boot;

/// <summary>The exact script a node receives, and where it came from (Get-ChamiBootScript, <c>/bootscript</c>).</summary>
public sealed class BootScript
{
    public string? Node { get; init; }
    public string? MacAddress { get; init; }
    public long? Nid { get; init; }
    public string? Arch { get; init; }

    /// <summary>False when the node got the unknown-node answer (sleep-and-chain or its <c>Unknown-&lt;arch&gt;</c> image).</summary>
    public bool Known { get; init; }

    /// <summary>Entry the script was built from (<c>host:...</c>, <c>mac:...</c>, <c>nid:...</c>, <c>group:...</c>, <c>tag:Compute</c>, <c>tag:Default</c>, <c>tag:Unknown-x86_64</c>), or <c>none</c>.</summary>
    public string Source { get; init; } = "none";

    public string? Kernel { get; init; }
    public string? Initrd { get; init; }

    /// <summary>The kernel command line as built (§5.5).</summary>
    public string? CommandLine { get; init; }

    public string Script { get; init; } = string.Empty;

    public override string ToString() => Script;
}
