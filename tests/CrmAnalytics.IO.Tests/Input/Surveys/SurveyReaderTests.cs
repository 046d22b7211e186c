using System.Text;
using CrmAnalytics.Core;
using CrmAnalytics.Core.Nps;
using CrmAnalytics.Core.Transactions;
using CrmAnalytics.IO.Input.Surveys;
using CrmAnalytics.Tests.Shared;

namespace CrmAnalytics.IO.Tests.Input.Surveys;

[TestFixture]
public sealed class SurveyReaderTests
{
    private ReaderTestFiles _files = null!;

    [SetUp]
    public void SetUp() => _files = new ReaderTestFiles();

    [TearDown]
    public void TearDown() => _files.Dispose();

    private async Task<(SurveyReadResult Result, CollectingRejectSink Sink)> Read(byte[] content, SurveyReadOptions? options = null, string name = "s.csv")
    {
        var path = _files.WriteBytes(name, content);
        var sink = new CollectingRejectSink();
        return (await SurveyReader.ReadAsync(path, options ?? SurveyPresets.Generic, sink), sink);
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    [Test]
    public async Task Read_BadScores_RejectedWithReasonNeverClamped()
    {
        var csv = "customer_id,score,comment\n" +
                  "a,10,\n" +      // line 2 ok
                  "b,11,\n" +      // 3 out of range
                  "c,-1,\n" +      // 4 out of range
                  "d,7.5,\n" +     // 5 not an integer
                  "e,,\n" +        // 6 missing
                  "f,NA,\n" +      // 7 missing (R's NA)
                  "g,seven,\n" +   // 8 not a number
                  ",9,\n" +        // 9 no customer id
                  "h,0,\n";        // 10 ok
        var (result, sink) = await Read(Utf8(csv));

        Assert.That(result.Responses.Select(r => (r.CustomerId, r.Score)), Is.EqualTo(new[] { ("a", 10), ("h", 0) }));
        Assert.That(sink.Rejects.Select(r => (r.Line, r.Column, r.Reason)), Is.EqualTo(new[]
        {
            (3L, "score", RejectReason.ScoreOutOfRange),
            (4L, "score", RejectReason.ScoreOutOfRange),
            (5L, "score", RejectReason.NonIntegerScore),
            (6L, "score", RejectReason.MissingScore),
            (7L, "score", RejectReason.MissingScore),
            (8L, "score", RejectReason.UnparseableScore),
            (9L, "customer_id", RejectReason.MissingCustomerId),
        }));
        Assert.That(result.Accounting.RowsRead, Is.EqualTo(9));
        Assert.That(result.Accounting.RowsRead, Is.EqualTo(result.Accounting.RowsAccepted + result.Accounting.RowsRejected));
        Assert.That(result.Accounting.RowsMalformed, Is.EqualTo(4), "missing score and customer id are excluded by design, not malformed");
    }

    [Test]
    public async Task Read_Reject_RawRecordLeavesTheCommentOut()
    {
        var (_, sink) = await Read(Utf8("customer_id,score,comment\nz,12,call me on 0612345678\n"));

        Assert.That(sink.Rejects.Single().Raw, Is.EqualTo("customer_id=z,score=12"));
    }

    [Test]
    public async Task Read_Latin1ByteInUtf8Comment_KeepsRowAndDecodesWithFallback()
    {
        // "très" with é as the single Latin-1 byte 0xE9: invalid UTF-8 inside an otherwise UTF-8 file.
        var bytes = Utf8("customer_id,score,comment,channel\n1,9,\"tr").Concat(new byte[] { 0xE8 }).Concat(Utf8("s bien\",magasin\n2,3,\"déçu\",e-mail\n")).ToArray();
        var (result, sink) = await Read(bytes);

        Assert.That(sink.Rejects, Is.Empty);
        Assert.That(result.Responses.Select(r => (r.CustomerId, r.Score, r.HasComment, r.Channel)), Is.EqualTo(new[] { ("1", 9, true, "magasin"), ("2", 3, true, "e-mail") }));
        Assert.That(result.FieldsDecodedWithFallback, Is.EqualTo(1), "only the Latin-1 field needed the fallback");
    }

    [Test]
    public async Task Read_DatedWithAsOf_RejectsBadAndLateDates()
    {
        var csv = "customer_id,score,date\na,9,2024-01-31\nb,9,2024-02-01\nc,9,31/01/2024\n";
        var (result, sink) = await Read(Utf8(csv), SurveyPresets.Generic with { AsOf = new DateOnly(2024, 2, 1) });

        Assert.That(result.Responses.Single().Date, Is.EqualTo(new DateOnly(2024, 1, 31)));
        Assert.That(sink.Rejects.Select(r => (r.Line, r.Reason)), Is.EqualTo(new[] { (3L, RejectReason.DateAfterAsOf), (4L, RejectReason.UnparseableDate) }));
    }

    [Test]
    public void Read_MissingMappedColumn_ListsColumnsFound()
    {
        var path = _files.Write("s.csv", "id,nps\n1,9\n");

        Assert.That(async () => await SurveyReader.ReadAsync(path, SurveyPresets.Generic, new CollectingRejectSink()),
            Throws.InstanceOf<InputException>().With.Message.Contains("customer_id").And.Message.Contains("'nps'"));
    }

    [Test]
    public void Options_UnknownMapKeyAndBadFallback_AllReported()
    {
        Assert.That(() => new SurveyColumnMapping().With("score=a,stars=b"), Throws.InstanceOf<ConfigurationException>().With.Message.Contains("stars"));
        var errors = (SurveyPresets.Generic with { FallbackEncoding = "utf-16", Format = IO.Input.TransactionFormat.Whitespace }).Validate();
        Assert.That(errors, Has.Count.EqualTo(2));
    }

    /// <summary>
    /// ../shared/datasets/nps_garden_retailer/SOURCE.md: 13,954 rows; nps 1:83 2:53 3:65 4:101 5:401 6:491 7:1061 8:2892
    /// 9:2487 10:5978 NA:342; "Reference NPS (promoters 9-10 minus detractors 0-6, NA excluded, n=13,612): 53.4".
    /// Promoters 2487 + 5978 = 8465, passives 1061 + 2892 = 3953, detractors 83 + 53 + 65 + 101 + 401 + 491 = 1194.
    /// The raw file has Latin-1 and CP850 bytes in the free text.
    /// </summary>
    [Test]
    public async Task Read_GardenRetailerRawFile_MatchesSourceMd()
    {
        var path = DatasetPaths.File("nps_garden_retailer", "nps.csv");
        var sink = new CollectingRejectSink();
        var result = await SurveyReader.ReadAsync(path, SurveyPresets.GardenRetailer, sink);
        var overall = NpsAnalysis.Overall(result.Responses, NpsAnalysis.DefaultMinResponses);

        Assert.That(result.Accounting.RowsRead, Is.EqualTo(13_954));
        Assert.That(result.Accounting.RowsAccepted, Is.EqualTo(13_612));
        Assert.That(result.Accounting.Count(RejectReason.MissingScore), Is.EqualTo(342));
        Assert.That(result.Accounting.RowsRejected, Is.EqualTo(342));
        Assert.That(overall.Counts, Is.EqualTo(new NpsCounts(Promoters: 8465, Passives: 3953, Detractors: 1194)));
        Assert.That(Math.Round(overall.Nps, 1), Is.EqualTo(53.4));
        Assert.That(result.FieldsDecodedWithFallback, Is.GreaterThan(0), "the raw file's comments are not UTF-8");
    }

    [Test]
    public async Task Read_GardenRetailerUtf8Copy_SameResponsesNoFallback()
    {
        var raw = await SurveyReader.ReadAsync(DatasetPaths.File("nps_garden_retailer", "nps.csv"), SurveyPresets.GardenRetailer, new CollectingRejectSink());
        var utf8 = await SurveyReader.ReadAsync(DatasetPaths.File("nps_garden_retailer", "nps_utf8.csv"), SurveyPresets.GardenRetailer, new CollectingRejectSink());

        Assert.That(utf8.FieldsDecodedWithFallback, Is.Zero);
        Assert.That(utf8.Responses.Select(r => (r.CustomerId, r.Score)), Is.EqualTo(raw.Responses.Select(r => (r.CustomerId, r.Score))));
        Assert.That(utf8.Comments, Is.EqualTo(raw.Comments));
    }
}
