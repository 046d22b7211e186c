using System.Text;
using System.Text.Json;
using CrmAnalytics.Core.Customers;
using CrmAnalytics.Core.Pipeline;
using CrmAnalytics.Core.Transactions;
using CrmAnalytics.IO.Summary;
using CrmAnalytics.IO.Tests.TestSupport;
using CrmAnalytics.Tests.Shared;

namespace CrmAnalytics.IO.Tests.Summary;

[TestFixture]
public sealed class RunSummaryWriterTests
{
    private static RowAccounting Accounting()
    {
        var accounting = new RowAccounting();
        for (var i = 0; i < 7; i++)
        {
            accounting.Accept();
        }

        accounting.Reject(RejectReason.ZeroAmount);
        accounting.Reject(RejectReason.UnparseableDate);
        accounting.Reject(RejectReason.MissingCustomerId);
        return accounting;
    }

    private static RunSummary Summary(IReadOnlyDictionary<string, long>? timings = null) => new()
    {
        ToolVersion = "0.1.0",
        CommandLine = ["score", "--input", "tx.csv", "--as-of", "2024-06-30"],
        StartedAtUtc = new DateTimeOffset(2024, 7, 1, 2, 0, 0, TimeSpan.Zero),
        FinishedAtUtc = new DateTimeOffset(2024, 7, 1, 2, 0, 5, TimeSpan.Zero),
        AsOf = new DateOnly(2024, 6, 30),
        Inputs = [InputSummary.From("tx.csv", "csv", new string('a', 64), 1234, Accounting())],
        Customers = new CustomerCountSummary(4, 1),
        Segments =
        [
            SegmentSummary.From(new SegmentStat("Can't Lose Them", "cant-lose-them", 1, 25.5, 0.25, 0.1)),
            SegmentSummary.From(new SegmentStat("Others", "others", 3, 229.5, 0.75, 0.9)),
        ],
        Lifecycle = [LifecycleSummary.From(new LifecycleStat(LifecycleStage.Occasional, 4, 255))],
        Kpis = new CustomerKpis(4, 2, 255, 0.5, null, 42.5, 1.5, 0.25, 0.6, null),
        Parameters = new Dictionary<string, JsonElement>
        {
            ["rfm"] = JsonSerializer.SerializeToElement(5),
            ["lifecycle"] = JsonDocument.Parse("""{"inactive_days":180,"active_orders":2}""").RootElement.Clone(),
        },
        TimingsMs = timings ?? new Dictionary<string, long> { ["read"] = 1200, ["rfm"] = 30 },
        Outputs = ["customers.csv", "segments/others.csv"],
        ExitCode = 0,
    };

    private static JsonElement Parse(RunSummary summary)
    {
        using var document = JsonDocument.Parse(RunSummaryWriter.ToJson(summary));
        return document.RootElement.Clone();
    }

    private static string[] Names(JsonElement element) => element.EnumerateObject().Select(p => p.Name).ToArray();

    [Test]
    public void Warm_FromManyThreadsThenWrite_SameJson()
    {
        // A run warms the contracts on a thread of its own while it may already write: warming must resolve every type
        // of the summary's graph (a type the context cannot describe throws here) and leave the JSON as it was.
        var before = RunSummaryWriter.ToJson(Summary());
        Parallel.For(0, 4, _ => RunSummaryWriter.Warm());

        Assert.That(RunSummaryWriter.ToJson(Summary()), Is.EqualTo(before));
    }

    [Test]
    public void ToJson_FullSummary_HasSnakeCaseTopLevelPropertiesInOrder()
    {
        var root = Parse(Summary());

        Assert.That(Names(root), Is.EqualTo(new[]
        {
            "tool_version", "command_line", "started_at_utc", "finished_at_utc", "as_of", "job_file", "inputs", "customers", "segments",
            "lifecycle", "kpis", "clv", "churn", "nps", "drift", "parameters", "timings_ms", "peak_working_set_bytes", "peak_working_set_bytes_by_stage", "outputs", "exit_code",
        }));
    }

