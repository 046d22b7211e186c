using System.Diagnostics;
using System.Globalization;
using CrmAnalytics.IO.Summary;
using CrmAnalytics.Stages.Input;
using CrmAnalytics.Stages.Logging;
using CrmAnalytics.Stages.Score;
using CrmAnalytics.Core.Pipeline;
using CrmAnalytics.IO.Input;
using CrmAnalytics.IO.Input.Surveys;

namespace CrmAnalytics.Stages.Nps;

/// <summary>The survey settings of a scoring run (<c>crm score --surveys</c>).</summary>
public sealed record NpsJobOptions(string Surveys, SurveyReadOptions Read, int MinResponses);

/// <summary>Reading a survey export, enforcing the reject threshold, and joining responses to the customer table.</summary>
public static class NpsStage
{
    /// <summary>Reads a survey export, logging its row accounting; returns the result and the read's wall time.</summary>
    public static async Task<(SurveyReadResult Result, long Milliseconds)> ReadAsync(
        string path, SurveyReadOptions options, IRejectSink rejects, RunLog log, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        log.Info("surveys", $"reading {Path.GetFileName(path)}");
        var result = await SurveyReader.ReadAsync(path, options, rejects, ct).ConfigureAwait(false);
        InputAccounting.Log(log, "surveys", result.Accounting, watch.ElapsedMilliseconds);
        if (result.FieldsDecodedWithFallback > 0)
        {
            log.Detail("surveys", string.Create(CultureInfo.InvariantCulture,
                $"{result.FieldsDecodedWithFallback:N0} text fields were not UTF-8 and were decoded as {options.FallbackEncoding}"));
        }

        if (result.Accounting.RowsAccepted == 0)
        {
            log.Warn("surveys", $"{Path.GetFileName(path)}: no accepted responses");
        }

        return (result, watch.ElapsedMilliseconds);
    }

    /// <exception cref="Core.RejectThresholdException">Malformed survey rows exceed the threshold.</exception>
    public static void Check(SurveyReadResult result, double maxRejectRate, RunLog log) =>
        InputAccounting.CheckRejectRate(Path.GetFileName(result.Path), result.Accounting, maxRejectRate, log);

    /// <summary>The format summary.json records for the survey file, e.g. <c>csv+gzip</c>.</summary>
    public static string FormatName(SurveyReadResult result) =>
        result.Format.ToString().ToLowerInvariant() + (result.Compressed ? "+gzip" : string.Empty);

    /// <summary>Sets each customer's latest response and builds the nps section.</summary>
    internal static (ScoredCustomers Customers, NpsSummary Summary) Join(
        SurveyReadResult surveys, InputSummary input, ScoredCustomers customers, int minResponses, IReadOnlyList<string> segmentOrder, RunLog log)
    {
        var latest = Core.Nps.NpsAnalysis.LatestByCustomer(surveys.Responses);
        var joined = customers.WithNps(customers.Summaries.Select(c => latest.GetValueOrDefault(c.CustomerId)).ToArray());
        var summary = NpsSummary.ForRun(surveys, input, minResponses, joined, segmentOrder);
        log.Info("nps", string.Create(CultureInfo.InvariantCulture,
            $"NPS {summary.Overall.Nps:F1} ± {summary.Overall.MarginOfError:F1} on {summary.Overall.Responses:N0} responses; {summary.CustomersWithResponse:N0} customers joined, {summary.ResponsesUnmatched:N0} responses without a customer in the table"));
        return (joined, summary);
    }
}
