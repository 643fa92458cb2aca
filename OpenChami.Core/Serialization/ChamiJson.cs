using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace OpenChami.Core.Serialization;

/// <summary>
/// The one JSON configuration: HTTP handlers, exports and tests all use it.
/// Property names are matched case-insensitively on input (OpenCHAMI clients send
/// <c>force</c> and <c>Force</c>), written exactly as declared on output, and unset
/// (null) members are omitted, which is how the spec's "omit" columns are expressed.
/// </summary>
public static class ChamiJson
{
    public static JsonSerializerOptions Options { get; } = Create(indented: false);

    public static JsonSerializerOptions Indented { get; } = Create(indented: true);

    public static JsonSerializerOptions Create(bool indented)
    {
        var options = new JsonSerializerOptions { WriteIndented = indented };
        Apply(options);
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    /// <summary>Applies the settings to options owned by someone else (ASP.NET Core's HTTP JSON options).</summary>
    public static void Apply(JsonSerializerOptions options)
    {
        options.PropertyNameCaseInsensitive = true;
        options.PropertyNamingPolicy = null;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        // Boot scripts and URLs contain '&' and '+'; keep them readable in JSON.
        options.Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        options.NumberHandling = JsonNumberHandling.Strict;
        options.AllowTrailingCommas = false;
        options.Converters.Add(new JsonStringEnumConverter(namingPolicy: null, allowIntegerValues: false));
    }

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static T? Deserialize<T>(string json) => JsonSerializer.Deserialize<T>(json, Options);
}
