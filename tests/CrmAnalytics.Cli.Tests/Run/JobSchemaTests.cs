using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using CrmAnalytics.Cli.Run;
using CrmAnalytics.Cli.Score;
using CrmAnalytics.Cli.Tests.TestSupport;
using CrmAnalytics.Tests.Shared;

namespace CrmAnalytics.Cli.Tests.Run;

/// <summary>Issue 14, machine-readable contracts: docs/schemas/job.schema.json is crm score's options, and crm run checks files against it.</summary>
[TestFixture]
public sealed class JobSchemaTests
{
    private static string SchemaPath => Path.Combine(DatasetPaths.Repository, "docs", "schemas", "job.schema.json");

    /// <summary>
    /// The schema's properties are "transactions" and every option of crm score, each with the JSON types its value may
    /// take. <c>CRM_UPDATE_SCHEMA=1</c> rewrites the file from the options.
    /// </summary>
    [Test]
    public void JobSchema_Properties_AreTheScoreOptionsWithTheirTypes()
    {
        var expected = ExpectedSchema();
        if (Environment.GetEnvironmentVariable("CRM_UPDATE_SCHEMA") == "1")
        {
            File.WriteAllText(SchemaPath, expected.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n");
        }

        var actual = JsonNode.Parse(File.ReadAllText(SchemaPath))!;

        Assert.That(Types(actual), Is.EqualTo(Types(expected)), "run with CRM_UPDATE_SCHEMA=1 to regenerate docs/schemas/job.schema.json");
    }

    [Test]
    public void JobSchema_SampleJob_IsValid()
    {
        var job = JsonDocument.Parse(File.ReadAllText(Path.Combine(DatasetPaths.Repository, "samples", "job.json")),
            new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });

        Assert.That(JsonSchemaCheck.Job.Problems(job.RootElement), Is.Empty);
    }

    [Test]
    public void Check_ValuesOfTheWrongJsonType_AreReportedWithTheirJsonPathsAndExitTwo()
    {
        using var temp = new TempFolder();
        var job = temp.Write("job.json", $$"""
            { "transactions": {{JsonSerializer.Serialize(Crm.SampleTransactions)}}, "preset": "sample", "out": "out",
              "no-header": "yes", "csv-dialect": "tsv", "keep": true, "currency": ["€"] }
            """);

        var run = Crm.Run("run", "--check", job);

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Error, Does.Contain("$.no-header: ").And.Contain("$.csv-dialect: ").And.Contain("$.keep: ").And.Contain("$.currency: "));
        Assert.That(Directory.Exists(temp["out"]), Is.False);
    }

    [Test]
    public void SummarySchema_SkippedSectionWithAnExtraKey_IsAProblem()
    {
        // The schema is strict enough to fail: a skipped section carries only its status and reason.
        using var temp = new TempFolder();
        var run = Crm.Run("score", temp.Write("one.csv", "customer_id,date,amount\na,2024-01-02,10\n"), "--out", temp["out"]);
        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        var path = Path.Combine(temp["out"], "summary.json");
        var summary = JsonNode.Parse(File.ReadAllText(path))!;
        summary["clv"]!["total_clv"] = 0;
        File.WriteAllText(path, summary.ToJsonString());

        Assert.That(PublishedContracts.SummaryProblems(path), Has.Some.StartsWith("$.clv"));
    }

    [TestCase("/inputs/0/path", "$.inputs[0].path")]
    [TestCase("", "$")]
    [TestCase("/a~1b/c~0d", "$.a/b.c~d")]
    public void Path_JsonPointer_IsAJsonPath(string pointer, string path) => Assert.That(JsonSchemaCheck.Path(pointer), Is.EqualTo(path));

    private static Dictionary<string, string> Types(JsonNode schema) =>
        schema["properties"]!.AsObject().ToDictionary(p => p.Key, p => p.Value!["type"]!.ToJsonString() + p.Value["enum"]?.ToJsonString(), StringComparer.Ordinal);

    private static JsonObject ExpectedSchema()
    {
        var score = new Command("score");
        new ScoreCommandOptions(churnModelRequired: false).AddTo(score);
        var properties = new JsonObject
        {
            ["transactions"] = new JsonObject { ["type"] = "string", ["description"] = "The export to score (required, here or as --transactions on the command line); relative to the job file's folder." },
        };
        foreach (var option in score.Options.OrderBy(o => o.Name, StringComparer.Ordinal))
        {
            var type = Nullable.GetUnderlyingType(option.ValueType) ?? option.ValueType;
            var property = new JsonObject();
            JsonArray types = type == typeof(bool) ? ["boolean", "null"]
                : type == typeof(int) || type == typeof(long) ? ["integer", "string", "null"]
                : type == typeof(double) ? ["number", "string", "null"]
                : ["string", "number", "null"];
            property["type"] = types;
            if (type.IsEnum)
            {
                property["type"] = new JsonArray("string", "null");
                // System.CommandLine parses enum names ignoring case; the README writes them in lowercase.
                var names = Enum.GetNames(type).SelectMany(n => new[] { n.ToLowerInvariant(), n }).Distinct(StringComparer.Ordinal);
                property["enum"] = new JsonArray([.. names.Select(n => (JsonNode?)JsonValue.Create(n)), null]);
            }

            property["description"] = option.Description;
            properties[option.Name.TrimStart('-')] = property;
        }

        return new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$id"] = "https://crmanalytics.example/schemas/job.schema.json",
            ["title"] = "crm run job file",
            ["description"] = "A job file for 'crm run': \"transactions\" and crm score's options without their dashes. A string or number is the option's value, true sets a flag, false and null leave the option out. Comments and trailing commas are allowed (JSONC).",
            ["type"] = "object",
            ["additionalProperties"] = false,
            ["properties"] = properties,
        };
    }
}
