using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cipo.Evaluation.Reports;

/// <summary>
/// Writes NaN as <c>null</c> (what most JSON readers, jq and pandas included, take as "missing") and ±∞ as the strings
/// <c>"Infinity"</c> / <c>"-Infinity"</c>; reads those back, and also the named literal <c>"NaN"</c>.
/// </summary>
internal sealed class NonFiniteDoubleConverter : JsonConverter<double>
{
    public override bool HandleNull => true;

    public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.Null => double.NaN,
        JsonTokenType.Number => reader.GetDouble(),
        JsonTokenType.String => reader.GetString() switch
        {
            "NaN" => double.NaN,
            "Infinity" => double.PositiveInfinity,
            "-Infinity" => double.NegativeInfinity,
            string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) => v,
            string s => throw new JsonException($"'{s}' is not a number."),
            null => double.NaN,
        },
        _ => throw new JsonException($"Expected a number, null or a named number, found {reader.TokenType}."),
    };

    public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options)
    {
        if (double.IsNaN(value))
        {
            writer.WriteNullValue();
        }
        else if (double.IsInfinity(value))
        {
            writer.WriteStringValue(value > 0 ? "Infinity" : "-Infinity");
        }
        else
        {
            writer.WriteNumberValue(value);
        }
    }
}
