using System.Text.Json.Serialization;

namespace OpenChami.Core.Boot;

/// <summary><c>?json=1</c> reply (spec/bss.md §5.7).</summary>
public sealed class BootScriptJson
{
    [JsonPropertyName("params")]
    public string Params { get; init; } = string.Empty;

    [JsonPropertyName("kernel")]
    public BootPath Kernel { get; init; } = new(string.Empty);

    [JsonPropertyName("initrd")]
    public BootPath? Initrd { get; init; }
}
