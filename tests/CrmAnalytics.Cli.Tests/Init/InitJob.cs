using System.Globalization;
using System.Text.Json;
using CrmAnalytics.Cli.Tests.TestSupport;

namespace CrmAnalytics.Cli.Tests.Init;

/// <summary>Runs <c>crm init</c>, then proves the job it wrote: <c>crm run --check</c> passes and <c>crm validate</c> with the job's settings reads every row.</summary>
internal static class InitJob
{
    /// <summary>A run date after every test export, so that no constructed date is implausible.</summary>
    public static readonly DateOnly Today = new(2026, 1, 15);

    /// <summary>What the job's validation found.</summary>
    internal sealed record Validated(CliResult Init, string JobText, long RowsRead, long RowsAccepted, long RowsMalformed, decimal NetAmount);

    public static Validated InitAndValidate(string export, string job)
    {
        var init = Crm.RunOn(Today, "init", export, "--out", job);
        Assert.That(init.ExitCode, Is.EqualTo(0), init.ToString());
        var check = Crm.RunOn(Today, "run", "--check", job);
        Assert.That(check.ExitCode, Is.EqualTo(0), check.ToString());

        var validate = Crm.RunOn(Today, ["validate", .. ValidateArgs(job)]);
        Assert.That(validate.ExitCode, Is.EqualTo(0), validate.ToString());
        Assert.That(Line(validate.Output, "rows_malformed").Split(' ')[0], Is.EqualTo(Line(init.Output, "rows_malformed")), "init's own validation and crm validate agree");
        return new Validated(init, File.ReadAllText(job), long.Parse(Line(validate.Output, "rows_read"), CultureInfo.InvariantCulture),
            long.Parse(Line(validate.Output, "rows_accepted"), CultureInfo.InvariantCulture),
            long.Parse(Line(validate.Output, "rows_malformed").Split(' ')[0], CultureInfo.InvariantCulture),
            decimal.Parse(Line(init.Output, "net_amount"), CultureInfo.InvariantCulture));
    }

    /// <summary>The job's read settings as <c>crm validate</c> arguments: the export, then every key but <c>out</c> as an option.</summary>
    public static string[] ValidateArgs(string job)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(job), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var folder = Path.GetDirectoryName(job)!;
        var args = new List<string>();
        foreach (var property in document.RootElement.EnumerateObject())
        {
            switch (property.Name)
            {
                case "transactions":
                    args.Insert(0, Path.GetFullPath(property.Value.GetString()!, folder));
                    break;
                case "out":
                    break;
                default:
                    args.Add("--" + property.Name);
                    if (property.Value.ValueKind == JsonValueKind.String)
                    {
                        args.Add(property.Value.GetString()!);
                    }

                    break;
            }
        }

        return [.. args];
    }

    /// <summary>The value after <c>name:</c> on the first output line that has it.</summary>
    public static string Line(string output, string name)
    {
        var line = output.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith(name + ":", StringComparison.Ordinal));
        Assert.That(line, Is.Not.Null, $"no '{name}:' line in:\n{output}");
        return line![(name.Length + 1)..].Trim();
    }
}
