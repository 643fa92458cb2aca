namespace OpenChami.Core.Boot;

/// <summary>One identity's boot parameters before and after an edit.</summary>
public sealed class BootParamsChange
{
    public required BootIdentity Identity { get; init; }

    /// <summary>The identity's own entry before the change, or null when it had none.</summary>
    public BootParamsEntry? Old { get; init; }

    /// <summary>Where the old values came from when the identity had no entry of its own (a node inheriting Default...).</summary>
    public string? InheritedFrom { get; init; }

    /// <summary>What the edit started from: the own entry, else the inherited one, else null.</summary>
    public BootParamsEntry? Basis { get; init; }

    public required BootParamsEntry New { get; init; }

    /// <summary>
    /// Nodes this entry applies to whose boot parameters come from a more specific entry after the change
    /// (a MAC entry under a node-level one, Default under a group...). Filled by Apply, and by Preview when asked.
    /// </summary>
    public IReadOnlyList<BootParamsShadow> Shadows { get; internal set; } = [];

    public string OldKernel => Basis?.Kernel ?? string.Empty;
    public string OldParams => Basis?.Params ?? string.Empty;

    public override string ToString() => Identity.ToString();
}
