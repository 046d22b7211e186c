using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using CrmAnalytics.Core;
using CrmAnalytics.IO.Publishing;

namespace CrmAnalytics.IO.Summary;

/// <summary>
/// Writes <see cref="RunSummary"/> as <c>summary.json</c>: UTF-8 without BOM, indented with two spaces, "\n" line ends,
/// snake_case property names in declaration order, numbers in the invariant form JSON requires (doubles as the shortest
/// text that round-trips; money fields rounded to cents, <see cref="SummaryMoney"/>), dates as yyyy-MM-dd, nulls written
/// (not omitted) so every run has the same shape.
/// </summary>
/// <remarks>
/// Serialization uses a System.Text.Json source-generated context, so it needs no runtime reflection (trim and AOT
/// safe). Non-ASCII text is written as is, not \u-escaped. A NaN or infinite number is an error, never written.
/// </remarks>
public static class RunSummaryWriter
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        IndentSize = 2,
        NewLine = "\n",
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        NumberHandling = JsonNumberHandling.Strict,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        TypeInfoResolver = RunSummaryJsonContext.Default.WithAddedModifier(SummaryMoney.RoundToCents),
    };

    private static readonly JsonTypeInfo<RunSummary> SummaryInfo = (JsonTypeInfo<RunSummary>)Options.GetTypeInfo(typeof(RunSummary));

    private static readonly JsonTypeInfo<NpsSummary> NpsInfo = (JsonTypeInfo<NpsSummary>)Options.GetTypeInfo(typeof(NpsSummary));

    /// <summary>
    /// Resolves the contract of every type a summary holds, as the first summary written would: a run calls it on a
    /// thread of its own at its start, so the summary written at its end does not spend that time while everything waits
    /// for it (about 0.2 s of one core with tiered compilation off, on small runs and large alike).
    /// </summary>
    public static void Warm()
    {
        var seen = new HashSet<Type>();
        var pending = new Stack<Type>([typeof(RunSummary), typeof(NpsSummary)]);
        while (pending.TryPop(out var type))
        {
            if (!seen.Add(type))
            {
                continue;
            }

            var info = Options.GetTypeInfo(type);
            foreach (var property in info.Properties)
            {
                pending.Push(property.PropertyType);
            }

            if (info.ElementType is { } element)
            {
                pending.Push(element);
            }

            if (info.KeyType is { } key)
            {
                pending.Push(key);
            }
        }
    }

    /// <summary>Writes the JSON and a final newline to <paramref name="destination"/>, which stays open.</summary>
    public static void Write(Stream destination, RunSummary summary)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(summary);
        JsonSerializer.Serialize(destination, summary, SummaryInfo);
        destination.WriteByte((byte)'\n');
        destination.Flush();
    }

    /// <summary>Creates (or replaces) the file at <paramref name="path"/> with the summary.</summary>
    /// <exception cref="OutputException">The file cannot be created or written.</exception>
    public static void WriteFile(string path, RunSummary summary)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(summary);
        OutputFiles.Write(path, stream => Write(stream, summary));
    }

    /// <summary>The JSON text, with its final newline.</summary>
    public static string ToJson(RunSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        return JsonSerializer.Serialize(summary, SummaryInfo) + "\n";
    }

    /// <summary>The JSON of an NPS section on its own (<c>crm nps --json</c>), same conventions, with its final newline.</summary>
    public static string ToJson(NpsSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        return JsonSerializer.Serialize(summary, NpsInfo) + "\n";
    }

    /// <summary>Reads a summary written by this writer, e.g. the previous run's, to compare with.</summary>
    /// <exception cref="JsonException">The text is not a valid summary.</exception>
    public static RunSummary Read(Stream source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return JsonSerializer.Deserialize(source, SummaryInfo)
            ?? throw new JsonException("summary.json holds null.");
    }
}

[JsonSerializable(typeof(RunSummary))]
[JsonSerializable(typeof(NpsSummary))]
[JsonSerializable(typeof(ClvSummary))]
[JsonSerializable(typeof(ChurnSummary))]
internal sealed partial class RunSummaryJsonContext : JsonSerializerContext;
