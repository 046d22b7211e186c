using System.Text;
using CrmAnalytics.Core;
using CrmAnalytics.Core.Transactions;
using CrmAnalytics.IO.Rejects;
using CrmAnalytics.IO.Tests.TestSupport;

namespace CrmAnalytics.IO.Tests.Rejects;

[TestFixture]
public sealed class RejectsWriterTests
{
    private static string Write(Action<RejectsWriter> add, RejectsWriterOptions? options = null)
    {
        using var stream = new MemoryStream();
        using (var writer = new RejectsWriter(stream, options, leaveOpen: true))
        {
            add(writer);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    [Test]
    public void Add_OneReject_WritesHeaderAndRowWithReasonCode()
    {
        var text = Write(w => w.Add("tx.csv", 42, "InvoiceDate", RejectReason.UnparseableDate, "536365,13/45/2010,17850"));

        Assert.That(text, Is.EqualTo(
            "file,line,column,reason,raw_record\r\n" +
            "tx.csv,42,InvoiceDate,unparseable_date,\"536365,13/45/2010,17850\"\r\n"));
    }

    [Test]
    public void Dispose_NoRejects_LeavesHeaderOnly()
    {
        Assert.That(Write(_ => { }), Is.EqualTo("file,line,column,reason,raw_record\r\n"));
    }

    [Test]
    public void Add_WholeRecordAtFault_WritesEmptyColumn()
    {
        var rows = Rfc4180.Parse(Write(w => w.Add("tx.csv", 7, null, RejectReason.WrongColumnCount, "a,b")));

        Assert.That(rows[1], Is.EqualTo(new[] { "tx.csv", "7", string.Empty, "wrong_column_count", "a,b" }));
    }

    [TestCase("=cmd|' /C calc'!A0")]
    [TestCase("+1")]
    [TestCase("-2,3")]
    [TestCase("@SUM(A1)")]
    public void Add_FormulaLikeRawRecord_IsPrefixedWithQuoteMark(string raw)
    {
        var rows = Rfc4180.Parse(Write(w => w.Add("tx.csv", 3, "Amount", RejectReason.UnparseableAmount, raw)));

        Assert.That(rows[1][4], Is.EqualTo("'" + raw));
    }

    [Test]
    public void Add_FormulaLikeFileAndColumn_ArePrefixedWhileLineStaysANumber()
    {
        var rows = Rfc4180.Parse(Write(w => w.Add("=evil.csv", 3, "@col", RejectReason.UnparseableAmount, "x")));

        Assert.That(rows[1], Is.EqualTo(new[] { "'=evil.csv", "3", "'@col", "unparseable_amount", "x" }));
    }

    [Test]
    public void Add_RawRecordWithQuoteAndNewline_IsQuotedAndReadsBack()
    {
        const string raw = "1,\"multi\nline\",3";

        var rows = Rfc4180.Parse(Write(w => w.Add("tx.csv", 9, null, RejectReason.MalformedQuoting, raw)));

        Assert.That(rows[1][4], Is.EqualTo(raw));
    }

    [Test]
    public void Add_RawRecordLongerThanLimit_IsCutAndMarked()
    {
        var options = new RejectsWriterOptions { MaxRawRecordChars = 10 };

        var rows = Rfc4180.Parse(Write(w => w.Add("tx.csv", 1, null, RejectReason.WrongColumnCount, "0123456789abcdefghijklmno"), options));

        Assert.That(rows[1][4], Is.EqualTo("0123456789…[truncated]"));
    }

    [Test]
    public void Add_RawRecordExactlyAtLimit_IsKeptWhole()
    {
        var options = new RejectsWriterOptions { MaxRawRecordChars = 10 };

        var rows = Rfc4180.Parse(Write(w => w.Add("tx.csv", 1, null, RejectReason.WrongColumnCount, "0123456789"), options));

        Assert.That(rows[1][4], Is.EqualTo("0123456789"));
    }

    [Test]
    public void Add_CutFallsInsideSurrogatePair_KeepsThePairWhole()
    {
        var options = new RejectsWriterOptions { MaxRawRecordChars = 4 };

        var rows = Rfc4180.Parse(Write(w => w.Add("tx.csv", 1, null, RejectReason.WrongColumnCount, "abc😀def"), options));

        Assert.That(rows[1][4], Is.EqualTo("abc…[truncated]"));
    }

    [Test]
    public void Add_DefaultOptions_CutsAt1000Chars()
    {
        var rows = Rfc4180.Parse(Write(w => w.Add("tx.csv", 1, null, RejectReason.WrongColumnCount, new string('x', 5000))));

        Assert.That(rows[1][4], Is.EqualTo(new string('x', 1000) + RejectsWriter.TruncationMarker));
    }

    [Test]
    public void Reject_Utf8RawRecordLongerThanLimit_IsDecodedAndCutOnACharacter()
    {
        var options = new RejectsWriterOptions { MaxRawRecordChars = 5 };
        var raw = Encoding.UTF8.GetBytes("ééééééééé;1");

        var rows = Rfc4180.Parse(Write(w => w.Reject("tx.csv", 2, "Amount", RejectReason.UnparseableAmount, raw), options));

        Assert.That(rows[1][4], Is.EqualTo("ééééé…[truncated]"));
    }

    [Test]
    public void Reject_Utf8RawRecordWithinLimit_IsWrittenWhole()
    {
        var rows = Rfc4180.Parse(Write(w => w.Reject("tx.csv", 2, "Amount", RejectReason.UnparseableAmount, "Zoë;abc"u8)));

        Assert.That(rows[1], Is.EqualTo(new[] { "tx.csv", "2", "Amount", "unparseable_amount", "Zoë;abc" }));
    }

    [Test]
    public void Add_ManyRejects_ReachTheStreamBeforeDispose()
    {
        using var stream = new MemoryStream();
        using var writer = new RejectsWriter(stream, leaveOpen: true);

        for (var i = 0; i < 2000; i++)
        {
            writer.Add("tx.csv", i + 2, null, RejectReason.WrongColumnCount, new string('r', 100));
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(stream.Length, Is.GreaterThan(100_000), "rows are written out as the buffer fills, not held until the end");
            Assert.That(writer.Count, Is.EqualTo(2000));
        }
    }

    [Test]
    public void Create_PathInMissingFolder_CreatesFileWithHeader()
    {
        using var temp = new TempFolder();
        var path = temp.Combine("out", "rejects.csv");

        using (var writer = RejectsWriter.Create(path))
        {
            writer.Add("tx.csv", 5, "CustomerID", RejectReason.MissingCustomerId, ",2010-12-01,3.5");
        }

        Assert.That(File.ReadAllText(path), Is.EqualTo(
            "file,line,column,reason,raw_record\r\ntx.csv,5,CustomerID,missing_customer_id,\",2010-12-01,3.5\"\r\n"));
    }

    [Test]
    public void Create_ParentIsAFile_ThrowsOutputException()
    {
        using var temp = new TempFolder();
        File.WriteAllText(temp.Combine("blocker"), "x");

        Assert.Throws<OutputException>(() => RejectsWriter.Create(temp.Combine("blocker", "rejects.csv")));
    }

    [Test]
    public void Constructor_MaxRawRecordCharsZero_Throws()
    {
        using var stream = new MemoryStream();

        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new RejectsWriter(stream, new RejectsWriterOptions { MaxRawRecordChars = 0 }));
    }

    [Test]
    public void Add_AfterDispose_ThrowsObjectDisposed()
    {
        using var stream = new MemoryStream();
        var writer = new RejectsWriter(stream, leaveOpen: true);
        writer.Dispose();

        Assert.Throws<ObjectDisposedException>(() => writer.Add("tx.csv", 1, null, RejectReason.ZeroAmount, "x"));
    }
}
