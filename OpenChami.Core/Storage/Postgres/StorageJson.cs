using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using OpenChami.Core.Serialization;

namespace OpenChami.Core.Storage.Postgres;

/// <summary>
/// How documents are stored as jsonb: <see cref="ChamiJson.Options"/> (enums as strings, nulls omitted)
/// with three storage rules, so a document round-trips exactly as it does through LiteDB's mapper:
/// every public property is stored under its C# name (wire names like <c>meta-data</c> are an HTTP
/// concern, and the index expressions in <see cref="StoreSchema"/> use C# names), properties hidden
/// from the wire with <c>[JsonIgnore]</c> (secrets, internal fields) are stored too, and properties
/// with a non-public setter are restored. Times are stored in UTC.
/// </summary>
internal static class StorageJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(ChamiJson.Options)
        {
            WriteIndented = false,
            TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { StoreEveryProperty } },
        };
        options.Converters.Insert(0, new UtcDateTimeConverter());
        options.MakeReadOnly();
        return options;
    }

    public static string Serialize<T>(T document) => JsonSerializer.Serialize(document, Options);

    public static T Deserialize<T>(string json) =>
        JsonSerializer.Deserialize<T>(json, Options) ?? throw new JsonException($"a stored {typeof(T).Name} is null");

    /// <summary>The stored JSON text of a scalar value (an enum as its stored name, a number, a bool).</summary>
    public static JsonElement ToElement(object? value, Type type) => JsonSerializer.SerializeToElement(value, type, Options);

    private static void StoreEveryProperty(JsonTypeInfo typeInfo)
    {
        if (typeInfo.Kind != JsonTypeInfoKind.Object) return;
        // Members a collection doesn't store (a group's member list: its own documents) are not written.
        for (var i = typeInfo.Properties.Count - 1; i >= 0; i--)
        {
            if (typeInfo.Properties[i].AttributeProvider is PropertyInfo clr && !StoreSchema.IsStored(typeInfo.Type, clr.Name)) typeInfo.Properties.RemoveAt(i);
        }
        // Wire-hidden properties ([JsonIgnore]) are replaced by plain stored ones below.
        for (var i = typeInfo.Properties.Count - 1; i >= 0; i--)
        {
            if (typeInfo.Properties[i].AttributeProvider is PropertyInfo hidden && IsWireHidden(hidden)) typeInfo.Properties.RemoveAt(i);
        }
        foreach (var property in typeInfo.Properties)
        {
            if (property.AttributeProvider is not PropertyInfo clr) continue;
            property.Name = clr.Name;
            // A stored document without a null-valued required member must still load.
            property.IsRequired = false;
            // [JsonIgnore(Condition = ...)] (e.g. WhenWritingDefault) must not drop stored values either.
            property.ShouldSerialize = (_, value) => value is not null;
            if (property.Set is null && clr.SetMethod is { } setter) property.Set = (target, value) => setter.Invoke(target, [value]);
        }
        foreach (var clr in typeInfo.Type.GetProperties(BindingFlags.Instance | BindingFlags.Public))
        {
            if (!IsWireHidden(clr) || clr.GetIndexParameters().Length > 0 || clr.GetMethod is null || clr.SetMethod is null) continue;
            var property = typeInfo.CreateJsonPropertyInfo(clr.PropertyType, clr.Name);
            property.Get = target => clr.GetValue(target);
            property.Set = (target, value) => clr.SetValue(target, value);
            property.ShouldSerialize = (_, value) => value is not null;
            property.AttributeProvider = clr;
            typeInfo.Properties.Add(property);
        }
    }

    private static bool IsWireHidden(PropertyInfo property) =>
        property.GetCustomAttribute<JsonIgnoreAttribute>() is { Condition: JsonIgnoreCondition.Always };

    /// <summary>Round-trip ("O") format in UTC, the way LiteDB (UtcDate) hands times back.</summary>
    private sealed class UtcDateTimeConverter : JsonConverter<DateTime>
    {
        public override DateTime Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            DateTime.Parse(reader.GetString() ?? throw new JsonException("expected a time"), CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);

        public override void Write(Utf8JsonWriter writer, DateTime value, JsonSerializerOptions options) =>
            writer.WriteStringValue(ToText(value));

        public static string ToText(DateTime value) => ToUtc(value).ToString("O", CultureInfo.InvariantCulture);
    }

    public static DateTime ToUtc(DateTime value) => value.Kind switch
    {
        DateTimeKind.Utc => value,
        DateTimeKind.Local => value.ToUniversalTime(),
        _ => DateTime.SpecifyKind(value, DateTimeKind.Utc),
    };

    public static string TimeText(DateTime value) => UtcDateTimeConverter.ToText(value);
}
