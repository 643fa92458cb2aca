using System.Text.Json.Serialization;

namespace OpenChami.Core.Http.Pcs;

/// <summary>Body of <c>GET/POST /power-status</c>.</summary>
public sealed class PowerStatusQuery
{
    [JsonPropertyName("xname")] public List<string>? Xname { get; set; }
    [JsonPropertyName("powerStateFilter")] public string? PowerStateFilter { get; set; }
    [JsonPropertyName("managementStateFilter")] public string? ManagementStateFilter { get; set; }
}
