using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using CrmAnalytics.Core.Pipeline;
using CrmAnalytics.IO.CustomerTable;

namespace CrmAnalytics.IO.Summary;

/// <summary>
/// The money fields of <c>summary.json</c>, rounded to cents when written: sums of doubles such as 20893.57999999999
/// are written 20893.58. Probabilities, shares, rates, model parameters and counts keep full precision.
/// </summary>
/// <remarks>
/// Rounding is half away from zero to two decimals (<see cref="MidpointRounding.AwayFromZero"/>), as an invoice rounds;
/// −0 is written 0. The records keep full precision in memory, so report.html and drift compute on the exact values.
/// Keep this list and the README's "summary.json money fields" in step.
/// </remarks>
internal static class SummaryMoney
{
    /// <summary>The money properties by the record that declares them (CLR names).</summary>
    public static IReadOnlyDictionary<Type, string[]> Fields { get; } = new Dictionary<Type, string[]>
    {
        [typeof(SegmentSummary)] = [nameof(SegmentSummary.Revenue)],
        [typeof(LifecycleSummary)] = [nameof(LifecycleSummary.Revenue)],
        [typeof(CustomerKpis)] = [nameof(CustomerKpis.Revenue), nameof(CustomerKpis.AverageOrderValue), nameof(CustomerKpis.SimpleClv)],
        [typeof(ClvSummary)] = [nameof(ClvSummary.TotalClv), nameof(ClvSummary.MeanClv)],
        [typeof(ChurnSummary)] = [nameof(ChurnSummary.ExpectedValueAtRisk)],
    };

    /// <summary>The amount as written: rounded to cents, half away from zero, with −0 as 0.</summary>
    public static double ToCents(double amount)
    {
        var cents = CustomerCsvWriter.Round(amount, CsvRounding.Cents);
        return cents == 0 ? 0 : cents;
    }

    /// <summary>A contract modifier that writes the <see cref="Fields"/> of <paramref name="typeInfo"/> with <see cref="ToCents"/>.</summary>
    public static void RoundToCents(JsonTypeInfo typeInfo)
    {
        if (typeInfo.Kind != JsonTypeInfoKind.Object || !Fields.TryGetValue(typeInfo.Type, out var names))
        {
            return;
        }

        var naming = typeInfo.Options.PropertyNamingPolicy ?? throw new InvalidOperationException("summary.json names need a naming policy.");
        var jsonNames = names.Select(naming.ConvertName).ToHashSet(StringComparer.Ordinal);
        var found = 0;
        foreach (var property in typeInfo.Properties.Where(p => jsonNames.Contains(p.Name)))
        {
            property.CustomConverter = property.PropertyType == typeof(double) ? CentsConverter.Instance
                : property.PropertyType == typeof(double?) ? NullableCentsConverter.Instance
                : throw new InvalidOperationException($"Money field {typeInfo.Type.Name}.{property.Name} is not a double.");
            found++;
        }

        if (found != jsonNames.Count)
        {
            throw new InvalidOperationException($"A money field of {typeInfo.Type.Name} is not among its JSON properties.");
        }
    }

    private sealed class CentsConverter : JsonConverter<double>
    {
        public static readonly CentsConverter Instance = new();

        public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetDouble();

        public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options) =>
            writer.WriteNumberValue(ToCents(value));
    }

    private sealed class NullableCentsConverter : JsonConverter<double?>
    {
        public static readonly NullableCentsConverter Instance = new();

        public override bool HandleNull => true;

        public override double? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.Null ? null : reader.GetDouble();

        public override void Write(Utf8JsonWriter writer, double? value, JsonSerializerOptions options)
        {
            if (value is { } amount)
            {
                writer.WriteNumberValue(ToCents(amount));
            }
            else
            {
                writer.WriteNullValue();
            }
        }
    }
}
