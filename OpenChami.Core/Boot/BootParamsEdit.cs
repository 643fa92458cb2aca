namespace OpenChami.Core.Boot;

/// <summary>A field-level edit of boot parameters (Set-ChamiBootParams): null fields keep their value.</summary>
public sealed class BootParamsEdit
{
    public string? Kernel { get; set; }
    public string? Initrd { get; set; }

    /// <summary>Replaces the whole command line.</summary>
    public string? Params { get; set; }

    /// <summary>Kernel arguments to add; an argument <c>key=value</c> replaces any existing <c>key=...</c>.</summary>
    public List<string> AddParams { get; } = [];

    /// <summary>Kernel arguments to remove: <c>key</c> removes <c>key</c> and every <c>key=...</c>; <c>key=value</c> only that exact token.</summary>
    public List<string> RemoveParams { get; } = [];

    public bool IsEmpty => Kernel is null && Initrd is null && Params is null && AddParams.Count == 0 && RemoveParams.Count == 0;
}
