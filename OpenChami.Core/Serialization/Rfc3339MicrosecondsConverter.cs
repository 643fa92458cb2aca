using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace OpenChami.Core.Serialization;

/// <summary>SMD timestamps: RFC 3339 UTC with exactly six fractional digits (<c>2025-03-01T10:20:30.123456Z</c>).</summary>
public sealed class Rfc3339MicrosecondsConverter : JsonConverter<DateTime>
{
    public const string Format = "yyyy-MM-ddTHH:mm:ss.ffffffZ";

    public override DateTime Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        DateTime.Parse(reader.GetString() ?? throw new JsonException("expected an RFC 3339 timestamp"),
            CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);

    public override void Write(Utf8JsonWriter writer, DateTime value, JsonSerializerOptions options) =>
        writer.WriteStringValue(ToText(value));

    public static string ToText(DateTime value) =>
        (value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : value).ToString(Format, CultureInfo.InvariantCulture);
}
