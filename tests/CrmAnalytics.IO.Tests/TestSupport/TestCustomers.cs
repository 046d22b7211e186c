using System.Text;
using CrmAnalytics.Core.Customers;
using CrmAnalytics.Core.Pipeline;
using CrmAnalytics.Core.Rfm;
using CrmAnalytics.TestSupport.Tables;

namespace CrmAnalytics.IO.Tests.TestSupport;

/// <summary>Builds customer-table rows directly, with hand-picked values whose text form is known.</summary>
internal static class TestCustomers
{
    public static readonly RfmSegmentRule Champions = new("Champions", "champions", 4, 5, 4, 5, 4, 5);
    public static readonly RfmSegmentRule AtRisk = new("At Risk", "at-risk", 1, 2, 3, 5, 3, 5);
    public static readonly RfmSegmentRule Others = new("Others", "others", 1, 5, 1, 5, 1, 5);

    /// <summary>
    /// 3 occasions (2024-01-02 … 2024-03-05, t_x 63), T 100, recency 37; gross 150, returns 10.5 → net 139.5, AOV 50,
    /// mean repeat 60.5; windows 0/1/2/3 occasions and 0/40.5/90/150 spend; RFM 4-3-5; Champions, active, top tier.
    /// Its customers.csv row is <see cref="StandardCsvRow"/>.
    /// </summary>
    public static CustomerRow Standard(string id = "c1") => new(
        new CustomerSummary
        {
            CustomerId = id,
            FirstPurchase = new DateOnly(2024, 1, 2),
            LastPurchase = new DateOnly(2024, 3, 5),
            Orders = 3,
            TxDays = 63,
            AgeDays = 100,
            RecencyDays = 37,
            GrossSpend = 150,
            ReturnsValue = 10.5,
            ReturnLines = 1,
            MeanRepeatValue = 60.5,
            GapStdDays = 0,
            Windows = new WindowCounts(0, 1, 2, 3, 0, 40.5, 90, 150, 1),
        },
        new RfmScore(4, 3, 5),
        Champions,
        LifecycleStage.Active,
        TopValueTier: true);

    public const string StandardCsvRow =
        "c1,2024-01-02,2024-03-05,3,2,63,100,37,139.5,150,10.5,50,60.5,0,1,2,3,0,40.5,90,150,4,3,5,435,Champions,champions,active,top";

    /// <summary>A one-time buyer (x = 0, so mean_repeat_value is null) in the given segment and stage.</summary>
    public static CustomerRow OneTime(string id, RfmSegmentRule segment, LifecycleStage stage = LifecycleStage.New) => new(
        new CustomerSummary
        {
            CustomerId = id,
            FirstPurchase = new DateOnly(2023, 12, 31),
            LastPurchase = new DateOnly(2023, 12, 31),
            Orders = 1,
            TxDays = 0,
            AgeDays = 5,
            RecencyDays = 5,
            GrossSpend = 10,
            ReturnsValue = 15.5,
            ReturnLines = 2,
            MeanRepeatValue = 0,
            GapStdDays = 0,
            Windows = new WindowCounts(1, 1, 1, 1, 10, 10, 10, 10, 0),
        },
        new RfmScore(1, 1, 1),
        segment,
        stage,
        TopValueTier: false);

    public static CustomerRow WithId(this CustomerRow customer, string id) =>
        customer with { Summary = customer.Summary with { CustomerId = id } };
}

/// <summary>A small RFC 4180 reader, independent of CsvHelper, to check what the writers produce.</summary>
internal static class Rfc4180
{
    /// <param name="separator">',' for RFC 4180, ';' for the Excel dialect.</param>
    public static List<string[]> Parse(string text, char separator = ',')
    {
        var records = new List<string[]>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var i = 0;
        var quoted = false;
        while (i < text.Length)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i += 2;
                    continue;
                }

                if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }

                i++;
                continue;
            }

            switch (c)
            {
                case '"' when field.Length == 0:
                    quoted = true;
                    break;
                case var _ when c == separator:
                    fields.Add(field.ToString());
                    field.Clear();
                    break;
                case '\r' when i + 1 < text.Length && text[i + 1] == '\n':
                    fields.Add(field.ToString());
                    field.Clear();
                    records.Add([.. fields]);
                    fields.Clear();
                    i++;
                    break;
                default:
                    field.Append(c);
                    break;
            }

            i++;
        }

        if (field.Length > 0 || fields.Count > 0)
        {
            fields.Add(field.ToString());
            records.Add([.. fields]);
        }

        return records;
    }
}

/// <summary>A fresh folder under the system temp folder, deleted on dispose.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "crm-out-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public void Dispose()
    {
        if (Directory.Exists(Path))
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.Delete(Path, recursive: true);
                return;
            }

            foreach (var dir in Directory.EnumerateDirectories(Path, "*", SearchOption.AllDirectories))
            {
                File.SetUnixFileMode(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }

            Directory.Delete(Path, recursive: true);
        }
    }
}
