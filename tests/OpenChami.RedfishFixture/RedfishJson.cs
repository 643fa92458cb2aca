using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OpenChami.RedfishFixture;

/// <summary>JSON settings shared by the simulator: compact output, characters not needlessly escaped.</summary>
internal static class RedfishJson
{
    // Relaxed escaping keeps '+', '<', '\'' etc. as they were in the mockup; responses are never embedded in HTML.
    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static readonly JsonSerializerOptions SerializerOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static byte[] ToUtf8(JsonNode? node)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            if (node is null)
            {
                writer.WriteNullValue();
            }
            else
            {
                node.WriteTo(writer);
            }
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads a string property without throwing on other JSON kinds (mockups are not always tidy).</summary>
    public static string? GetString(JsonNode? node, string property) =>
        node is JsonObject obj && obj.TryGetPropertyValue(property, out var value) &&
        value is JsonValue v && v.TryGetValue<string>(out var s)
            ? s
            : null;
}
