using System.Text.Json;
using CrmAnalytics.Cli.Run;
using CrmAnalytics.Tests.Shared;

namespace CrmAnalytics.Cli.Tests.TestSupport;

/// <summary>
/// Issue 14, machine-readable contracts: every summary.json and churn model.json that an in-process run publishes is
/// checked against <c>docs/schemas/</c>, so a field added to the code but not to the schema fails the test that made it.
/// </summary>
internal static class PublishedContracts
{
    private static readonly Lazy<JsonSchemaCheck> Summary = new(() => Load("summary.schema.json"));

    private static readonly Lazy<JsonSchemaCheck> Model = new(() => Load("model.schema.json"));

    /// <summary>Checks what a successful run published: <c>--out</c> (or the job file's "out"), its <c>latest</c>, and <c>--model-out</c>'s sidecar.</summary>
    public static void Check(string[] args, CliResult result)
    {
        if (result.ExitCode != 0)
        {
            return;
        }

        foreach (var folder in OutputFolders(args))
        {
            foreach (var summary in new[] { Path.Combine(folder, "summary.json"), Path.Combine(folder, "latest", "summary.json") }.Where(File.Exists))
            {
                Require(Summary.Value, summary);
            }
        }

        if (Value(args, "--model-out") is { } model && File.Exists(Path.ChangeExtension(model, ".json")))
        {
            Require(Model.Value, Path.ChangeExtension(model, ".json"));
        }
    }

    /// <summary>The problems of <paramref name="path"/> against <c>docs/schemas/summary.schema.json</c>.</summary>
    public static IReadOnlyList<string> SummaryProblems(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        return Summary.Value.Problems(document.RootElement);
    }

    private static void Require(JsonSchemaCheck schema, string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        var problems = schema.Problems(document.RootElement);
        Assert.That(problems, Is.Empty, $"{path} does not follow its schema in docs/schemas/");
    }

    private static IEnumerable<string> OutputFolders(string[] args)
    {
        if (Value(args, "--out") is { } outDir)
        {
            yield return outDir;
        }
        else if (args is ["run", ..] && args.Skip(1).FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal)) is { } job && File.Exists(job))
        {
            var errors = new List<string>();
            if (JobFile.Read(job, errors).LastOrDefault(e => e.Key == "out").Value is { } fromJob)
            {
                yield return fromJob;
            }
        }
    }

    private static string? Value(string[] args, string option)
    {
        var i = Array.LastIndexOf(args, option);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    private static JsonSchemaCheck Load(string name) =>
        JsonSchemaCheck.FromText(File.ReadAllText(Path.Combine(DatasetPaths.Repository, "docs", "schemas", name)));
}
