using System.CommandLine;
using System.Globalization;
using CrmAnalytics.Core;
using CrmAnalytics.Core.Sampling;
using CrmAnalytics.IO.Sampling;

namespace CrmAnalytics.Cli.Sample;

/// <summary><c>crm sample</c>: writes a seeded synthetic export (read it with <c>--preset sample</c>).</summary>
internal static class SampleCommand
{
    public static Command Create(CliContext context)
    {
        var customers = new Option<int>("--customers") { Description = "Number of customers to simulate.", DefaultValueFactory = _ => 1000 };
        var seed = new Option<int>("--seed") { Description = "Random seed; the same seed gives the same file.", DefaultValueFactory = _ => 42 };
        var weeks = new Option<int>("--weeks") { Description = "Length of the export in weeks.", DefaultValueFactory = _ => 104 };
        var start = new Option<string>("--start") { Description = "First day of the export (yyyy-MM-dd).", DefaultValueFactory = _ => "2024-01-01" };
        var gzip = new Option<bool>("--gzip") { Description = "Write transactions.csv.gz instead of transactions.csv." };
        var output = new Option<DirectoryInfo>("--out") { Description = "Folder to write transactions.csv into.", Required = true };
        var command = new Command("sample", "Write a seeded synthetic transaction export: BG/NBD purchases, Gamma-Gamma order values, guests, cancellations.");
        foreach (var o in new Option[] { customers, seed, weeks, start, gzip, output })
        {
            command.Options.Add(o);
        }

        command.SetAction((parse, ct) => context.RunAsync(parse, log =>
        {
            if (!DateOnly.TryParseExact(parse.GetValue(start), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var startDate))
            {
                throw new ConfigurationException("--start must be a date in yyyy-MM-dd form.");
            }

            var options = new TransactionSimulatorOptions
            {
                Customers = parse.GetValue(customers),
                Seed = parse.GetValue(seed),
                Weeks = parse.GetValue(weeks),
                CohortWeeks = Math.Min(26, Math.Max(1, parse.GetValue(weeks))),
                Start = startDate,
            };
            var lines = TransactionSimulator.Generate(options);
            var dir = parse.GetValue(output)!;
            var name = parse.GetValue(gzip) ? "transactions.csv.gz" : "transactions.csv";
            var target = Path.Combine(dir.FullName, name);
            var temp = target + ".tmp";
            long count;
            try
            {
                Directory.CreateDirectory(dir.FullName);
                using (var file = File.Create(temp))
                {
                    Stream stream = parse.GetValue(gzip) ? new System.IO.Compression.GZipStream(file, System.IO.Compression.CompressionLevel.Fastest) : file;
                    using (stream)
                    {
                        count = SampleCsvWriter.Write(stream, lines);
                    }
                }

                File.Move(temp, target, overwrite: true);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                File.Delete(temp);
                throw new OutputException($"{target}: cannot be written ({ex.GetType().Name}).", ex);
            }

            log.Info("sample", string.Create(CultureInfo.InvariantCulture, $"wrote {count:N0} lines for {options.Customers:N0} customers to {target}"));
            context.Output.WriteLine(target);
            return ExitCodes.Ok;
        }));
        return command;
    }
}
