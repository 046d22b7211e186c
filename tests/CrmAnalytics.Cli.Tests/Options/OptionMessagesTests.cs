using CrmAnalytics.Cli.Options;
using CrmAnalytics.Cli.Tests.TestSupport;
using CrmAnalytics.Core;
using CrmAnalytics.Core.Clv.Covariates;
using CrmAnalytics.Core.Clv.Scoring;
using CrmAnalytics.IO.CustomerTable;
using CrmAnalytics.IO.Engines;
using CrmAnalytics.IO.Input;
using CrmAnalytics.IO.Input.Surveys;
using CrmAnalytics.Stages.Models;
using CrmAnalytics.Tests.Shared;

namespace CrmAnalytics.Cli.Tests.Options;

/// <summary>Issue 17 items 14 and 20: option errors in the user's words, with exit 2 before any data is read.</summary>
[TestFixture]
public sealed class OptionMessagesTests
{
    private TempFolder _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempFolder();

    [TearDown]
    public void TearDown() => _temp.Dispose();

    [TestCase("--keep", "1.5", "--keep: '1.5' is not a whole number.")]
    [TestCase("--top-share", "x", "--top-share: 'x' is not a number")]
    [TestCase("--zero-amount", "Drop", "--zero-amount: 'Drop' is not one of Reject, Purchase.")]
    public void Score_ValueOfTheWrongType_NamesTheKindOfValueNotTheDotNetType(string option, string value, string expected)
    {
        var run = Crm.Run("score", Crm.SampleTransactions, "--out", _temp["out"], option, value);

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Error, Does.Contain(expected));
        Assert.That(run.Error, Does.Not.Contain("System.").And.Not.Contain("`1"));
    }

    [TestCase("--top-share", "2", "--top-share must be between 0 and 1")]
    [TestCase("--margin", "0", "--margin must be greater than 0")]
    [TestCase("--active-window-days", "45", "--active-window-days must be one of")]
    public void Score_OutOfRangeValue_NamesTheOptionNotTheProperty(string option, string value, string expected)
    {
        var run = Crm.Run("score", Crm.SampleTransactions, "--preset", "sample", "--out", _temp["out"], option, value);

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Error, Does.Contain(expected));
        Assert.That(run.Error, Does.Not.Contain("TopShare").And.Not.Contain("Margin must").And.Not.Contain("ActiveWindowDays"));
    }

    [TestCase("Infinity")]
    [TestCase("NaN")]
    [TestCase("-0.1")]
    public void Score_FailOnDriftNotAFinitePositivePsi_ExitsTwo(string limit)
    {
        var run = Crm.Run("score", Crm.SampleTransactions, "--preset", "sample", "--out", _temp["out"], "--fail-on-drift", limit);

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Error, Does.Contain("--fail-on-drift must be a positive, finite PSI"));
        Assert.That(Directory.Exists(_temp["out"]), Is.False);
    }

    [Test]
    public void Score_EveryChurnSettingOutOfRange_ListsEachByItsOptionNeverBySetting()
    {
        string[] training = ["--churn-trees", "0", "--churn-leaves", "1", "--churn-learning-rate", "2", "--churn-active-days", "0", "--churn-train-max-rows", "-1"];
        var shares = Crm.Run(["score", Crm.SampleTransactions, "--preset", "sample", "--out", _temp["out"], .. training, "--churn-high-share", "0.9"]);
        var thresholds = Crm.Run("score", Crm.SampleTransactions, "--preset", "sample", "--out", _temp["out"], "--churn-high", "0.3");

        Assert.Multiple(() =>
        {
            Assert.That((shares.ExitCode, thresholds.ExitCode), Is.EqualTo((2, 2)), shares + Environment.NewLine + thresholds);
            Assert.That(shares.Error.ReplaceLineEndings("\n"), Does.Contain(string.Join("\n", [
                "--churn-trees must be at least 1.",
                "--churn-leaves must be at least 2.",
                "--churn-learning-rate must be in (0, 1].",
                "--churn-train-max-rows must be 0 (no sampling) or more.",
                "--churn-active-days must be at least 1.",
                "--churn-high-share (0.9) and --churn-medium-share (0.2) must satisfy 0 < high, 0 ≤ medium, high + medium ≤ 1."])));
            Assert.That(thresholds.Error, Does.Contain("--churn-medium and --churn-high must satisfy 0 < medium < high ≤ 1."));
            Assert.That(shares.Error + thresholds.Error, Does.Not.Contain("Options.").And.Not.Contain("ChurnRiskThresholds"));
        });
    }

    [TestCase("ChurnTrainingOptions.Trees must be at least 1.", "--churn-trees must be at least 1.")]
    [TestCase("TopShare must be between 0 and 1 (got 2)", "--top-share must be between 0 and 1 (got 2)")]
    [TestCase("a.csv: 2 problem(s):\n  ChurnRiskThresholds.Medium and ChurnRiskThresholds.High must satisfy", "a.csv: 2 problem(s):\n  --churn-medium and --churn-high must satisfy")]
    [TestCase("--segment-columns: 'TopShare' is not a column of this run", "--segment-columns: 'TopShare' is not a column of this run")]
    [TestCase("Cannot read '/data/Margin' to hash it", "Cannot read '/data/Margin' to hash it")]
    [TestCase("ChurnTrainingOptions.Seed and Margins stay", "ChurnTrainingOptions.Seed and Margins stay")]
    public void WithOptionNames_Message_MapsOnlyKnownSettingsStandingAlone(string message, string expected) =>
        Assert.That(OptionMessages.WithOptionNames(message), Is.EqualTo(expected));

    /// <summary>
    /// Issue 16: the library names settings (PostgresOptions.SourceTable, ColumnMapping, …); mapped, each message reads
    /// exactly as crm printed it when the library named the flag.
    /// </summary>
    [Test]
    public void WithOptionNames_LibrarySettingMessages_ReadAsCrmPrintedThem()
    {
        var shard = new List<string>();
        ShardSpec.Parse("4/4", shard);
        string[] messages =
        [
            .. new PostgresOptions { SourceTable = "sales", SourceQuery = "SELECT 1", ConnectionVariable = " " }.Validate(),
            .. new PostgresOptions { SourceTable = "sales", ConnectionVariable = "CRM_PG_SURELY_UNSET" }.Validate(),
            .. new ClvScoringOptions { Model = ClvScoringOptions.Auto, Covariates = new CovariateOptions { Purchase = ["age", "age"], Dropout = [""], Penalizer = -1 } }.Validate(),
            .. SegmentColumns.Validate([], CustomerColumns.All),
            .. SegmentColumns.Validate(["customer_id", "customer_id"], CustomerColumns.All),
            Assert.Throws<ConfigurationException>(() => TransactionPresets.Generic.Mapping.With("customer_id,shop=store"))!.Message,
            Assert.Throws<ConfigurationException>(() => new SurveyColumnMapping().With("amount=x"))!.Message,
            .. shard,
        ];

        Assert.That(messages.Select(OptionMessages.WithOptionNames).SelectMany(m => m.Split(Environment.NewLine)), Is.EqualTo(new[]
        {
            "--engine postgres reads either --source-table or --source-query: give exactly one.",
            "--pg-connection-env must name an environment variable.",
            "--engine postgres: the environment variable CRM_PG_SURELY_UNSET (--pg-connection-env) is not set; it holds the connection string, e.g. Host=db;Database=shop;Username=crm.",
            "--clv-covariate-penalizer must be a finite number ≥ 0.",
            "--clv-covariates names a column twice.",
            "--clv-covariates-dropout has an empty column name.",
            "CLV covariates need --clv-model bgnbd or paretonbd (got auto): the model must be named, so that a nightly run does not depend on auto's pick.",
            "--segment-columns needs at least one column name, or 'all'.",
            "--segment-columns: 'customer_id' is named twice.",
            "--map entry 'customer_id' is not key=column.",
            "--map key 'shop' is unknown; use one of customer_id, date, amount, quantity, unit_price, order_id.",
            "--survey-map key 'amount' is unknown; use one of customer_id, score, date, comment, channel.",
            "--shard '4/4' must be i/n with 0 ≤ i < n, e.g. 0/4 … 3/4.",
        }));
    }

    /// <summary>Issue 16: a library setting's message reaches the user of crm with the flag, through the one mapping.</summary>
    [TestCase(new[] { "--map", "customer_id" }, "--map entry 'customer_id' is not key=column.")]
    [TestCase(new[] { "--clv-covariate-penalizer", "-1" }, "--clv-covariate-penalizer must be a finite number ≥ 0.")]
    [TestCase(new[] { "--segment-columns", "nope" }, "--segment-columns: 'nope' is not a column of this run")]
    [TestCase(new[] { "--engine", "duckdb", "--duckdb-memory-limit", "lots" }, "--duckdb-memory-limit 'lots' is not accepted by DuckDB")]
    public void Score_LibrarySettingOutOfRange_NamesTheFlag(string[] options, string expected)
    {
        var run = Crm.Run(["score", Crm.SampleTransactions, "--preset", "sample", "--out", _temp["out"], .. options]);

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Error, Does.Contain(expected));
        Assert.That(run.Error, Does.Not.Contain("Options.").And.Not.Contain("ColumnMapping").And.Not.Contain("SegmentColumns"));
    }

    /// <summary>
    /// A bad survey mapping names the flag the user typed in the command that ran: <c>--map</c> in <c>crm nps</c>, whose
    /// only input is the survey file, and <c>--survey-map</c> beside a transaction export (where <c>--map</c> maps that).
    /// </summary>
    [TestCase("--map", "nps", "{surveys}")]
    [TestCase("--survey-map", "score", "{tx}", "--preset", "sample", "--out", "{out}", "--surveys", "{surveys}")]
    [TestCase("--survey-map", "fit", "{tx}", "--preset", "sample", "--out", "{out}", "--surveys", "{surveys}")]
    [TestCase("--survey-map", "churn", "train", "{tx}", "--preset", "sample", "--model-out", "{out}", "--surveys", "{surveys}")]
    [TestCase("--survey-map", "churn", "evaluate", "{tx}", "--preset", "sample", "--out", "{out}", "--surveys", "{surveys}")]
    [TestCase("--survey-map", "churn", "score", "{tx}", "--preset", "sample", "--churn-model", "{out}", "--out", "{out}", "--surveys", "{surveys}")]
    [TestCase("--survey-map", "validate", "{tx}", "--preset", "sample", "--surveys", "{surveys}")]
    public void Run_UnknownSurveyMappingKey_NamesTheCommandsSurveyMapFlag(string flag, params string[] command)
    {
        var surveys = Path.Combine(DatasetPaths.Repository, "samples", "surveys.csv");
        string[] args = [.. command.Select(a => a.Replace("{tx}", Crm.SampleTransactions, StringComparison.Ordinal)
            .Replace("{surveys}", surveys, StringComparison.Ordinal).Replace("{out}", _temp["out"], StringComparison.Ordinal)), flag, "amount=x"];

        var run = Crm.Run(args);

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Error, Does.Contain($"{flag} key 'amount' is unknown; use one of customer_id, score, date, comment, channel."));
        Assert.That(run.Error, Does.Not.Contain("ColumnMapping"));
    }

    [Test]
    public void Score_EnginePostgresWithoutTableOrQuery_NamesTheFlags()
    {
        var run = Crm.Run("score", "--engine", "postgres", "--pg-connection-env", "PATH", "--out", _temp["out"]);

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Error, Does.Contain("--engine postgres reads either --source-table or --source-query: give exactly one."));
    }
}
