using System.Text.Json.Serialization;

namespace OpenChami.Core.Boot;

/// <summary>A kernel or initrd in the <c>?json=1</c> reply (spec/bss.md §5.7).</summary>
public sealed record BootPath([property: JsonPropertyName("path")] string Path);
