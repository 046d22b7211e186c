using System.Reflection;
using System.Text.Json;
using Json.Schema;

namespace CrmAnalytics.Cli.Run;

/// <summary>
/// Checks a JSON document against one of the JSON Schemas published under <c>docs/schemas/</c> (JsonSchema.Net, draft
/// 2020-12) and reports every violation with its JSON path (<c>$.churn-horizon: …</c>), never the value itself.
/// </summary>
internal sealed class JsonSchemaCheck
{
    private readonly JsonSchema _schema;
    private readonly string _unknownKey;

    private JsonSchemaCheck(string schemaText, string unknownKey)
    {
        // Each check has its own registry, so that two schemas (or one loaded twice) never clash over an $id.
        _schema = JsonSchema.FromText(schemaText, new BuildOptions { SchemaRegistry = new SchemaRegistry() });
        _unknownKey = unknownKey;
    }

    /// <summary>The job file schema (<c>docs/schemas/job.schema.json</c>), embedded in crm.</summary>
    public static JsonSchemaCheck Job { get; } = FromResource("job.schema.json", "not an option of crm score (see 'crm score --help')");

    public static JsonSchemaCheck FromText(string schemaText) => new(schemaText, "not a property the schema allows");

    /// <summary>Every violation as "$.path: message", in document order; empty when the document is valid.</summary>
    public IReadOnlyList<string> Problems(JsonElement document)
    {
        var results = _schema.Evaluate(document, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (results.IsValid)
        {
            return [];
        }

        return (results.Details ?? [])
            .Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Values.Select(message => $"{Path(d.InstanceLocation.ToString())}: {(IsUnknownKey(d) ? _unknownKey : message)}"))
            .Distinct(StringComparer.Ordinal)
            .ToArray();
    }

    /// <summary>A key that <c>"additionalProperties": false</c> refuses (the library's message speaks of a "false schema").</summary>
    private static bool IsUnknownKey(EvaluationResults result) =>
        result.EvaluationPath.ToString().EndsWith("/additionalProperties", StringComparison.Ordinal);

    /// <summary>A JSON Pointer (<c>/inputs/0/path</c>) as a JSON path (<c>$.inputs[0].path</c>).</summary>
    internal static string Path(string pointer) =>
        "$" + string.Concat(pointer.Split('/', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal))
            .Select(p => p.All(char.IsAsciiDigit) ? $"[{p}]" : "." + p));

    private static JsonSchemaCheck FromResource(string name, string unknownKey)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The embedded schema {name} is missing.");
        using var reader = new StreamReader(stream);
        return new JsonSchemaCheck(reader.ReadToEnd(), unknownKey);
    }
}