    [Test]
    public void ToJson_FullSummary_WritesScalarsAndDates()
    {
        var root = Parse(Summary());

        using (Assert.EnterMultipleScope())
        {
            Assert.That(root.GetProperty("tool_version").GetString(), Is.EqualTo("0.1.0"));
            Assert.That(root.GetProperty("command_line").EnumerateArray().Select(e => e.GetString()),
                Is.EqualTo(new[] { "score", "--input", "tx.csv", "--as-of", "2024-06-30" }));
            Assert.That(root.GetProperty("as_of").GetString(), Is.EqualTo("2024-06-30"));
            Assert.That(root.GetProperty("started_at_utc").GetString(), Is.EqualTo("2024-07-01T02:00:00+00:00"));
            Assert.That(root.GetProperty("customers").GetProperty("count").GetInt64(), Is.EqualTo(4));
            Assert.That(root.GetProperty("customers").GetProperty("without_purchases").GetInt64(), Is.EqualTo(1));
            Assert.That(root.GetProperty("outputs").EnumerateArray().Select(e => e.GetString()),
                Is.EqualTo(new[] { "customers.csv", "segments/others.csv" }));
            Assert.That(root.GetProperty("exit_code").GetInt32(), Is.Zero);
        }
    }

    [Test]
    public void ToJson_InputFromRowAccounting_HasCountsRateAndSortedReasons()
    {
        var input = Parse(Summary()).GetProperty("inputs")[0];

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Names(input), Is.EqualTo(new[]
            {
                "path", "format", "sha256", "size_bytes", "rows_read", "rows_accepted", "rows_rejected", "rows_malformed",
                "malformed_rate", "rejects_by_reason",
            }));
            Assert.That(input.GetProperty("path").GetString(), Is.EqualTo("tx.csv"));
            Assert.That(input.GetProperty("size_bytes").GetInt64(), Is.EqualTo(1234));
            Assert.That(input.GetProperty("rows_read").GetInt64(), Is.EqualTo(10));
            Assert.That(input.GetProperty("rows_accepted").GetInt64(), Is.EqualTo(7));
            Assert.That(input.GetProperty("rows_rejected").GetInt64(), Is.EqualTo(3));
            Assert.That(input.GetProperty("rows_malformed").GetInt64(), Is.EqualTo(1));
            Assert.That(input.GetProperty("malformed_rate").GetDouble(), Is.EqualTo(0.1));
            Assert.That(input.GetProperty("rejects_by_reason").EnumerateObject().Select(p => (p.Name, p.Value.GetInt64())),
                Is.EqualTo(new[] { ("missing_customer_id", 1L), ("unparseable_date", 1L), ("zero_amount", 1L) }));
        }
    }

    [Test]
    public void ToJson_SegmentsLifecycleAndKpis_UseSnakeCaseAndKeepNulls()
    {
        var root = Parse(Summary());
        var segment = root.GetProperty("segments")[0];
        var stage = root.GetProperty("lifecycle")[0];
        var kpis = root.GetProperty("kpis");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Names(segment), Is.EqualTo(new[] { "name", "slug", "customers", "revenue", "customer_share", "revenue_share" }));
            Assert.That(segment.GetProperty("name").GetString(), Is.EqualTo("Can't Lose Them"));
            Assert.That(segment.GetProperty("revenue").GetDouble(), Is.EqualTo(25.5));
            Assert.That(Names(stage), Is.EqualTo(new[] { "stage", "customers", "revenue" }));
            Assert.That(stage.GetProperty("stage").GetString(), Is.EqualTo("occasional"));
            Assert.That(Names(kpis), Is.EqualTo(new[]
            {
                "customers", "repeat_customers", "revenue", "repurchase_rate", "retention_rate", "average_order_value",
                "purchase_frequency", "top_tier_share_of_customers", "top_tier_revenue_share", "simple_clv",
                "prior_year_customers", "retained_customers",
            }));
            Assert.That(kpis.GetProperty("retention_rate").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(kpis.GetProperty("average_order_value").GetDouble(), Is.EqualTo(42.5));
        }
    }

    [Test]
    public void ToJson_ParametersAndTimings_AreWrittenWithKeysInOrdinalOrder()
    {
        var root = Parse(Summary(new Dictionary<string, long> { ["write"] = 3, ["clv"] = 2, ["read"] = 1 }));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Names(root.GetProperty("parameters")), Is.EqualTo(new[] { "lifecycle", "rfm" }));
            Assert.That(root.GetProperty("parameters").GetProperty("lifecycle").GetProperty("inactive_days").GetInt32(), Is.EqualTo(180));
            Assert.That(root.GetProperty("parameters").GetProperty("rfm").GetInt32(), Is.EqualTo(5));
            Assert.That(root.GetProperty("timings_ms").EnumerateObject().Select(p => (p.Name, p.Value.GetInt64())),
                Is.EqualTo(new[] { ("clv", 2L), ("read", 1L), ("write", 3L) }));
        }
    }

    [Test]
    public void ToJson_SameContentBuiltInAnotherOrder_IsIdentical()
    {
        var a = RunSummaryWriter.ToJson(Summary(new Dictionary<string, long> { ["read"] = 1, ["rfm"] = 2 }));
        var b = RunSummaryWriter.ToJson(Summary(new Dictionary<string, long> { ["rfm"] = 2, ["read"] = 1 }));

        Assert.That(b, Is.EqualTo(a));
    }

    [Test]
    public void ToJson_Text_IsIndentedWithLfAndUnescapedApostrophe()
    {
        var json = RunSummaryWriter.ToJson(Summary());

        using (Assert.EnterMultipleScope())
        {
            Assert.That(json, Does.StartWith("{\n  \"tool_version\": \"0.1.0\",\n"));
            Assert.That(json, Does.EndWith("}\n"));
            Assert.That(json, Does.Not.Contain('\r'));
            Assert.That(json, Does.Contain("\"Can't Lose Them\""));
        }
    }

    [Test]
    public void Read_WrittenSummary_RoundTripsToTheSameText()
    {
        var json = RunSummaryWriter.ToJson(Summary());

        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(json));
        var read = RunSummaryWriter.Read(stream);

        Assert.That(RunSummaryWriter.ToJson(read), Is.EqualTo(json));
    }

    [Test]
    public void WriteFile_Summary_WritesUtf8WithoutBomEqualToToJson()
    {
        using var temp = new TempFolder();
        var path = temp.Combine("summary.json");

        RunSummaryWriter.WriteFile(path, Summary());

        var bytes = File.ReadAllBytes(path);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(bytes[0], Is.EqualTo((byte)'{'));
            Assert.That(Encoding.UTF8.GetString(bytes), Is.EqualTo(RunSummaryWriter.ToJson(Summary())));
        }
    }

    [Test]
    public void ToJson_MoneyFields_AreRoundedToCentsAndOtherNumbersKeepFullPrecision()
    {
        var fit = new ModelFitSummary("bgnbd", new Dictionary<string, double> { ["r"] = 0.242594150135163 },
            new Dictionary<string, double?> { ["r"] = 0.0125560412 }, -9582.429206674, 31, "bfgs", "converged", 2357, 1, 0, 12);
        var summary = Summary() with
        {
            Segments = [new SegmentSummary("Others", "others", 3, 20893.57999999999, 0.3333333333333333, 0.123456789)],
            Lifecycle = [new LifecycleSummary("occasional", 4, 0.005)],
            Kpis = new CustomerKpis(4, 2, 20893.57999999999, 0.5, null, 42.504999, 1.5, 0.25, 0.6, -0.001),
            Clv = ModelSection.Of(new ClvSummary("bgnbd", 7, fit, fit, 0, 12, 0.01, 1, 123456.78901, 52.385, 0.6187214611872146, 10.333333333333334, 5)),
        };

        var json = RunSummaryWriter.ToJson(summary);
        var root = Parse(summary);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(json, Does.Not.Contain("20893.57999999999").And.Contain("\"revenue\": 20893.58,"));
            Assert.That(root.GetProperty("segments")[0].GetProperty("revenue").GetRawText(), Is.EqualTo("20893.58"));
            Assert.That(root.GetProperty("segments")[0].GetProperty("customer_share").GetRawText(), Is.EqualTo("0.3333333333333333"));
            Assert.That(root.GetProperty("segments")[0].GetProperty("revenue_share").GetRawText(), Is.EqualTo("0.123456789"));
            Assert.That(root.GetProperty("lifecycle")[0].GetProperty("revenue").GetRawText(), Is.EqualTo("0.01"), "half away from zero");
            var kpis = root.GetProperty("kpis");
            Assert.That(kpis.GetProperty("revenue").GetRawText(), Is.EqualTo("20893.58"));
            Assert.That(kpis.GetProperty("average_order_value").GetRawText(), Is.EqualTo("42.5"));
            Assert.That(kpis.GetProperty("simple_clv").GetRawText(), Is.EqualTo("0"), "-0.001 is written 0, not -0");
            Assert.That(kpis.GetProperty("retention_rate").ValueKind, Is.EqualTo(JsonValueKind.Null));
            var clv = root.GetProperty("clv");
            Assert.That(clv.GetProperty("total_clv").GetRawText(), Is.EqualTo("123456.79"));
            Assert.That(clv.GetProperty("mean_clv").GetRawText(), Is.EqualTo("52.39"));
            Assert.That(clv.GetProperty("mean_probability_alive").GetRawText(), Is.EqualTo("0.6187214611872146"));
            Assert.That(clv.GetProperty("expected_purchases_365d_total").GetRawText(), Is.EqualTo("10.333333333333334"));
            Assert.That(clv.GetProperty("purchase").GetProperty("parameters").GetProperty("r").GetRawText(), Is.EqualTo("0.242594150135163"));
            Assert.That(clv.GetProperty("purchase").GetProperty("log_likelihood").GetRawText(), Is.EqualTo("-9582.429206674"));
        }
    }

    [Test]
    public void ToJson_SkippedModels_WriteStatusAndReasonOnlyAndReadBack()
    {
        var summary = Summary() with { Clv = ModelSection.Skip<ClvSummary>("gammagamma: no customers to fit"), Churn = ModelSection.Skip<ChurnSummary>("no churners") };

        var json = RunSummaryWriter.ToJson(summary);
        var root = Parse(summary);
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(json));
        var read = RunSummaryWriter.Read(stream);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Names(root.GetProperty("clv")), Is.EqualTo(new[] { "status", "reason" }));
            Assert.That(root.GetProperty("clv").GetProperty("status").GetString(), Is.EqualTo("skipped"));
            Assert.That(root.GetProperty("churn").GetProperty("reason").GetString(), Is.EqualTo("no churners"));
            Assert.That(read.Clv, Is.EqualTo(summary.Clv));
            Assert.That(RunSummaryWriter.ToJson(read), Is.EqualTo(json));
        }
    }

    [Test]
    public void Read_ClvSectionWithoutStatus_IsFittedAndWrittenWithStatusFirst()
    {
        // A summary.json written before sections had a status (the previous run that drift and crm report read).
        var fit = new ModelFitSummary("bgnbd", new Dictionary<string, double> { ["r"] = 0.25 }, new Dictionary<string, double?> { ["r"] = null }, -10, 3, "bfgs", "converged", 5, 2, 0, 1);
        var fitted = Summary() with { Clv = ModelSection.Of(new ClvSummary("bgnbd", 7, fit, fit, 0, 12, 0.01, 1, 10, 2, 0.5, 3, 1)) };
        var node = System.Text.Json.Nodes.JsonNode.Parse(RunSummaryWriter.ToJson(fitted))!;
        Assert.That(node["clv"]!.AsObject().Remove("status"), Is.True);
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(node.ToJsonString()));

        var read = RunSummaryWriter.Read(stream);

        Assert.That(read.Clv?.Status, Is.EqualTo("fitted"));
        Assert.That(read.Clv?.Result?.HorizonMonths, Is.EqualTo(12));
        Assert.That(Names(Parse(read).GetProperty("clv"))[..2], Is.EqualTo(new[] { "status", "model" }));
    }

    [Test]
    public void ToJson_NullMoneyField_IsWrittenNull()
    {
        var summary = Summary() with { Kpis = new CustomerKpis(4, 2, 255, 0.5, null, 42.5, 1.5, 0.25, 0.6, null) };

        Assert.That(Parse(summary).GetProperty("kpis").GetProperty("simple_clv").ValueKind, Is.EqualTo(JsonValueKind.Null));
    }

    [Test]
    public void Readme_MoneySection_NamesEveryMoneyField()
    {
        var readme = File.ReadAllText(Path.Combine(DatasetPaths.Repository, "README.md"));
        var start = readme.IndexOf("The money fields are:", StringComparison.Ordinal);
        Assert.That(start, Is.GreaterThan(0));
        var sentence = readme[start..readme.IndexOf("Every other number", start, StringComparison.Ordinal)];
        var listed = System.Text.RegularExpressions.Regex.Matches(sentence, @"`[a-z]+(?:\[\])?\.([a-z_0-9]+)`").Select(m => m.Groups[1].Value);

        var fields = SummaryMoney.Fields.Values.SelectMany(f => f).Select(JsonNamingPolicy.SnakeCaseLower.ConvertName);

        Assert.That(listed.Distinct().Order(), Is.EqualTo(fields.Distinct().Order()));
    }

    [Test]
    public void ToJson_NaNShare_Throws()
    {
        var summary = Summary() with { Segments = [new SegmentSummary("Others", "others", 0, 0, double.NaN, double.NaN)] };

        Assert.Throws<ArgumentException>(() => RunSummaryWriter.ToJson(summary));
    }

    [Test]
    public void ForFile_AbcFile_HashesAndMeasuresIt()
    {
        using var temp = new TempFolder();
        var path = temp.Combine("abc.csv");
        File.WriteAllText(path, "abc");

        var input = InputSummary.ForFile(path, "csv", Accounting());

        using (Assert.EnterMultipleScope())
        {
            Assert.That(input.Sha256, Is.EqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
            Assert.That(input.SizeBytes, Is.EqualTo(3));
            Assert.That(input.RowsRead, Is.EqualTo(10));
        }
    }
}
