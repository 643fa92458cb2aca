namespace OpenChami.Core.Boot;

/// <summary>A boot-script request: the <c>/boot/v1/bootscript</c> query (spec/bss.md §5.1), normalized.</summary>
public sealed class BootRequest
{
    /// <summary>Normalized MAC of the booting NIC.</summary>
    public string? Mac { get; set; }

    /// <summary>Xname as given (normalized during resolution).</summary>
    public string? Name { get; set; }

    public long? Nid { get; set; }

    /// <summary>iPXE <c>${buildarch}</c>, normalized.</summary>
    public string? Arch { get; set; }

    public int Retry { get; set; }

    /// <summary>Unix seconds echoed in the unknown-path chain URL; null = now.</summary>
    public long? Ts { get; set; }

    /// <summary>Host (and port) the node used to reach us, for derived URLs.</summary>
    public string? Host { get; set; }

    /// <summary>False for previews (Get-ChamiBootScript): only real boots update endpoint-history.</summary>
    public bool RecordAccess { get; set; } = true;

    public bool HasSelector => Mac is not null || Name is not null || Nid is not null;
}
