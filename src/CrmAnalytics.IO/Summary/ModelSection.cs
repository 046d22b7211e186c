using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace CrmAnalytics.IO.Summary;

/// <summary>
/// A model's section of summary.json (<c>clv</c>, <c>churn</c>): the fitted model's <see cref="Result"/>, or the
/// <see cref="Reason"/> it was skipped because the data are too small or too flat to fit it. The JSON is the result's
/// object with <c>"status": "fitted"</c> first, or <c>{"status": "skipped", "reason": …}</c>; a model that was not asked
/// for has no section (null).
/// </summary>
/// <typeparam name="T">The fitted section's record, e.g. <see cref="ClvSummary"/>.</typeparam>
public sealed record ModelSection<T>
    where T : class
{
    internal ModelSection(T? result, string? reason)
    {
        Result = result;
        Reason = reason;
    }

    /// <summary><see cref="ModelSection.Fitted"/> or <see cref="ModelSection.Skipped"/>.</summary>
    public string Status => Result is null ? ModelSection.Skipped : ModelSection.Fitted;

    /// <summary>The fitted model's section; null when it was skipped.</summary>
    public T? Result { get; }

    /// <summary>Why the model was skipped (the fit's message, never customer data); null when it was fitted.</summary>
    public string? Reason { get; }
}

/// <summary>Creates <see cref="ModelSection{T}"/> values.</summary>
public static class ModelSection
{
    /// <summary>The status of a model that ran and filled its columns.</summary>
    public const string Fitted = "fitted";

    /// <summary>The status of a model that could not be fitted on this data; its columns are null.</summary>
    public const string Skipped = "skipped";

    /// <summary>The section of a fitted model; null for a null <paramref name="result"/> (the model was off).</summary>
    public static ModelSection<T>? Of<T>(T? result)
        where T : class => result is null ? null : new ModelSection<T>(result, null);

    /// <summary>The section of a model skipped for <paramref name="reason"/>.</summary>
    public static ModelSection<T> Skip<T>(string reason)
        where T : class
    {
        ArgumentException.ThrowIfNullOrEmpty(reason);
        return new ModelSection<T>(null, reason);
    }
}

/// <summary>
/// Writes a <see cref="ModelSection{T}"/> as its result's properties after <c>"status"</c>, with the result's own contract
/// (money rounding included); reads a section without <c>"status"</c> (a summary.json written before it existed) as fitted.
/// </summary>
internal sealed class ModelSectionJsonConverter<T> : JsonConverter<ModelSection<T>>
    where T : class
{
    private const string StatusName = "status";
    private const string ReasonName = "reason";

    public override ModelSection<T> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException($"A model section must be an object, not {root.ValueKind}.");
        }

        if (root.TryGetProperty(StatusName, out var status) && status.ValueEquals(ModelSection.Skipped))
        {
            return ModelSection.Skip<T>(root.TryGetProperty(ReasonName, out var reason) ? reason.GetString() ?? "unknown" : "unknown");
        }

        return ModelSection.Of(root.Deserialize(Info(options))) ?? throw new JsonException("A fitted model section holds null.");
    }

    public override void Write(Utf8JsonWriter writer, ModelSection<T> value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteString(StatusName, value.Status);
        if (value.Result is { } result)
        {
            foreach (var property in JsonSerializer.SerializeToElement(result, Info(options)).EnumerateObject())
            {
                property.WriteTo(writer);
            }
        }
        else
        {
            writer.WriteString(ReasonName, value.Reason);
        }

        writer.WriteEndObject();
    }

    private static JsonTypeInfo<T> Info(JsonSerializerOptions options) => (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));
}
