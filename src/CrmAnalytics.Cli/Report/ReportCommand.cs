using System.CommandLine;
using System.Globalization;
using CrmAnalytics.Core;
using CrmAnalytics.IO.Publishing;
using CrmAnalytics.IO.Report;

namespace CrmAnalytics.Cli.Report;

/// <summary><c>crm report DIR</c>: re-renders report.html from a previous output folder (summary.json and the customer table).</summary>
internal static class ReportCommand
{
    public static Option<string?> CurrencyOption() => new("--currency")
    {
        Description = "Currency symbol put before money amounts in report.html, e.g. € or $ (default: none; amounts are in the input currency).",
    };

    public static Command Create(CliContext context)
    {
        var directory = new Argument<DirectoryInfo>("dir") { Description = "A folder written by crm score (summary.json plus customers.parquet or customers.csv)." };
        var currency = CurrencyOption();
        var command = new Command("report", "Re-render report.html from a previous crm score output folder; the file is replaced atomically.");
        command.Arguments.Add(directory);
        command.Options.Add(currency);
        command.SetAction((parse, ct) => context.RunAsync(parse, async log =>
        {
            var dir = parse.GetValue(directory)!.FullName;
            if (!Directory.Exists(dir))
            {
                throw new InputException($"{dir}: no such folder.");
            }

            var data = await ReportInputs.ReadAsync(dir, ct).ConfigureAwait(false);
            var target = Path.Combine(dir, OutputFileNames.Report);
            var temp = Path.Combine(dir, $".{OutputFileNames.Report}.tmp-{Guid.NewGuid():N}");
            try
            {
                var html = new System.Text.UTF8Encoding(false).GetBytes(HtmlReport.Render(data, new ReportOptions { CurrencySymbol = parse.GetValue(currency) ?? string.Empty }));
                using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
                {
                    file.Write(html);
                    file.Flush(flushToDisk: true);
                }

                // One rename replaces the file: readers see the old report or the new one, never a partial file.
                File.Move(temp, target, overwrite: true);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new OutputException($"Cannot write '{target}': {ex.Message}", ex);
            }
            finally
            {
                File.Delete(temp);
            }

            log.Info("report", string.Create(CultureInfo.InvariantCulture, $"wrote {target} ({new FileInfo(target).Length:N0} bytes, {data.Customers.Count:N0} customers)"));
            return ExitCodes.Ok;
        }));
        return command;
    }
}
